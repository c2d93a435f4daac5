#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/stimuli/arch.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// Training a binarized network (Courbariaux/Hubara 2016): sign weights and activations with
// the straight-through estimator, batch norm after every weighted layer (per output channel
// of a convolution), Adam, latent weights clipped to [-1, 1]. A convolution's max-pool comes
// after its batch norm and before the sign (sign is monotonic, so this equals pooling the
// signs, which the hardware does as an OR of bits). Inputs are 8-bit pixels seen as
// (2x - 255) / 255, which is what the accelerator's bit-plane first layer computes (up to the
// factor 255). docs/training.md describes the options and how the shipped networks were made.
//
// With weight_bits and activation_bits of 2 to 8, a quantised network instead
// (quantisation-aware training, docs/training.md): weights fake-quantised symmetric per layer,
// batch norm, ReLU clipped to [0, activation_clip] and fake-quantised to A bits (straight-
// through estimator), max-pool after the activation quantiser, zero padding; exported with
// batch norm folded into per-channel integer multipliers and biases (network-format.md,
// version 3). weight_bits = activation_bits = 0: the same architecture in floating point (plain
// ReLU, no quantiser): the float baseline, which has no network file.
struct TrainOptions {
  Architecture arch = mlp_architecture({1024, 1024}, 10);
  uint32_t epochs = 30;
  uint32_t batch_size = 100;
  double learning_rate = 3e-3;        // first epoch
  double final_learning_rate = 3e-5;  // last epoch; exponential decay between
  uint64_t seed = 1;
  uint32_t threads = 2;
  uint32_t train_limit = 0;  // use only the first N training images (0 = all)
  uint32_t downsample = 1;   // shrink train and test images by this factor first (idx.h: downsample)
  // Error-aware training (Hirtzlin et al., AICAS 2019): every binarized weight's sign flips
  // with this probability, redrawn at every forward pass during training.
  double weight_flip_ber = 0;
  // SC-aware training (Hirtzlin et al., IEEE Access 2019): each image is presented as the
  // mean of this many stochastic binarizations (pixel x -> bit 1 with probability x/256,
  // seen as +-1), redrawn at every presentation. 0 = fixed-point inputs.
  uint32_t stochastic_samples = 0;
  // Data augmentation of every training batch: mirror left-right with probability 1/2 and
  // shift by up to augment_shift pixels in x and y (uncovered pixels 0).
  bool augment = false;
  // After the last epoch, measure every batch norm's mean and variance again over the whole
  // training set (the running averages of training lag the binarized weights).
  bool recalibrate_norms = false;
  uint32_t augment_shift = 2;
  std::string dataset_name = "fashion-mnist";
  std::string note;  // free text recorded in the provenance (what the network stands for)
  // Precision: 1/1 binarized (default); 2..8 each quantised; 0/0 the float baseline.
  uint32_t weight_bits = 1;
  uint32_t activation_bits = 1;
  // Quantised networks: the ReLU's clip (batch-normalised units); activations are quantised
  // uniformly on [0, activation_clip] to 2^A - 1 steps.
  double activation_clip = 4.0;
  std::string command;            // the command line, recorded in the provenance when not empty
  nlohmann::json float_baseline;  // quantised networks: the float baseline's record (null: unknown)
};

struct EpochStats {
  uint32_t epoch;
  double loss;
  double train_accuracy;
  double test_accuracy;  // float network in eval mode
  double seconds;
};

// The trained floating-point network in eval mode, for checking the fold.
class FloatNetwork {
 public:
  virtual ~FloatNetwork() = default;
  // Per weighted layer: its input tensor and its pre-activations (before batch norm; a
  // convolution's at every output position, before pooling), both HWC and in the integer
  // network's scale (binarized: the first layer's times 255, inputs 2x - 255; quantised: the
  // integer activations and accumulators, i.e. divided by the input step and by the weight
  // step times the input step).
  struct LayerTrace {
    std::vector<double> input, preactivation;
  };
  virtual std::vector<LayerTrace> trace(const uint8_t* pixels) const = 0;
  // The predicted class (first argmax of the float scores).
  virtual uint32_t predict(const uint8_t* pixels) const = 0;
};

struct TrainResult {
  Network network;                  // folded, integer-only, with provenance (float baseline: no layers)
  double float_test_accuracy = 0;   // the trained network in eval mode (quantised: with its fake quantisers)
  double folded_test_accuracy = 0;  // the exported integer network (quantised: QuantisedEvaluator, exact)
  std::shared_ptr<const FloatNetwork> float_network;
};

// Trains on `train`, evaluates on `test` (both downsampled first when options.downsample > 1),
// folds batch norm into integer thresholds (quantised: multipliers and biases) and output
// scales. `on_epoch` (optional) is called after every epoch. Every precision of TrainOptions.
TrainResult train_bnn(const TrainOptions& options, const Dataset& train, const Dataset& test,
                      const std::function<void(const EpochStats&)>& on_epoch = {});

// Accuracy of a folded network on a data set, evaluated exactly with libtorch (integer values
// in floating-point tensors, exact sums); equals evaluate.h's integer_scores (binarized) or
// quantised_scores (quantised, exact product) image by image.
double folded_accuracy(const Network& net, const Dataset& test);

}  // namespace scbnn
