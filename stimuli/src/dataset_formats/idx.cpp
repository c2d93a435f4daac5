// MNIST-format IDX files (MNIST, Fashion-MNIST): one channel, gzip or raw (stimuli/idx.h).
#include "scbnn/stimuli/idx.h"

namespace scbnn {
namespace {

DatasetFormatRegistrar registrar("idx", {"MNIST-format IDX files (MNIST, Fashion-MNIST), gzip or raw: one channel",
                                         "{train,t10k}-images-idx3-ubyte[.gz] and {train,t10k}-labels-idx1-ubyte[.gz]",
                                         load_mnist_format});

}  // namespace

SCBNN_LINK_ANCHOR(dataset_format, idx)

}  // namespace scbnn
