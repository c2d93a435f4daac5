"""Tables of experiments/peers.sh (docs/experiments/peers.md): scbnn's default job beside
DNN+NeuroSim V1.4 for a digital 1-bit SRAM compute-in-memory design at 22 nm.

  peers_tables.py WORK OUT IMAGES      the tables from the sweep in WORK, into OUT
  peers_tables.py --fill DOC TABLES    copies TABLES into DOC's generated block

The scbnn side is read from the run reports (regenerated whenever the default energy or area
changes); the NeuroSim side is fixed below, with where every number comes from.
"""
import json
import math
import os
import sys

from report_fields import area, e_inf

# DNN+NeuroSim V1.4 (github.com/neurosim/DNN_NeuroSim_V1.4, commit ac828e6, the C++ NeuroSIM of
# Inference_pytorch; Peng et al., IEDM 2019; Lu et al., Frontiers in AI 2021), run by us with
# its Param.cpp defaults: SRAM cells (memcelltype 1), 22 nm LSTP, conventionalParallel,
# 128 x 128 subarrays with all 128 rows read in parallel, a 5-bit multilevel current sense
# amplifier (levelOutput 32) shared by 8 columns (numColMuxed 8), X-Y bus, register-file
# buffers, pipelined with speedUpDegree 8, silicon-calibrated (validated). Network: 784-1024
# and 1024-1024 fully connected layers (NetWork.csv rows "1,1,784,1,1,1024,0,1" and
# "1,1,1024,1,1,1024,0,1"), 1-bit weights and 1-bit inputs, half of each 1 (seeded random
# traces): `main NetWork.csv 1 1 128 128 weight0.csv input0.csv weight1.csv input1.csv`. The
# 1024-10 output layer (0.55 % of the weights) is left out: V1.4 stops with a segmentation
# fault in CopyPEArray when it replicates that layer for its pipeline speed-up.
NEUROSIM = {
    "weights": 784 * 1024 + 1024 * 1024,
    "area_mm2": 1.04978,
    "cim_array_mm2": 0.284206,
    "ic_mm2": 0.376100,
    "sa_mm2": 0.207897,  # "ADC (or S/As and precharger for SRAM)"
    "accumulation_mm2": 0.0188654,
    "other_mm2": 0.130938,
    "dynamic_nj": 3.21704,
    "leakage_nj": 0.0131519,
    "sa_nj": 2.21016,
    "accumulation_nj": 0.090094,
    "other_nj": 0.916788,  # decoders, mux, switch matrices, buffers, interconnect
    "ic_nj": 0.509057,
    "buffer_nj": 0.0612964,
    "pipelined_ns": 1916.37,  # per image, the pipeline's cycle
    "layer_by_layer_ns": 3839.95,  # per image, same design with pipeline = false, speedUpDegree 1
    "clock_ns": 1.6974,
    "sa_latency_ns": 13.5792,
    "layer1_nj": 1.47144,  # 784-1024, 1-bit inputs
    "layer2_nj": 1.7456,  # 1024-1024, 1-bit inputs
    "layer1_8bit_nj": 10.9541,  # 784-1024 with 8-bit inputs (`main ... 1 8 ...`)
    "tops_per_w": 939.594,
    "rows_parallel": 128,
    "subarray": 128,
    "columns_per_sa": 8,
    "tile": 512,
}
# As issue 15 quotes DNN+NeuroSim V1.4 at 22 nm for this network (1-bit SRAM cells, 1-bit
# sense amplifiers sensing many rows at once); the settings behind them are not given.
QUOTED = {"area_mm2": 1.4, "energy_nj": 2.2, "latency_us": 1.8}

# Node scaling 28 -> 22 nm as the presets scale 45 -> 28 nm (docs/power-model.md): Stillmaker &
# Baas, Integration 58 (2017), HP energy factors 0.5727 (32 nm) and 0.2558 (20 nm), area factors
# 0.46 and 0.21 (relative to 45 nm), interpolated linearly in the node.
def at_node(nm, f32, f20):
    return f20 + (f32 - f20) * (nm - 20) / 12


ENERGY_22_28 = at_node(22, 0.5727, 0.2558) / at_node(28, 0.5727, 0.2558)
AREA_22_28 = at_node(22, 0.46, 0.21) / at_node(28, 0.46, 0.21)


def count(r, cls, action):
    return sum(a["count"] for a in r["actions"] if a["class"] == cls and a["action"] == action)


def entry_pj(r, key):
    return r["power"]["entries"][key]["canonical"]


def fill(doc, tables):
    begin, end = "<!-- BEGIN GENERATED: experiments/peers.sh -->", "<!-- END GENERATED -->"
    text = open(doc).read()
    i = text.index(begin)
    j = text.index(end, i)
    open(doc, "w").write(text[: i + len(begin)] + "\n" + open(tables).read().rstrip("\n") + "\n" + text[j:])


def main(work, out, images):
    runs = {}
    for row in json.load(open(os.path.join(work, "results.json")))["rows"]:
        if row["status"] != "done":
            sys.exit("point %d failed or missing: %s" % (row["index"], row.get("error", "")))
        runs[int(row["point"]["accel.sa.columns_per_sa"])] = json.load(
            open(os.path.join(work, "points", row["hash"] + ".json")))
    r, shared = runs[1], runs[8]
    n = r["accuracy"]["images"]
    p = r["power"]
    ns = NEUROSIM
    lat_us = r["latency"]["accelerator_ns_per_inference"] / 1e3
    cycles = r["cycles"]["per_inference"]
    bits = count(r, "mram_2t2r_array", "bit_sensed") / n
    decisions = count(r, "pcsa", "sense_xnor") / n
    row_reads = count(r, "mram_2t2r_array", "row_read") / n
    sense_fj = 1e3 * (entry_pj(r, "mram_2t2r_array.bit_sensed") + entry_pj(r, "pcsa.sense_xnor"))
    stage = {s: v["energy_pj_per_inference"] / 1e3 for s, v in p["per_stage"].items()}
    cls_nj = {c: v["inference_pj_per_inference"] / 1e3 for c, v in p["per_class"].items()}
    cls_mm2 = {c: v["area_um2"] / 1e6 for c, v in p["area_per_class"].items()}
    layers = r["layers"]
    pcsas = p["area_per_class"]["pcsa"]["quantity"]
    # NeuroSim's sense operations: every 128-row group of every column is sensed once per input bit.
    ns_senses = (math.ceil(784 / ns["rows_parallel"]) + math.ceil(1024 / ns["rows_parallel"])) * 1024
    ns_sas = 8 * (ns["tile"] // ns["subarray"]) ** 2 * ns["subarray"] // ns["columns_per_sa"]
    ns_energy = ns["dynamic_nj"] + ns["leakage_nj"]
    weights = ns["weights"]
    rows = [
        ("energy per inference", "nJ", e_inf(r), e_inf(r) * ENERGY_22_28, ns_energy, QUOTED["energy_nj"]),
        ("area", "mm^2", area(r), area(r) * AREA_22_28, ns["area_mm2"], QUOTED["area_mm2"]),
        ("latency per inference", "us", lat_us, None, ns["pipelined_ns"] / 1e3, QUOTED["latency_us"]),
        ("TOPS/W", "", p["efficiency"]["tops_per_w"], p["efficiency"]["tops_per_w"] / ENERGY_22_28,
         ns["tops_per_w"], None),
    ]
    with open(os.path.join(out, "peers.csv"), "w") as fh:
        fh.write("quantity,unit,scbnn_28nm,scbnn_scaled_22nm,neurosim_run_22nm,neurosim_quoted_22nm\n")
        for q, u, *vals in rows:
            fh.write(",".join([q, u] + ["" if v is None else "%.6g" % v for v in vals]) + "\n")

    def f(v, fmt="%.3g"):
        return "-" if v is None else fmt % v

    md = [f"Images per scbnn point: {images}; preset `{p['preset']['name']}`; generated by "
          "`experiments/peers.sh` (`experiments/peers_tables.py`).\n",
          "| per inference | scbnn (28 nm, 2T2R ST-MRAM) | scbnn scaled to 22 nm | NeuroSim V1.4 run "
          "(22 nm SRAM, 784-1024-1024) | NeuroSim as quoted (issue 15) |",
          "|---|---|---|---|---|"]
    for q, u, a, b, c, d in rows:
        unit = f" ({u})" if u else ""
        md.append(f"| {q}{unit} | {f(a, '%.4g')} | {f(b, '%.4g')} | {f(c, '%.4g')} | {f(d, '%.2g')} |")
    md.append(f"\nNeuroSim latency: {ns['pipelined_ns'] / 1e3:.2f} us per image pipelined (one layer's "
              f"time, the layers overlapped), {ns['layer_by_layer_ns'] / 1e3:.2f} us layer by layer; "
              f"scbnn runs layer by layer: {cycles:.0f} cycles at {r['cycles']['clock_mhz']:g} MHz. "
              f"Node scaling 28 -> 22 nm (Stillmaker & Baas): energy x{ENERGY_22_28:.3f}, area x{AREA_22_28:.3f}.\n")

    md.append("### The differences in numbers\n")
    md.append("| | scbnn | NeuroSim run | scbnn / NeuroSim |")
    md.append("|---|---|---|---|")

    def line(what, a, b, fmt_a="%.4g", fmt_b="%.4g"):
        ratio = "" if not a or not b else ("x%.3g" % (a / b) if a >= b else "1/%.3g" % (b / a))
        md.append(f"| {what} | {fmt_a % a} | {fmt_b % b} | {ratio} |")

    line("rows sensed per sense-amplifier decision", 1, ns["rows_parallel"], "%d", "%d")
    line("sense decisions per inference", decisions, ns_senses, "%.0f", "%.0f")
    line("bits sensed per inference (weights x input bits)", bits, weights, "%.0f", "%.0f")
    line("sensing energy per weight and input bit (fJ): scbnn bit_sensed + PCSA; NeuroSim SA/precharge energy / weights",
         sense_fj, 1e6 * ns["sa_nj"] / weights, "%.3g", "%.3g")
    line("array and sensing energy (nJ): scbnn stage `array`; NeuroSim SA and precharge", stage["array"], ns["sa_nj"],
         "%.4g", "%.4g")
    line("hidden layer 1024-1024, 1-bit inputs in both (nJ)", layers[1]["energy_pj"] / 1e3, ns["layer2_nj"],
         "%.4g", "%.4g")
    line("first layer 784-1024, 8-bit pixels in both (nJ): scbnn 8 bit-plane passes; NeuroSim 8 input cycles",
         layers[0]["energy_pj"] / 1e3, ns["layer1_8bit_nj"], "%.4g", "%.4g")
    line("partial sums and reduce (nJ): scbnn stage `reduce` (partial-sum file %.1f); NeuroSim accumulation"
         % cls_nj.get("partial_sum_register", 0.0), stage["reduce"], ns["accumulation_nj"], "%.4g", "%.3g")
    line("sense amplifiers: scbnn PCSAs (1 per column); NeuroSim 5-bit MLSAs (1 per 8 columns)", pcsas, ns_sas,
         "%.0f", "%.0f")
    line("sense-amplifier area (mm^2)", cls_mm2["pcsa"], ns["sa_mm2"], "%.4f", "%.4f")
    line("memory cells (mm^2)", cls_mm2["mram_2t2r_array"], ns["cim_array_mm2"], "%.4f", "%.4f")
    md.append(f"| interconnect area (mm^2) | not priced (the SoC's bus); on-accelerator wiring is in the "
              f"roll-up: {p['area']['array_periphery_added_um2'] / 1e6:.4f} array periphery + "
              f"{p['area']['logic_routing_added_um2'] / 1e6:.4f} logic routing | {ns['ic_mm2']:.4f} "
              f"({100 * ns['ic_mm2'] / ns['area_mm2']:.0f} %) | |")
    md.append(f"| interconnect energy (nJ) | not priced | {ns['ic_nj']:.3f} "
              f"({100 * ns['ic_nj'] / ns['dynamic_nj']:.0f} %) | |")
    line("clock period (ns)", 1e3 / r["cycles"]["clock_mhz"], ns["clock_ns"], "%.3g", "%.3g")
    md.append(f"| row-serial array reads per inference | {row_reads:.0f} row reads, "
              f"{sum(l['phases'].get('compute', 0) for l in r['cycles']['per_layer']):.0f} compute cycles | "
              f"128 rows per sense step ({ns['sa_latency_ns']:.1f} ns of sensing per image) | |")

    s = shared["power"]
    md.append(f"\nSense-amplifier sharing in scbnn's own model (`accel.sa.columns_per_sa` = 8, the second "
              f"point): PCSAs {s['area_per_class']['pcsa']['quantity']:.0f} "
              f"({s['area_per_class']['pcsa']['area_um2'] / 1e6:.4f} mm^2), area {area(shared):.4f} mm^2 "
              f"({100 * (area(shared) / area(r) - 1):+.1f} %), {shared['cycles']['per_inference']:.0f} cycles "
              f"(x{shared['cycles']['per_inference'] / cycles:.2f}), energy {e_inf(shared):.1f} nJ "
              f"({100 * (e_inf(shared) / e_inf(r) - 1):+.1f} %: leakage and controller cycles over the longer time).\n")
    md.append(f"Summary: scbnn's energy per inference is x{e_inf(r) / ns_energy:.0f} the NeuroSim run's "
              f"(x{e_inf(r) * ENERGY_22_28 / ns_energy:.0f} after node scaling; x{e_inf(r) / (ns['layer1_8bit_nj'] + ns['layer2_nj']):.0f} "
              f"against NeuroSim with 8-bit first-layer inputs, layers 1-2 only); per weight and input bit its "
              f"sensing costs x{sense_fj / (1e6 * ns['sa_nj'] / weights):.0f}; layer 0 is "
              f"{100 * layers[0]['energy_pj'] / p['energy_per_inference_pj']:.0f} % of its energy and the reduce stage "
              f"{100 * stage['reduce'] * 1e3 / p['energy_per_inference_pj']:.0f} %; its area is "
              f"x{area(r) / ns['area_mm2']:.2f} NeuroSim's, its latency x{lat_us / (ns['pipelined_ns'] / 1e3):.1f} "
              f"(x{lat_us / (ns['layer_by_layer_ns'] / 1e3):.1f} against NeuroSim layer by layer).\n")
    md.append("scbnn energy per inference by stage (nJ): " +
              ", ".join(f"{k} {v:.1f}" for k, v in stage.items()) +
              f"; area {area(r):.4f} mm^2 = {p['area']['raw_um2'] / 1e6:.4f} of parts + "
              f"{p['area']['array_periphery_added_um2'] / 1e6:.4f} array periphery + "
              f"{p['area']['logic_routing_added_um2'] / 1e6:.4f} logic routing.")
    with open(os.path.join(out, "peers_tables.md"), "w") as fh:
        fh.write("\n".join(md) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--fill":
        fill(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
