#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// Training a binarized MLP (Courbariaux/Hubara 2016): sign weights and activations with
// the straight-through estimator, batch norm after every layer, Adam, latent weights
// clipped to [-1, 1]. Inputs are 8-bit pixels seen as (2x - 255) / 255, which is what
// the accelerator's bit-plane first layer computes (up to the factor 255).
struct TrainOptions {
  std::vector<uint32_t> hidden = {1024, 1024};
  uint32_t epochs = 30;
  uint32_t batch_size = 100;
  double learning_rate = 3e-3;        // first epoch
  double final_learning_rate = 3e-5;  // last epoch; exponential decay between
  uint64_t seed = 1;
  uint32_t threads = 2;
  uint32_t train_limit = 0;  // use only the first N training images (0 = all)
  // Error-aware training (Hirtzlin et al., AICAS 2019): every binarized weight's sign flips
  // with this probability, redrawn at every forward pass during training.
  double weight_flip_ber = 0;
  // SC-aware training (Hirtzlin et al., IEEE Access 2019): each image is presented as the
  // mean of this many stochastic binarizations (pixel x -> bit 1 with probability x/256,
  // seen as +-1), redrawn at every presentation. 0 = fixed-point inputs.
  uint32_t stochastic_samples = 0;
  std::string dataset_name = "fashion-mnist";
};

struct EpochStats {
  uint32_t epoch;
  double loss;
  double train_accuracy;
  double test_accuracy;  // float network in eval mode
  double seconds;
};

struct TrainResult {
  Network network;                  // folded, integer-only, with provenance
  double float_test_accuracy = 0;   // batch-norm network in floating point
  double folded_test_accuracy = 0;  // the exported integer network
};

// Trains on `train`, evaluates on `test`, folds batch norm into integer thresholds and
// output scales. `on_epoch` (optional) is called after every epoch.
TrainResult train_bnn(const TrainOptions& options, const Dataset& train, const Dataset& test,
                      const std::function<void(const EpochStats&)>& on_epoch = {});

}  // namespace scbnn
