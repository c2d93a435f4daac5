// The sc_cnn MAC PE kind (accel.mac.pe = sc_cnn): registration follows.
#include "scbnn/models/mac_pe.h"

namespace scbnn {

SCBNN_LINK_ANCHOR(mac_pe, sc_cnn)

}  // namespace scbnn
