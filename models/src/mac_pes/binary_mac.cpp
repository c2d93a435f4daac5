// The binary_mac MAC PE kind (accel.mac.pe = binary_mac): registration follows.
#include "scbnn/models/mac_pe.h"

namespace scbnn {

SCBNN_LINK_ANCHOR(mac_pe, binary_mac)

}  // namespace scbnn
