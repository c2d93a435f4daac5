"""Tables of experiments/sc_cnn.sh from its sweeps' JSON reports (see docs/experiments/sc-cnn.md).

Definitions (the page states them too):
- MACs: multiply-accumulates of the network per inference: every weight at every output
  position of its layer, padded positions included (from the report's layer graph; its
  ops_per_inference counts each weight once, positions aside).
- PE array: the component classes of the two PE kinds (docs/sc-cnn.md); area = the sum of
  their areas (before the accelerator's area roll-up, which scales logic alike for both),
  energy per inference = their dynamic energy + their leakage power x the compute time.
- Throughput of the PE array: MACs per compute cycle (the cycle ledger's compute phase);
  MAC/s = that x the clock. Ops per area = MAC/s / PE area: replicating an array r times
  multiplies its MAC/s and its area by r, so this figure is the same at any throughput, and
  the SC/binary ratio of it is the ratio of areas at equal throughput (r = binary MAC/s /
  SC MAC/s SC arrays against one binary array).
- Ops per energy = MACs / PE energy per inference (also unchanged by replication: each
  replica leaks for 1/r of the time).
- Whole accelerator: MACs / (area x accelerator time per inference) and MACs / energy per
  inference, from the report's totals (not throughput-matched: the rest is the same design).
"""
import json
import os
import re
import sys

from report_fields import acc, area, e_inf

cost_work, fault_work, out = sys.argv[1], sys.argv[2], sys.argv[3]
images, fault_images = int(sys.argv[4]), int(sys.argv[5])

SC_CLASSES = ("sc_stream_counter", "sc_stream_comparator", "sc_down_counter", "sc_row_counter")
BINARY_CLASSES = ("mac_multiplier", "mac_adder_tree")
SHARED_CLASSES = ("mac_pe_register", "mac_accumulator")
PE_CLASSES = SC_CLASSES + BINARY_CLASSES + SHARED_CLASSES
KS = (1, 2, 4, 8, 16)
RATES = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1)


def reports(work):
    for row in json.load(open(os.path.join(work, "results.json")))["rows"]:
        if row["status"] != "done":
            sys.exit("point %d failed or missing: %s" % (row["index"], row.get("error", "")))
        yield row["point"], json.load(open(os.path.join(work, "points", row["hash"] + ".json")))


def net_bits(r):
    """(weight bits, activation bits) of the network the report ran."""
    return int(r["datapath"]["weight_bits"]), int(r["datapath"]["activation_bits"])


def float_accuracy(r):
    """The float baseline's test accuracy (%) recorded in the network's provenance, or None."""
    baseline = r["network"]["provenance"].get("float_baseline") or {}
    value = baseline.get("float_test_accuracy")
    return None if value is None else 100 * value


def folded_accuracy(r):
    """The trainer's exact integer accuracy (%) on the full test set (quantised_scores), or None."""
    value = r["network"]["provenance"].get("folded_test_accuracy")
    return None if value is None else 100 * value


CONV = re.compile(r"conv2d (\d+)x\d+ .*, \d+ x \d+ x (\d+) -> (\d+) x (\d+) x (\d+)")
DENSE = re.compile(r"dense (\d+) -> (\d+)")


def macs(r):
    """Multiply-accumulates per inference, from the layer graph's descriptions."""
    total = 0
    for layer in r["network"]["graph"]:
        conv, dense = CONV.match(layer), DENSE.match(layer)
        if conv:
            kernel, channels, oh, ow, outputs = (int(g) for g in conv.groups())
            total += oh * ow * outputs * kernel * kernel * channels
        elif dense:
            total += int(dense.group(1)) * int(dense.group(2))
        else:
            sys.exit("unknown layer in the report's graph: " + layer)
    return total


def clock_hz(r):
    return r["cycles"]["clock_mhz"] * 1e6


def compute_cycles(r):
    return sum(layer["phases"].get("compute", 0) for layer in r["cycles"]["per_layer"])


def pe_area_mm2(r):
    return sum(c["area_um2"] for name, c in r["power"]["area_per_class"].items() if name in PE_CLASSES) / 1e6


def pe_energy_nj(r):
    dynamic = sum(c["inference_pj_per_inference"] for name, c in r["power"]["per_class"].items() if name in PE_CLASSES)
    leak_nw = sum(c["leakage_nw"] for name, c in r["power"]["area_per_class"].items() if name in PE_CLASSES)
    compute_ns = compute_cycles(r) / clock_hz(r) * 1e9
    return (dynamic + leak_nw * compute_ns * 1e-6) / 1e3  # nW x ns = 1e-6 pJ


def pe_figures(r):
    """Throughput (MAC/cycle), GMAC/s per mm^2 and MAC per nJ of the PE array."""
    per_cycle = macs(r) / compute_cycles(r)
    gmacs = per_cycle * clock_hz(r) / 1e9
    return per_cycle, gmacs / pe_area_mm2(r), macs(r) / pe_energy_nj(r)


def latency_us(r):
    return r["cycles"]["per_inference"] / r["cycles"]["clock_mhz"]


def whole_figures(r):
    """GMAC/s per mm^2 and MAC per nJ of the whole accelerator."""
    gmacs = macs(r) / latency_us(r) / 1e3
    return gmacs / area(r), macs(r) / e_inf(r)


def pct(ratio):
    return "%+.0f %%" % (100 * (ratio - 1))


# ---- the cost sweep: key (hardware bits, network bits, pe, k, early termination) ----
cost = {}
for p, r in reports(cost_work):
    hw = int(p["accel.mac.weight_bits"])
    pe = p["accel.mac.pe"]
    k = int(p.get("accel.mac.stream_bits_per_cycle", 0)) if pe == "sc_cnn" else 0
    et = str(p.get("accel.mac.early_termination", "true")).lower() == "true" if pe == "sc_cnn" else True
    cost[(hw, net_bits(r)[0], pe, k, et)] = r
precisions = sorted({(key[0], key[1]) for key in cost})  # (hardware bits, network bits)

with open(os.path.join(out, "sc_cnn_cost.csv"), "w") as fh:
    fh.write("hardware_bits,network_bits,pe,k,early_termination,accuracy,macs_per_inference,cycles_per_inference,"
             "compute_cycles,latency_us,pe_area_mm2,pe_energy_nj,macs_per_cycle,pe_gmacs_per_mm2,pe_macs_per_nj,"
             "area_mm2,energy_nj_per_inference,gmacs_per_mm2,macs_per_nj\n")
    for key in sorted(cost):
        r = cost[key]
        per_cycle, pe_opa, pe_ope = pe_figures(r)
        opa, ope = whole_figures(r)
        fh.write("%d,%d,%s,%d,%s,%.4f,%.0f,%.0f,%.0f,%.3f,%.6f,%.3f,%.3f,%.3f,%.1f,%.6f,%.3f,%.3f,%.1f\n" %
                 (*key[:4], "true" if key[4] else "false", r["accuracy"]["accuracy"], macs(r),
                  r["cycles"]["per_inference"], compute_cycles(r), latency_us(r), pe_area_mm2(r), pe_energy_nj(r),
                  per_cycle, pe_opa, pe_ope, area(r), e_inf(r), opa, ope))


def bits_label(hw, nb):
    return "%d/%d" % (hw, hw) if hw == nb else "%d/%d (w%da%d network)" % (hw, hw, nb, nb)


md = ["Images per point: %d (the flip-rate tables: the first %d). Seed 1. Bits: hardware weight/activation bits "
      "(`accel.mac.weight_bits`/`activation_bits`); the network's are the same unless stated.\n" %
      (images, fault_images)]

# ---- (b) accuracy ----
md.append("### Accuracy (%): float, exact integer (binary MAC), SC-CNN\n")
md.append("| network | float (provenance) | exact integer, trainer (10 000 images) | exact integer: binary_mac | "
          "SC-CNN: sc_cnn | SC - integer (points) | SC - float (points) | SC the same at every k and early termination |")
md.append("|---|---|---|---|---|---|---|---|")
for hw, nb in precisions:
    if hw != nb:
        continue
    binary, sc = cost.get((hw, nb, "binary_mac", 0, True)), cost.get((hw, nb, "sc_cnn", 1, True))
    if not binary or not sc:
        continue
    fl, folded = float_accuracy(sc), folded_accuracy(sc)
    same = all(r["accuracy"]["correct"] == sc["accuracy"]["correct"]
               for key, r in cost.items() if key[0] == hw and key[2] == "sc_cnn")
    md.append("| w%da%d | %s | %s | %.2f | %.2f | %+.2f | %s | %s |" %
              (nb, nb, "%.2f" % fl if fl is not None else "n/a", "%.2f" % folded if folded is not None else "n/a",
               acc(binary), acc(sc), acc(sc) - acc(binary), "%+.2f" % (acc(sc) - fl) if fl is not None else "n/a",
               "yes" if same else "NO"))
md.append("")

# ---- (a) ops per area and per energy, PE array ----
md.append("### PE array: throughput, ops per area and per energy (early termination on)\n")
md.append("GMAC/s/mm^2 is throughput-normalised (equal throughput = the SC array replicated `replicas` times); "
          "`vs binary` is SC / binary at the same precision.\n")
md.append("| bits | PE | k | compute cycles/inference | MAC/cycle | PE area (mm^2) | replicas for equal throughput | "
          "GMAC/s/mm^2 | vs binary | PE energy (nJ/inference) | MAC/nJ | vs binary |")
md.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
best = {}
for hw, nb in precisions:
    binary = cost.get((hw, nb, "binary_mac", 0, True))
    if not binary:
        continue
    b_cycle, b_opa, b_ope = pe_figures(binary)
    md.append("| %s | binary_mac | - | %.0f | %.1f | %.4f | 1 | %.1f | 1 | %.2f | %.0f | 1 |" %
              (bits_label(hw, nb), compute_cycles(binary), b_cycle, pe_area_mm2(binary), b_opa,
               pe_energy_nj(binary), b_ope))
    for k in KS:
        r = cost.get((hw, nb, "sc_cnn", k, True))
        if not r:
            continue
        s_cycle, s_opa, s_ope = pe_figures(r)
        if (hw, nb) not in best or s_opa / b_opa > best[(hw, nb)][1]:
            best[(hw, nb)] = (k, s_opa / b_opa, s_ope / b_ope)
        md.append("| %s | sc_cnn | %d | %.0f | %.1f | %.4f | %.1f | %.1f | %.3f (%s) | %.2f | %.0f | %.2f (%s) |" %
                  (bits_label(hw, nb), k, compute_cycles(r), s_cycle, pe_area_mm2(r), b_cycle / s_cycle, s_opa,
                   s_opa / b_opa, pct(s_opa / b_opa), pe_energy_nj(r), s_ope, s_ope / b_ope, pct(s_ope / b_ope)))
md.append("")
if best:
    md.append("Best SC-CNN width per precision (ops per area): " + "; ".join(
        "%s: k = %d, ops/area x%.3f, ops/energy x%.2f" % (bits_label(hw, nb), k, ra, re)
        for (hw, nb), (k, ra, re) in sorted(best.items())) + ".\n")

# ---- whole accelerator ----
md.append("### Whole accelerator (early termination on)\n")
md.append("| bits | PE | k | area (mm^2) | energy (nJ/inference) | latency (us) | GMAC/s/mm^2 | vs binary | MAC/nJ | "
          "vs binary |")
md.append("|---|---|---|---|---|---|---|---|---|---|")
for hw, nb in precisions:
    binary = cost.get((hw, nb, "binary_mac", 0, True))
    if not binary:
        continue
    b_opa, b_ope = whole_figures(binary)
    md.append("| %s | binary_mac | - | %.4f | %.1f | %.2f | %.2f | 1 | %.0f | 1 |" %
              (bits_label(hw, nb), area(binary), e_inf(binary), latency_us(binary), b_opa, b_ope))
    for k in KS:
        r = cost.get((hw, nb, "sc_cnn", k, True))
        if r:
            opa, ope = whole_figures(r)
            md.append("| %s | sc_cnn | %d | %.4f | %.1f | %.2f | %.2f | %.3f | %.0f | %.2f |" %
                      (bits_label(hw, nb), k, area(r), e_inf(r), latency_us(r), opa, opa / b_opa, ope, ope / b_ope))
md.append("")

# ---- (d) latency ----
md.append("### Latency per inference: cycles (us at the clock)\n")
md.append("| bits | binary_mac | " + " | ".join("SC k=%d" % k for k in KS) + " | " +
          " | ".join("SC k=%d, no early termination" % k for k in KS) + " |")
md.append("|---|---|" + "---|" * (2 * len(KS)))
for hw, nb in precisions:
    binary = cost.get((hw, nb, "binary_mac", 0, True))

    def cell(r):
        return "%.0f (%.1f)" % (r["cycles"]["per_inference"], latency_us(r)) if r else "n/a"

    md.append("| %s | %s | " % (bits_label(hw, nb), cell(binary)) +
              " | ".join(cell(cost.get((hw, nb, "sc_cnn", k, et))) for et in (True, False) for k in KS) + " |")
md.append("")

def flips(r, kind):
    """Bits exposed and flipped per inference by one kind of fault (the report's error tally)."""
    source = r["errors_injected"]["per_source"].get("mac_accumulator" if kind == "accumulator_ber" else "mac_datapath")
    n = r["accuracy"]["images"]
    return (source["opportunities"] / n, source["events"] / n) if source else (0.0, 0.0)


# ---- (c) faults: key (network bits, pe, kind of fault, rate) ----
faults, clean = {}, {}
for p, r in reports(fault_work):
    pe = p["accel.mac.pe"]
    rates = {kind: float(p.get("accel.mac.fault." + kind, 0)) for kind in ("stream_ber", "product_ber", "accumulator_ber")}
    for kind, rate in rates.items():
        if rate > 0:
            faults[(net_bits(r)[0], pe, kind, rate)] = r
    if not any(rates.values()):
        clean[(net_bits(r)[0], pe)] = r
with open(os.path.join(out, "sc_cnn_faults.csv"), "w") as fh:
    fh.write("network_bits,pe,fault,rate,accuracy,bits_exposed_per_inference,flips_per_inference\n")
    for (nb, pe) in sorted(clean):
        fh.write("%d,%s,none,0,%.4f,0,0\n" % (nb, pe, clean[(nb, pe)]["accuracy"]["accuracy"]))
    for key in sorted(faults):
        r = faults[key]
        exposed, flipped = flips(r, key[2])
        fh.write("%d,%s,%s,%g,%.4f,%.0f,%.1f\n" % (*key, r["accuracy"]["accuracy"], exposed, flipped))
series = (("sc_cnn", "stream_ber", "SC stream bits"), ("binary_mac", "product_ber", "binary product bits"),
          ("sc_cnn", "accumulator_ber", "SC accumulator"), ("binary_mac", "accumulator_ber", "binary accumulator"))
for nb in sorted({key[0] for key in faults}):
    md.append("### Accuracy (%%) versus flip rate per bit, w%da%d network (k = 1, first %d images)\n" %
              (nb, nb, fault_images))
    md.append("| rate | " + " | ".join(label for _, _, label in series) + " |")
    md.append("|---|" + "---|" * len(series))
    md.append("| 0 | " + " | ".join("%.2f" % acc(clean[(nb, pe)]) if (nb, pe) in clean else "n/a"
                                   for pe, _, _ in series) + " |")
    for rate in RATES:
        md.append("| %g | " % rate + " | ".join(
            "%.2f" % acc(faults[(nb, pe, kind, rate)]) if (nb, pe, kind, rate) in faults else "n/a"
            for pe, kind, _ in series) + " |")
    md.append("")
    md.append("Bits exposed per inference (flips = rate x bits): " + "; ".join(
        "%s %.3g" % (label, flips(faults[(nb, pe, kind, RATES[0])], kind)[0])
        for pe, kind, label in series if (nb, pe, kind, RATES[0]) in faults) + ".\n")
open(os.path.join(out, "sc_cnn_tables.md"), "w").write("\n".join(md))
