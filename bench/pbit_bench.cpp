// Benchmark (issue 17): simulated p-bit updates per host second of the p-bit engine on
// binarized-neuron Hamiltonians of a few thousand p-bits, for each unit kind, random source
// and schedule, on one core. Prints the figures; no target is asserted (timings are not
// tests).
//   pbit_bench [--seconds S]   minimum host time per measurement (default 1)
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "scbnn/models/invertible_logic.h"
#include "scbnn/models/pbit_engine.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void pin_to_one_core() {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &set);
  sched_setaffinity(0, sizeof set, &set);
}

struct Workload {
  std::string name;
  scbnn::IsingGraph graph;
  std::vector<std::pair<std::string, int>> clamps;
};

// A composed binarized layer (XNOR gates + unary-slack threshold gates), every p-bit free:
// `neurons` neurons of `inputs` inputs sharing the input p-bits.
Workload composed_layer(uint32_t neurons, uint32_t inputs) {
  scbnn::IsingNetwork net;
  std::vector<std::string> x;
  for (uint32_t k = 0; k < inputs; ++k) x.push_back("x" + std::to_string(k));
  for (uint32_t j = 0; j < neurons; ++j) {
    std::vector<std::string> w;
    for (uint32_t k = 0; k < inputs; ++k) w.push_back("n" + std::to_string(j) + ".w" + std::to_string(k));
    scbnn::add_binarized_neuron(net, "n" + std::to_string(j), x, w, "n" + std::to_string(j) + ".y", inputs / 2 + 1);
  }
  return {"composed layer " + std::to_string(neurons) + " x " + std::to_string(inputs) + " (all free)",
          net.compile(),
          {}};
}

// A learning-mode layer: `neurons` neurons of `inputs` inputs, `examples` examples folded
// (inputs known), labels clamped from random planted weights.
Workload learning_layer(uint32_t neurons, uint32_t inputs, uint32_t examples) {
  std::mt19937 rng(1);
  scbnn::IsingNetwork net;
  Workload wl;
  std::vector<std::vector<int>> xs(examples, std::vector<int>(inputs));
  for (auto& x : xs)
    for (auto& v : x) v = rng() & 1 ? 1 : -1;
  for (uint32_t j = 0; j < neurons; ++j) {
    std::vector<std::string> w;
    std::vector<int> planted(inputs);
    for (uint32_t k = 0; k < inputs; ++k) {
      w.push_back("n" + std::to_string(j) + ".w" + std::to_string(k));
      planted[k] = rng() & 1 ? 1 : -1;
    }
    for (uint32_t e = 0; e < examples; ++e) {
      const std::string p = "n" + std::to_string(j) + ".e" + std::to_string(e);
      scbnn::add_learning_neuron(net, p, xs[e], w, p + ".y", inputs / 2 + 1);
      wl.clamps.emplace_back(p + ".y", scbnn::binarized_neuron(xs[e], planted, inputs / 2 + 1));
    }
  }
  wl.name = "learning layer " + std::to_string(neurons) + " x " + std::to_string(inputs) + ", " +
            std::to_string(examples) + " examples (labels clamped)";
  wl.graph = net.compile();
  return wl;
}

void measure(const Workload& wl, const std::string& unit, const std::string& rng, scbnn::PbitUpdate update,
             double min_seconds) {
  scbnn::PbitParams p;
  p.unit = unit;
  p.rng = rng;
  p.update = update;
  scbnn::PbitEngine e("bench", wl.graph, p);
  for (const auto& [name, spin] : wl.clamps) e.clamp(name, spin);
  e.set_i0(1.0);
  e.sweep();  // warm-up
  e.reset_counts();
  const auto t0 = Clock::now();
  do e.sweep();
  while (seconds_since(t0) < min_seconds);
  const double host = seconds_since(t0);
  const scbnn::PbitCounts& c = e.counts();
  std::printf(
      "  %-6s %-6s %-10s %8.2f M updates/s  %6.1f ns/update  %7.0f sweeps/s  flips %4.1f %%  "
      "%5.2f J-reads/update  %.3g simulated s/sweep\n",
      unit.c_str(), unit == "ideal" ? "-" : rng.c_str(), scbnn::enum_name(update), double(c.updates) / host / 1e6,
      host / double(c.updates) * 1e9, double(c.sweeps) / host, 100.0 * double(c.flips) / double(c.updates),
      double(c.weight_reads) / double(c.updates), e.simulated_seconds() / double(c.sweeps));
}

}  // namespace

int main(int argc, char** argv) {
  double min_seconds = 1.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
      min_seconds = std::atof(argv[++i]);
      if (!(min_seconds > 0)) {
        std::fprintf(stderr, "pbit_bench: --seconds expects a positive number, got '%s'\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: pbit_bench [--seconds S]\n");
      return 2;
    }
  }
  pin_to_one_core();
  for (const Workload& wl : {composed_layer(32, 32), learning_layer(4, 25, 100)}) {
    const uint32_t free = wl.graph.size() - uint32_t(wl.clamps.size());
    scbnn::PbitParams p;
    scbnn::PbitEngine probe("bench", wl.graph, p);
    std::printf("%s: %u p-bits (%u free), %llu couplings, mean degree %.1f, %u colours, max |I| %d\n", wl.name.c_str(),
                wl.graph.size(), free, static_cast<unsigned long long>(wl.graph.couplings()),
                2.0 * double(wl.graph.couplings()) / wl.graph.size(), probe.colours(), wl.graph.max_abs_field);
    for (const auto& [unit, rng] : std::vector<std::pair<std::string, std::string>>{{"ideal", "lfsr"},
                                                                                    {"lut", "lfsr"},
                                                                                    {"lut", "smtj"},
                                                                                    {"itanh", "lfsr"}})
      for (scbnn::PbitUpdate update : {scbnn::PbitUpdate::sequential, scbnn::PbitUpdate::coloured})
        measure(wl, unit, rng, update, min_seconds);
  }
  return 0;
}

int sc_main(int, char**) { return 0; }  // libsystemc wants one; the engine never elaborates
