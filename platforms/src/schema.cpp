#include "scbnn/platforms/config.h"

#include <iterator>

#include "scbnn/models/log.h"

namespace scbnn {
namespace {

ParamSpec integer(const char* key, int64_t def, const char* unit, int64_t min, int64_t max, const char* what,
                  const char* source) {
  return {key, ParamKind::integer, std::to_string(def), unit, double(min), double(max), {}, what, source};
}
ParamSpec real(const char* key, const char* def, const char* unit, double min, double max, const char* what,
               const char* source) {
  return {key, ParamKind::real, def, unit, min, max, {}, what, source};
}
ParamSpec choice(const char* key, const char* def, std::vector<std::string> choices, const char* what,
                 const char* source) {
  return {key, ParamKind::choice, def, "", 0, 0, std::move(choices), what, source};
}
ParamSpec text(const char* key, const char* def, const char* what, const char* source) {
  return {key, ParamKind::text, def, "", 0, 0, {}, what, source};
}

constexpr const char* kSim = "simulation setting";
constexpr const char* kShipped = "sized for the shipped 784-1024-1024-10 network";

}  // namespace

const std::vector<ParamSpec>& platform_schema() {
  static const std::vector<ParamSpec> schema = {
      integer("seed", 1, "", 0, 9007199254740991, "master seed: each component's random stream derives from it and the "
              "component's hierarchical name", kSim),
      text("network.path", "fmnist_bnn_fixed.scbnn",
           "network file; a bare file name is also looked up among the shipped networks", kSim),
      text("dataset.path", "/usr/share/datasets/fashion-mnist", "directory of MNIST-format IDX files (gzip or raw)",
           "Debian package dataset-fashion-mnist"),
      choice("dataset.split", "test", {"test", "train"}, "which split to classify", kSim),
      integer("run.first_image", 0, "images", 0, 100000000, "index of the first image to classify", kSim),
      integer("run.images", 0, "images", 0, 100000000, "images to classify (0 = the rest of the split)", kSim),
      choice("accel.input_mode", "fixed", {"fixed", "stochastic"},
             "first-layer input: fixed = 8-bit pixels bit-plane by bit-plane with shift-add (the conventional "
             "BNN); stochastic = comparator SNG bitstreams of accel.sc.stream_length samples",
             "Hirtzlin et al., IEEE Access 2019"),
      integer("accel.sc.stream_length", 16, "samples", 1, 1024,
              "stochastic samples per pixel N (SC_LENGTH); at most accel.sc.max_stream_length",
              "assumption: open in the publication"),
      integer("accel.sc.max_stream_length", 64, "samples", 1, 1024,
              "largest N the hardware supports: sizes the partial-sum accumulators of a stochastic first layer",
              "assumption: covers the stream lengths of docs/experiments/sc-accuracy.md"),
      choice("accel.first_layer_hardware", "auto", {"auto", "fixed", "stochastic", "both"},
             "first-layer datapath built (and counted in area and leakage): fixed = shift-add of 8-bit pixels "
             "(wider accumulators), stochastic = SNGs, both; auto = the one accel.input_mode uses",
             "Hirtzlin et al., IEEE Access 2019 (the two designs compared)"),
      choice("accel.sc.combine", "sum", {"sum", "vote"},
             "sum: first-layer popcounts summed over N samples, then thresholded; vote: the whole network run N "
             "times on one sample each, classes voted",
             "Hirtzlin et al., IEEE Access 2019 (both open: both modelled)"),
      choice("accel.sng.source", "lfsr", {"lfsr", "sobol", "ideal", "smtj"},
             "random source of the comparator SNGs: LFSR, van der Corput / Sobol (deterministic), ideal software "
             "RNG, superparamagnetic MTJ (ideal statistics)", "Alaghi & Hayes 2013 (LFSR + comparator)"),
      integer("accel.sng.lfsr_width", 16, "bits", 8, 32, "LFSR width (maximal-length taps, XAPP052)", "assumption"),
      choice("accel.sng.sharing", "per_input", {"per_input", "shared_offset", "shared_rotate"},
             "one source per input, or accel.sng.shared_sources sources shared with delays or rotated wiring",
             "assumption"),
      integer("accel.sng.shared_sources", 1, "sources", 1, 65536, "sources when shared (input i uses i mod S)",
              "assumption"),
      integer("accel.sng.comparators", 1024, "comparators", 1, 65536,
              "8-bit comparators in parallel: one sample of K pixels takes ceil(K / comparators) cycles",
              "assumption: one per input of the shipped network"),
      real("accel.clock_mhz", "500", "MHz", 1, 10000, "accelerator clock",
           "assumption: a conservative clock for 28 nm logic beside MRAM arrays"),
      integer("accel.array.rows", 256, "rows", 1, 65536, "rows (neurons) per weight array",
              "assumption: 256 x 256 = 64 kbit sub-arrays"),
      integer("accel.array.columns", 256, "columns", 64, 65536, "columns (inputs) per weight array; multiple of 64",
              "assumption: 256 x 256 = 64 kbit sub-arrays"),
      integer("accel.array.count", 36, "arrays", 1, 65536, "weight arrays (one layer tile each)", kShipped),
      real("accel.array.read_ns", "2", "ns", 0.001, 1e6,
           "sense latency of one step (rounded up to cycles); also the read pulse for read disturb",
           "assumption: ST-MRAM sensing in a few ns"),
      choice("accel.mram.error_mode", "physical", {"physical", "per_inference", "ideal"},
             "physical: write errors kept until rewritten, read errors and read disturb per read, retention over "
             "time; per_inference: each weight's sign flips with accel.mram.ber, redrawn every inference; "
             "ideal: no errors",
             "Hirtzlin et al., NANOARCH 2019 (per-inference flips are how its curves were computed)"),
      choice("accel.mram.cell", "2T2R", {"2T2R", "1T1R"},
             "bit cell: two complementary MTJs read differentially, or one MTJ against a reference",
             "Bocquet et al., IEDM 2018; Hirtzlin et al., Frontiers 2020 (2T2R with PCSA)"),
      choice("accel.mram.write_errors", "pulse", {"pulse", "table", "ber"},
             "where the MTJ write error rate comes from: the precessional law at the programming pulse, "
             "accel.mram.wer_table, or accel.mram.ber directly", "simulation setting"),
      real("accel.mram.ber", "0", "probability", 0, 1,
           "write_errors = ber: MTJ write error rate; error_mode = per_inference: weight sign-flip rate", kSim),
      text("accel.mram.wer_table", "none",
           "CSV file of 'pulse_ns,wer' points at accel.mram.pulse_ua (log-linear interpolation), for write_errors = table",
           kSim),
      real("accel.mram.pulse_ns", "10", "ns", 1e-3, 1e6, "programming pulse duration (reset value of PROG_PULSE_PS)",
           "assumption: strong programming, WER ~3e-7 with the default MTJ"),
      real("accel.mram.pulse_ua", "100", "uA", 1e-3, 1e6, "programming pulse current (reset value of PROG_CURRENT_NA)",
           "assumption: 2 x Ic0"),
      real("accel.mram.read_current_ua", "10", "uA", 0, 1e6, "read current through an MTJ (read disturb)",
           "assumption: 0.2 x Ic0"),
      real("accel.mram.mtj.r_p_ohm", "5000", "ohm", 1, 1e9, "MTJ parallel resistance R_P",
           "assumption: perpendicular MTJ of a few kohm"),
      real("accel.mram.mtj.tmr", "1.5", "ratio", 1e-3, 100, "tunnel magnetoresistance (R_AP - R_P) / R_P",
           "assumption: 150 %, typical of CoFeB/MgO pMTJs"),
      real("accel.mram.mtj.sigma_r", "0.05", "ratio", 0, 1, "relative resistance spread (1 sigma)", "assumption"),
      real("accel.mram.mtj.delta", "60", "kT", 1e-3, 1000, "thermal stability factor Delta",
           "assumption: 10-year retention class"),
      real("accel.mram.mtj.ic0_ua", "50", "uA", 1e-3, 1e6, "critical switching current Ic0", "assumption"),
      real("accel.mram.mtj.tau_d_ns", "1", "ns", 1e-6, 1e6, "precessional characteristic time tau_D",
           "assumption: ns-scale, Khvalkovskiy et al. 2013"),
      real("accel.mram.mtj.tau0_ns", "1", "ns", 1e-6, 1e6, "thermal attempt time tau0",
           "background.md: tau0 ~ 1 ns"),
      real("accel.mram.mtj.area_f2", "57.5", "F^2", 1e-3, 1e6,
           "area of one 1T1MTJ bit cell (MTJ and access transistor; a 2T2R cell is two), priced at the technology "
           "preset's feature size F",
           "NVSim sample_STTRAM.cell (SEAL-UCSB/NVSim): CellArea 57.5 F^2"),
      real("accel.sa.offset_sigma_ohm", "100", "ohm", 0, 1e9,
           "precharge sense amplifier input offset (1 sigma, as an equivalent resistance)", "assumption"),
      integer("accel.sa.columns_per_sa", 1, "columns", 1, 65536,
              "columns sharing one sense amplifier; a row read takes this many sense steps", "assumption"),
      integer("accel.pe.width_bits", 256, "bits", 1, 65536, "XNOR/popcount inputs per PE beat (one PE per array)",
              "assumption: one 256-column row per beat"),
      integer("accel.buffer.port_bits", 256, "bits", 8, 65536, "activation / input buffer port width per cycle",
              "assumption"),
      integer("accel.buffer.activation_bits", 4096, "bits", 64, 16777216, "capacity of each of the two activation banks",
              "assumption: 4x the widest shipped layer"),
      integer("accel.input_buffer.bytes", 1024, "bytes", 1, 65536, "input buffer capacity (first-layer inputs)",
              "assumption: one 28 x 28 image with room"),
      integer("accel.param_entries", 4096, "entries", 1, 1966080, "per-neuron parameter memory entries (8 bytes each)",
              kShipped),
      integer("accel.max_classes", 256, "classes", 2, 16384, "output score registers", "assumption"),
      integer("accel.max_layers", 8, "layers", 1, 64, "layer descriptor registers", "assumption"),
      integer("accel.register_latency_cycles", 1, "cycles", 0, 1000, "register access latency", "assumption"),
      choice("bus.width_bits", "64", {"32", "64"}, "interconnect data width (also the sockets' BUSWIDTH)",
             "assumption"),
      real("bus.clock_mhz", "500", "MHz", 1, 10000, "interconnect clock", "assumption: same as the accelerator"),
      integer("bus.latency_cycles", 2, "cycles", 0, 1000, "interconnect latency per transaction (plus one per beat)",
              "assumption"),
      real("memory.read_latency_ns", "20", "ns", 0, 1e6, "system memory read latency per transaction", "assumption"),
      real("memory.write_latency_ns", "20", "ns", 0, 1e6, "system memory write latency per transaction",
           "assumption"),
      real("platform.quantum_ns", "1000", "ns", 0.001, 1e9, "TLM global quantum, set once by the platform", kSim),
      {"platform.protocol_checks", ParamKind::boolean, "false", "", 0, 0, {},
       "insert TLM-2.0 base-protocol checkers (tlm/protocol_checker.h) on the host's and the accelerator's "
       "links; a violation stops the run with its rule", kSim},
      text("power.preset", "st-mram-28nm",
           "technology preset pricing energy, area and leakage: a shipped preset's name (power/presets/) or a "
           "YAML file", "docs/power-model.md"),
      text("power.entry.*", "",
           "override one table entry: power.entry.<class>.<action> = '<number> <energy unit>', "
           "power.entry.<class>.area = '<number> <area unit>', power.entry.<class>.leakage = '<number> <power unit>'",
           "the user (reported as an override)"),
      // Logging (models/include/scbnn/models/log.h); log.default must precede the log.* family.
      choice("log.default", "warning", {std::begin(kLogLevelNames), std::end(kLogLevelNames)},
             "log level of every instance without one of its own (docs/logging.md)", kSim),
      choice("log.*", "", {std::begin(kLogLevelNames), std::end(kLogLevelNames)},
             "log level of one instance and the instances below it: log.<instance> = <level>, e.g. "
             "log.accel.core.array_3 = debug; an instance the platform does not have is refused", kSim),
  };
  return schema;
}

}  // namespace scbnn
