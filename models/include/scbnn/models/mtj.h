#pragma once
#include <string>
#include <utility>
#include <vector>

#include "scbnn/base/params.h"

namespace scbnn {

// One magnetic tunnel junction type (keys accel.mram.mtj.*): declare() gives each
// default's unit and source; most are assumptions.
struct MtjParams {
  double r_p_ohm = 5000;  // parallel (low) resistance
  double tmr = 1.5;       // (R_AP - R_P) / R_P
  double sigma_r = 0.05;  // relative resistance spread (1 sigma)
  double delta = 60;      // thermal stability factor E_b / kT
  double ic0_ua = 50;     // critical switching current
  double tau_d_ns = 1.0;  // precessional characteristic time
  double tau0_ns = 1.0;   // attempt time of thermal activation
  double area_f2 = 57.5;  // area of one 1T1MTJ bit cell, in F^2 (the MRAM arrays' cell area)

  template <class V>
  void declare(V& v) {
    v("r_p_ohm", r_p_ohm, Range{1, 1e9}, "ohm", "MTJ parallel resistance R_P",
      "assumption: perpendicular MTJ of a few kohm");
    v("tmr", tmr, Range{1e-3, 100}, "ratio", "tunnel magnetoresistance (R_AP - R_P) / R_P",
      "assumption: 150 %, typical of CoFeB/MgO pMTJs");
    v("sigma_r", sigma_r, Range{0, 1}, "ratio", "relative resistance spread (1 sigma)", "assumption");
    v("delta", delta, Range{1e-3, 1000}, "kT", "thermal stability factor Delta", "assumption: 10-year retention class");
    v("ic0_ua", ic0_ua, Range{1e-3, 1e6}, "uA", "critical switching current Ic0", "assumption");
    v("tau_d_ns", tau_d_ns, Range{1e-6, 1e6}, "ns", "precessional characteristic time tau_D",
      "assumption: ns-scale, Khvalkovskiy et al. 2013");
    v("tau0_ns", tau0_ns, Range{1e-6, 1e6}, "ns", "thermal attempt time tau0", "background.md: tau0 ~ 1 ns");
    v("area_f2", area_f2, Range{1e-3, 1e6}, "F^2",
      "area of one 1T1MTJ bit cell (MTJ and access transistor; a 2T2R cell is two), priced at the technology "
      "preset's feature size F",
      "NVSim sample_STTRAM.cell (SEAL-UCSB/NVSim): CellArea 57.5 F^2");
  }

  double r_ap_ohm() const { return r_p_ohm * (1 + tmr); }
};

// Precessional STT switching (Sun 2000; Khvalkovskiy et al. 2013):
//   WER(t, I) = 1 - exp(-(pi^2 Delta / 4) exp(-2 (I/Ic0 - 1) t / tau_D)),
// the probability that a pulse of t ns at I uA fails to switch an MTJ. A pulse at or
// below Ic0 does not switch in this regime: WER = 1.
double precessional_wer(const MtjParams& mtj, double pulse_ns, double current_ua);

// Thermally activated reversal (Neel-Brown): P = 1 - exp(-t / (tau0 exp(Delta (1 - I/Ic0)))),
// for read disturb (I = read current) and retention (I = 0).
double thermal_flip_probability(const MtjParams& mtj, double time_ns, double current_ua);

// A measured or published pulse -> WER table at the configured current, interpolated
// linearly in log(WER) between points (log WER is linear in t in the precessional regime).
class WerTable {
 public:
  WerTable() = default;
  explicit WerTable(std::vector<std::pair<double, double>> points);  // (pulse_ns, wer), sorted by pulse
  // Reads "pulse_ns,wer" lines (# comments, one header line allowed); throws InputError
  // naming `key` and the file on malformed content.
  static WerTable load(const std::string& path, const std::string& key);
  bool empty() const { return points_.empty(); }
  // Outside the table: the value at the nearest end point.
  double wer_at(double pulse_ns) const;

 private:
  std::vector<std::pair<double, double>> points_;
};

}  // namespace scbnn
