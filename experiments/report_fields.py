"""What the experiment table scripts read from a run report (schema of docs/results.md)."""


def acc(r):
    return 100 * r["accuracy"]["accuracy"]


def e_inf(r):
    return r["power"]["energy_per_inference_pj"] / 1e3  # nJ


def area(r):
    return r["power"]["area_um2"] / 1e6  # mm^2
