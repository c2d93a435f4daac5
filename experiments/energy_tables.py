"""Tables of experiments/energy.sh from its JSON reports (see docs/experiments/energy.md)."""
import json
import os
import sys

from report_fields import acc, area, e_inf

work, out, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
SHORT = {"fmnist_bnn_fixed.scbnn": "standard", "fmnist_bnn_sc1.scbnn": "sc1", "fmnist_bnn_sc8.scbnn": "sc8"}
runs = {}
for row in json.load(open(os.path.join(work, "results.json")))["rows"]:
    if row["status"] != "done":
        sys.exit("point %d failed or missing: %s" % (row["index"], row.get("error", "")))
    p = row["point"]
    if "accel.mram.pulse_ns" in p:
        key = ("t4", "conventional", "pulse", p["accel.mram.pulse_ns"])
    elif p["accel.input_mode"] == "fixed":
        key = ("t12", "conventional", "fixed", "0")
    else:
        variant = p["accel.sng.source"] + ("_shared%s" % p["accel.sng.shared_sources"] if "accel.sng.sharing" in p else "")
        key = ("t12", SHORT[p["network.path"]], variant, p["accel.sc.stream_length"])
    runs[key] = json.load(open(os.path.join(work, "points", row["hash"] + ".json")))



rows = []
for key, r in sorted(runs.items()):
    p = r["power"]
    rows.append([*key, "%.4f" % r["accuracy"]["accuracy"], "%.3f" % e_inf(r), "%.3f" % (p["programming_pj"] / 1e6),
                 "%.6f" % area(r), "%.0f" % r["cycles"]["per_inference"],
                 "%.3g" % r["memory"].get("mtj_write_error_probability", 0.0),
                 str(r["errors_injected"]["weights_wrong_at_end"])])
with open(os.path.join(out, "energy.csv"), "w") as fh:
    fh.write("target,network,variant,parameter,accuracy,energy_nj_per_inference,programming_uj,area_mm2,"
             "cycles_per_inference,mtj_wer,weights_wrong\n")
    for row in rows:
        fh.write(",".join(row) + "\n")

md = [f"Images per point: {images}; preset `{next(iter(runs.values()))['power']['preset']['name']}`.\n"]
conv = runs[("t12", "conventional", "fixed", "0")]
md.append("## T1/T2: SC-BNN against the conventional BNN (ideal weight memory)\n")
md.append(f"Conventional BNN (8-bit pixels, 8 bit-plane passes, shift-add): accuracy {acc(conv):.2f} %, "
          f"{e_inf(conv):.1f} nJ per inference, {area(conv):.4f} mm^2, {conv['cycles']['per_inference']:.0f} cycles.\n")
md.append("| network | SNGs | N | accuracy | cost (points) | energy/inference | energy ratio conv/SC | area | area change | cycles |")
md.append("|---|---|---|---|---|---|---|---|---|---|")
for key, r in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][2], int(kv[0][3]) if kv[0][3].isdigit() else 0)):
    if key[0] != "t12" or key[1] == "conventional":
        continue
    md.append(f"| {key[1]} | {key[2]} | {key[3]} | {acc(r):.2f} % | {acc(conv) - acc(r):.2f} | {e_inf(r):.1f} nJ | "
              f"{e_inf(conv) / e_inf(r):.2f} | {area(r):.4f} mm^2 | {100 * (area(r) / area(conv) - 1):+.1f} % | "
              f"{r['cycles']['per_inference']:.0f} |")


def breakdown(label_runs):
    classes = sorted({c for _, r in label_runs for c in r["power"]["per_class"]} |
                     {c for _, r in label_runs for c in r["power"]["area_per_class"]})
    lines = ["| component | " + " | ".join(f"{label} energy (nJ) | {label} area (mm^2)" for label, _ in label_runs) + " |",
             "|---|" + "---|---|" * len(label_runs)]
    for c in classes:
        cells = []
        for _, r in label_runs:
            e = r["power"]["per_class"].get(c, {}).get("inference_pj_per_inference", 0.0) / 1e3
            a = r["power"]["area_per_class"].get(c, {}).get("area_um2", 0.0) / 1e6
            cells.append(f"{e:.2f} | {a:.4f}")
        lines.append(f"| {c} | " + " | ".join(cells) + " |")
    return lines


md.append("\n### Where the energy and area go\n")
picks = [("conventional", conv)]
for n in ("8", "4"):
    if ("t12", "sc8", "lfsr", n) in runs:
        picks.append((f"SC N={n}", runs[("t12", "sc8", "lfsr", n)]))
md += breakdown(picks)

md.append("\n## T4: weak against strong programming (physical MRAM model, conventional BNN)\n")
t4 = sorted(((float(k[3]), r) for k, r in runs.items() if k[0] == "t4"), reverse=True)
md.append("| pulse (ns) | MTJ WER | weights wrong | accuracy | programming (uJ) | inference (nJ) |")
md.append("|---|---|---|---|---|---|")
for pulse, r in t4:
    md.append(f"| {pulse:g} | {r['memory']['mtj_write_error_probability']:.3g} | "
              f"{r['errors_injected']['weights_wrong_at_end']} | {acc(r):.2f} % | "
              f"{r['power']['programming_pj'] / 1e6:.3f} | {e_inf(r):.1f} |")
md.append("\nSystem energy per inference when the network is reprogrammed every K inferences, "
          "E = E_inference + E_programming / K, as the ratio strong / weak:\n")
weak = [r for p, r in t4 if abs(p - 5.95) < 1e-9]
if weak:
    w = weak[0]
    md.append("| strong pulse | weak pulse | K = 1 | K = 10 | K = 100 | K = 1000 |")
    md.append("|---|---|---|---|---|---|")
    for pulse, s in t4:
        if pulse <= 5.95:
            continue
        ratios = []
        for k in (1, 10, 100, 1000):
            es = e_inf(s) + s["power"]["programming_pj"] / 1e3 / k
            ew = e_inf(w) + w["power"]["programming_pj"] / 1e3 / k
            ratios.append(f"{es / ew:.2f}")
        md.append(f"| {pulse:g} ns | 5.95 ns | " + " | ".join(ratios) + " |")
with open(os.path.join(out, "energy_tables.md"), "w") as fh:
    fh.write("\n".join(md) + "\n")
print("\n".join(md))
