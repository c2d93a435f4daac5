"""Tables of experiments/invertible_logic.sh (docs/experiments/invertible-logic.md): the
binarized 2-layer CNN trained by the p-bit engine (scbnn train-il) beside backpropagation on
this machine's CPU (scbnn train), published beside measured.

  invertible_logic_tables.py WORK OUT IMAGES
"""
import csv
import json
import os
import re
import statistics
import sys

# CPU power: this VM reports an "AMD EPYC" of CPU family 26 (0x1A: Zen 5, the EPYC 9005
# "Turin" line; the SKU is hidden) with 2 cores and no RAPL counters (/sys/class/powercap is
# absent), so the CPU energy is the measured wall time x a power figure: the 96-core EPYC 9655
# has a 400 W TDP (AMD's EPYC 9005 line-up), 4.17 W per core; the line-up's 64- to 128-core
# parts span about 3.9 W (9755: 500 W / 128) to 5.6 W (9555: 360 W / 64) per core. The
# training uses both cores.
CPU_CORES = 2
CPU_WATTS_PER_CORE = 400.0 / 96
CPU_POWER_SOURCE = ("AMD EPYC 9655 (Zen 5, the family this VM's CPU reports): 400 W TDP / 96 cores = 4.17 W per "
                    "core (AMD EPYC 9005 line-up; 3.9-5.6 W per core across its 64-128-core parts), x 2 cores; "
                    "no RAPL on this VM")
# Shin, Onizawa, Gross, Hanyu, IEEE Access 8, 188004 (2020), abstract (shared/seeds/004).
PUBLISHED = {"energy_ratio": 134, "speed_ratio": 40, "accuracy": "almost the same as CPU backpropagation"}


def load(path):
    with open(path) as f:
        return json.load(f)


def wall(work, name):
    with open(os.path.join(work, name + ".wall")) as f:
        return float(f.read())


def backprop_epochs(work):
    epochs, final = [], None
    with open(os.path.join(work, "backprop.log")) as f:
        for line in f:
            m = re.match(r"epoch\s+(\d+)\s+loss\s+([\d.]+)\s+train\s+([\d.]+) %\s+test\s+([\d.]+) %\s+\(([\d.]+) s\)", line)
            if m:
                epochs.append({"epoch": int(m[1]), "test": float(m[4]) / 100, "seconds": float(m[5])})
            m = re.match(r"float network test accuracy ([\d.]+) %; folded integer network ([\d.]+) %", line)
            if m:
                final = float(m[2]) / 100
    return epochs, final


def pct(a):
    return f"{100 * a:.2f} %"


def main(work, out, images):
    il = {n: load(os.path.join(work, n + ".json")) for n in
          ["il_seed1", "il_seed2", "il_seed3", "il_seed1_45nm", "il_rounds", "il_bpconv"]}
    runs = {n: load(os.path.join(work, "run_" + n + ".json")) for n in ["il_seed1", "il_bpconv", "backprop"]}
    epochs, bp_folded = backprop_epochs(work)
    bp_wall = wall(work, "backprop")
    bp_epoch_seconds = sum(e["seconds"] for e in epochs)
    cpu_watts = CPU_CORES * CPU_WATTS_PER_CORE
    bp_energy_j = bp_wall * cpu_watts

    main_il = il["il_seed1"]
    eng = main_il["engine"]
    il_acc = main_il["accuracy"]["test"]
    reach = next((e for e in epochs if e["test"] >= il_acc), None)
    reach_seconds = sum(e["seconds"] for e in epochs[: reach["epoch"]]) if reach else None

    rows = []
    for name, r in il.items():
        e = r["engine"]
        rows.append({
            "run": name, "method": "invertible logic (p-bit engine)",
            "conv": r["conv_init"], "rounds": r["rounds"][-1]["round"], "chosen_round": r["chosen_round"],
            "preset": r["power"]["preset"]["name"],
            "test_accuracy": r["accuracy"]["test"],
            "platform_accuracy": runs[name]["accuracy"]["accuracy"] if name in runs else "",
            "host_seconds": round(wall(work, name), 3),
            "engine_cycles": e["cycles"], "engine_seconds": e["seconds"],
            "energy_j": e["energy_pj"] * 1e-12, "area_mm2": e["area_um2"] * 1e-6,
        })
    rows.append({
        "run": "backprop", "method": "backpropagation (libtorch, 30 epochs, 2 threads)", "conv": "learnt",
        "rounds": "", "chosen_round": "", "preset": "",
        "test_accuracy": bp_folded, "platform_accuracy": runs["backprop"]["accuracy"]["accuracy"],
        "host_seconds": round(bp_wall, 3), "engine_cycles": "", "engine_seconds": "",
        "energy_j": bp_energy_j, "area_mm2": "",
    })
    with open(os.path.join(out, "invertible_logic.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)

    seeds = [il[f"il_seed{s}"]["accuracy"]["test"] for s in (1, 2, 3)]
    lines = []
    add = lines.append
    add(f"Test images: {images} of the 14 x 14 Fashion-MNIST test set on the platform; the trainers report "
        f"all 10 000.\n")
    add("| | invertible logic (engine) | backpropagation (CPU) | ratio | published (Shin et al. 2020) |")
    add("|---|---|---|---|---|")
    add(f"| test accuracy (trainer) | {pct(il_acc)} (seeds 1-3: {', '.join(pct(a) for a in seeds)}) | "
        f"{pct(bp_folded)} | {100 * (il_acc - bp_folded):+.2f} points | about the same |")
    add(f"| test accuracy (platform, `scbnn run`) | {pct(runs['il_seed1']['accuracy']['accuracy'])} | "
        f"{pct(runs['backprop']['accuracy']['accuracy'])} | | |")
    speed = bp_wall / eng["seconds"]
    add(f"| training time | {eng['seconds'] * 1e3:.1f} ms ({eng['cycles']:,} cycles at {eng['clock_mhz']:g} MHz) | "
        f"{bp_wall:.1f} s wall ({bp_epoch_seconds:.1f} s in 30 epochs) | {speed:,.0f}x faster | "
        f"{PUBLISHED['speed_ratio']}x faster |")
    if reach:
        add(f"| time to the engine's accuracy | | {reach_seconds:.1f} s (epoch {reach['epoch']}) | "
            f"{reach_seconds / eng['seconds']:,.0f}x | |")
    ratio = bp_energy_j / (eng["energy_pj"] * 1e-12)
    add(f"| training energy | {eng['energy_pj'] * 1e-9:.3f} mJ ({main_il['power']['preset']['name']}) | "
        f"{bp_energy_j:.0f} J ({cpu_watts:.2f} W x wall time) | {ratio:,.0f}x less | "
        f"{PUBLISHED['energy_ratio']}x less |")
    e45 = il["il_seed1_45nm"]["engine"]
    add(f"| training energy at 45 nm | {e45['energy_pj'] * 1e-9:.3f} mJ (st-mram-45nm) | | "
        f"{bp_energy_j / (e45['energy_pj'] * 1e-12):,.0f}x less | |")
    add(f"| engine area | {eng['area_um2'] * 1e-6:.2f} mm^2 ({main_il['power']['preset']['name']}); "
        f"{e45['area_um2'] * 1e-6:.2f} mm^2 (45 nm) | | | FPGA |")
    add(f"| host time of `scbnn train-il` (the engine simulated on this CPU) | {wall(work, 'il_seed1'):.1f} s | | "
        f"{bp_wall / wall(work, 'il_seed1'):.1f}x | |")
    add("")
    add(f"CPU power: {CPU_POWER_SOURCE}.\n")

    add("Runs of the invertible-logic trainer (seed 1 unless stated; accuracy on the 10 000 test images):\n")
    add("| run | convolution | rounds (chosen) | test accuracy | engine cycles | engine time | energy | area | "
        "host time |")
    add("|---|---|---|---|---|---|---|---|---|")
    labels = {"il_seed1": "default, seed 1", "il_seed2": "default, seed 2", "il_seed3": "default, seed 3",
              "il_seed1_45nm": "default, 45 nm preset", "il_rounds": "2 block rounds, 10 000 validation images",
              "il_bpconv": "output layer on the backprop-trained convolution"}
    for name, r in il.items():
        e = r["engine"]
        conv = "random (seeded)" if r["conv_init"] == "random" else "from fmnist_cnn2_il.scbnn"
        add(f"| {labels[name]} | {conv} | {r['rounds'][-1]['round']} ({r['chosen_round']}) | "
            f"{pct(r['accuracy']['test'])} | {e['cycles']:,} | {e['seconds'] * 1e3:.1f} ms | "
            f"{e['energy_pj'] * 1e-9:.3f} mJ | {e['area_um2'] * 1e-6:.2f} mm^2 | {wall(work, name):.1f} s |")
    add("")
    rounds = il["il_rounds"]["rounds"]
    add("Block rounds (`il_train.rounds=2`, validation on the last 10 000 training images):\n")
    add("| round | pooled bits the hidden phase changed | pre-pool targets reproduced: learnt kernels / previous | "
        "channels taking the learnt kernel | validation | test |")
    add("|---|---|---|---|---|---|")
    for s in rounds:
        r = s["round"]
        add(f"| {r} | {pct(s['hidden_changed']) if r else ''} | "
            f"{pct(s['prepool_learnt']) + ' / ' + pct(s['prepool_previous']) if r else ''} | "
            f"{s['channels_accepted'] if r else ''} | {pct(s['validation_accuracy'])} | {pct(s['test_accuracy'])} |")
    add("")
    add("Engine energy by component class (default run, " + main_il["power"]["preset"]["name"] + "):\n")
    add("| class | energy | share |")
    add("|---|---|---|")
    per_class = main_il["power"]["per_class"]
    total = sum(c["inference_pj_per_inference"] for c in per_class.values())
    for cls, c in sorted(per_class.items(), key=lambda kv: -kv[1]["inference_pj_per_inference"]):
        add(f"| `{cls}` | {c['inference_pj_per_inference'] * 1e-9:.4f} mJ | "
            f"{100 * c['inference_pj_per_inference'] / total:.1f} % |")
    leak = main_il["engine"]["leakage_pj"]
    add(f"| leakage | {leak * 1e-9:.4f} mJ | of the total {main_il['engine']['energy_pj'] * 1e-9:.4f} mJ |")
    add("")
    cyc = main_il["counts"]["cycles"]
    add(f"Engine cycles (default run): feature passes {cyc['features']:,}, coupling accumulation "
        f"{cyc['accumulation']:,}, anneals {cyc['anneals']:,}; p-bit decisions {main_il['counts']['pbit_updates']:,}, "
        f"flips {main_il['counts']['flips']:,}.\n")
    add("Backpropagation, test accuracy after each epoch (float network) and its seconds:\n")
    add("| epoch | " + " | ".join(str(e["epoch"]) for e in epochs) + " |")
    add("|---|" + "---|" * len(epochs))
    add("| test | " + " | ".join(f"{100 * e['test']:.1f}" for e in epochs) + " |")
    add("| s | " + " | ".join(f"{e['seconds']:.1f}" for e in epochs) + " |")
    with open(os.path.join(out, "invertible_logic.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
