"""Tables of experiments/bcnn.sh from its sweeps' JSON reports (see docs/experiments/bcnn.md)."""
import json
import os
import sys

from report_fields import acc, area, e_inf

sc_work, ber_work, out, images = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
SHORT = {"fmnist_bcnn_fixed.scbnn": "standard", "fmnist_bcnn_sc8.scbnn": "sc8", "fmnist_bcnn_ea1e-2.scbnn": "ea1e-2"}


def reports(work):
    for row in json.load(open(os.path.join(work, "results.json")))["rows"]:
        if row["status"] != "done":
            sys.exit("point %d failed or missing: %s" % (row["index"], row.get("error", "")))
        yield row["point"], json.load(open(os.path.join(work, "points", row["hash"] + ".json")))



sc = {}
for p, r in reports(sc_work):
    net = SHORT[os.path.basename(p["network.path"])]
    if p["accel.input_mode"] == "fixed":
        sc[(net, "fixed", 0)] = r
    else:
        sc[(net, p["accel.sng.source"], int(p["accel.sc.stream_length"]))] = r
with open(os.path.join(out, "bcnn_sc.csv"), "w") as fh:
    fh.write("network,source,stream_length,accuracy,cycles_per_inference,energy_nj_per_inference,area_mm2\n")
    for k in sorted(sc):
        r = sc[k]
        fh.write("%s,%s,%d,%.4f,%.0f,%.3f,%.6f\n" % (*k, r["accuracy"]["accuracy"], r["cycles"]["per_inference"],
                                                   e_inf(r), area(r)))
ber = {}
for p, r in reports(ber_work):
    ber[(SHORT[os.path.basename(p["network.path"])], float(p["accel.mram.ber"]))] = r
with open(os.path.join(out, "bcnn_ber.csv"), "w") as fh:
    fh.write("network,ber,accuracy\n")
    for k in sorted(ber):
        fh.write("%s,%g,%.4f\n" % (*k, ber[k]["accuracy"]["accuracy"]))

ns = sorted({k[2] for k in sc if k[2] > 0})
md = [f"Images per point: {images}. Weight memory ideal in the first table.\n"]
md.append("### Accuracy (%) versus stream length N (samples summed)\n")
md.append("| network, source | fixed-point first layer | " + " | ".join(f"N={n}" for n in ns) + " |")
md.append("|---|---|" + "---|" * len(ns))
for net in ("standard", "sc8"):
    base = sc.get((net, "fixed", 0))
    for source in ("lfsr", "sobol"):
        cells = ["%.2f" % acc(sc[(net, source, n)]) if (net, source, n) in sc else "n/a" for n in ns]
        md.append(f"| {net}, {source} | " + ("%.2f" % acc(base) if base else "n/a") + " | " + " | ".join(cells) + " |")
md.append("")
fixed = sc.get(("standard", "fixed", 0))
if fixed:
    md.append("### Energy, area and cycles: stochastic (LFSR, SC-trained network) against the fixed-point first layer\n")
    md.append("| first layer | accuracy (%) | energy (nJ/inference) | energy ratio fixed/SC | area (mm^2) | "
              "area change | cycles/inference |")
    md.append("|---|---|---|---|---|---|---|")
    md.append("| fixed-point, standard network | %.2f | %.1f | 1 | %.4f | 0 | %.0f |" %
              (acc(fixed), e_inf(fixed), area(fixed), fixed["cycles"]["per_inference"]))
    for n in ns:
        r = sc.get(("sc8", "lfsr", n))
        if r:
            md.append("| stochastic N=%d, sc8 network | %.2f | %.1f | %.2f | %.4f | %+.1f %% | %.0f |" %
                      (n, acc(r), e_inf(r), e_inf(fixed) / e_inf(r), area(r), 100 * (area(r) / area(fixed) - 1),
                       r["cycles"]["per_inference"]))
    md.append("")
bers = sorted({k[1] for k in ber})
md.append("### Accuracy (%) versus weight bit error rate (per-inference sign flips)\n")
md.append("| network | " + " | ".join("BER %g" % b for b in bers) + " |")
md.append("|---|" + "---|" * len(bers))
for net in ("standard", "ea1e-2"):
    md.append(f"| {net} | " + " | ".join("%.2f" % acc(ber[(net, b)]) if (net, b) in ber else "n/a" for b in bers) + " |")
md.append("")
open(os.path.join(out, "bcnn_tables.md"), "w").write("\n".join(md))
