"""`scbnn report` end to end: pages of a run report and of a merged sweep (over two seeds),
loaded in headless Chromium (Debian's chromium, chromium-driver, python3-selenium;
scripts/deps.sh --tests). Checks that each page renders without console errors and loads
nothing; that its tables hold the input's numbers, compared with values this test computes
from the input JSON itself (accuracy, the Wilson interval, energy, area, per-layer cycles and
energy, the Pareto front, means over seeds); that every tool and provenance field is shown,
also fields added later; that the charts' marks carry titles and a click on a mark shows that
point's details; that a screenshot is not blank; and that bad input fails naming the file or
option and leaves no page behind.

    /usr/bin/python3 tests/html_report_test.py path/to/scbnn
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

SCBNN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="scbnn_html_")
TIMEOUT_S = 120  # for conditions to hold in the browser: generous, never a fixed sleep
passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, flush=True)
    return ok


def scbnn(*args):
    return subprocess.run([SCBNN, *args], capture_output=True, text=True, timeout=600)


# ---- independent references ------------------------------------------------------------
def wilson(correct, n, z=1.959963984540054):
    """Wilson's score interval, written from the formula (not from scbnn's code)."""
    if n == 0:
        return 0.0, 1.0
    p = correct / n
    denominator = 1 + z * z / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if correct == 0 else (centre - spread) / denominator
    high = 1.0 if correct == n else (centre + spread) / denominator
    return low, high


def pareto(points):
    """Indices of the points no other point dominates (cheaper or equal, at least as accurate, better in one)."""
    front = set()
    for i, (e, a) in enumerate(points):
        if not any((e2 <= e and a2 >= a and (e2 < e or a2 > a)) for j, (e2, a2) in enumerate(points) if j != i):
            front.add(i)
    return front


def shown_equals(text, expected):
    """The displayed number equals `expected` rounded to the digits it shows."""
    m = re.fullmatch(r"\s*(-?\d+)(?:\.(\d+))?(?:e([+-]?\d+))?\s*%?\s*", text or "")
    if not m:
        return False
    decimals = len(m.group(2) or "")
    exponent = int(m.group(3) or 0)
    tolerance = 0.5 * 10 ** (exponent - decimals)
    return abs(float(text.strip().rstrip("%").strip()) - expected) <= tolerance * (1 + 1e-9) + 1e-12


def check_number(driver, selector, expected, what):
    text = cell(driver, selector)
    return check(shown_equals(text, expected), f"{what}: page shows {text!r} at {selector}, expected {expected!r}")


# ---- the browser -----------------------------------------------------------------------
def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1600", "--hide-scrollbars"):
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def load(driver, page):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("file://" + page)
    try:
        WebDriverWait(driver, TIMEOUT_S).until(
            lambda d: d.execute_script("return document.documentElement.getAttribute('data-rendered')") == "yes")
        rendered = True
    except Exception:  # the page's script failed before it finished: its error is in the log
        rendered = False
    log = driver.get_log("browser")
    check(rendered, f"{page} finished rendering (console: {log})")
    errors = [e for e in log if e["level"] == "SEVERE"]
    check(not errors, f"{page}: console errors {errors}")
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    check(resources == [], f"{page} loaded nothing besides itself (loaded {resources})")
    return rendered


def cell(driver, selector):
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, selector)
    return found[0].get_attribute("textContent") if found else None


def count(driver, selector):
    from selenium.webdriver.common.by import By

    return len(driver.find_elements(By.CSS_SELECTOR, selector))


def check_screenshot(driver, name):
    """The page as a person sees it: many colours, mostly not one (a blank or broken page is one)."""
    from io import BytesIO

    from PIL import Image

    png = driver.get_screenshot_as_png()
    with open(os.path.join(WORK, name + ".png"), "wb") as f:
        f.write(png)
    image = Image.open(BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    most = max(n for n, _ in colours)
    check(len(colours) >= 50, f"{name} screenshot has {len(colours)} distinct colours (a blank page has 1)")
    check(most < 0.97 * image.width * image.height, f"{name} screenshot is not one colour almost everywhere")


def css(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- the run page ----------------------------------------------------------------------
def check_run_tables(driver, report, prefix=""):
    """The tables of one run (the run page, or a sweep point's details) against its report."""
    acc = report["accuracy"]
    low, high = wilson(acc["correct"], acc["images"])
    s = f"#{prefix}summary"
    check_number(driver, f'{s} tr[data-row="accuracy"] [data-col="value"]', 100 * acc["accuracy"], "accuracy")
    check_number(driver, f'{s} tr[data-row="correct"] [data-col="value"]', acc["correct"], "correct")
    check_number(driver, f'{s} tr[data-row="interval_low"] [data-col="value"]', 100 * low, "interval low")
    check_number(driver, f'{s} tr[data-row="interval_high"] [data-col="value"]', 100 * high, "interval high")
    check_number(driver, f'{s} tr[data-row="cycles"] [data-col="value"]', report["cycles"]["per_inference"],
                 "cycles per inference")
    power = report["power"]
    energy_nj = power["energy_per_inference_pj"] / 1e3
    check_number(driver, f'{s} tr[data-row="energy"] [data-col="value"]', energy_nj, "energy per inference")
    check_number(driver, f'{s} tr[data-row="area"] [data-col="value"]', power["area_um2"] / 1e6, "area")

    # cycles per layer and phase, and their totals
    layers = report["cycles"]["per_layer"]
    check(count(driver, f"#{prefix}cycles-per-layer tbody tr") == len(layers) + 1,
          f"{prefix}cycles-per-layer has one row per layer and a total")
    for layer in layers:
        row = f'#{prefix}cycles-per-layer tr[data-row={css(layer["layer"])}]'
        check_number(driver, f'{row} [data-col="cycles"]', layer["cycles"], f'{layer["layer"]} cycles')
        for phase, cycles in layer["phases"].items():
            check_number(driver, f"{row} [data-col={css(phase)}]", cycles, f'{layer["layer"]} {phase} cycles')
    check_number(driver, f'#{prefix}cycles-per-layer tr[data-row="total"] [data-col="cycles"]',
                 sum(l["cycles"] for l in layers), "total cycles")
    marks = sum(1 for l in layers for v in l["phases"].values() if v > 0)
    check(count(driver, f"#{prefix}chart-cycles-per-layer rect > title") == marks,
          f"{prefix}cycles chart: one titled bar segment per non-zero phase ({marks})")

    # energy per layer
    for layer in report["layers"]:
        row = f'#{prefix}layers tr[data-row={css(layer["layer"])}]'
        check_number(driver, f'{row} [data-col="energy_nj"]', layer["energy_pj"] / 1e3, f'{layer["layer"]} energy')
        check_number(driver, f'{row} [data-col="row_reads"]', layer["row_reads"], f'{layer["layer"]} row reads')

    # energy and area per component class; each class's share and the totals
    for cls, c in power["per_class"].items():
        row = f"#{prefix}energy-per-class tr[data-row={css(cls)}]"
        nj = c["inference_pj_per_inference"] / 1e3
        check_number(driver, f'{row} [data-col="energy_nj"]', nj, f"{cls} energy")
        check_number(driver, f'{row} [data-col="share"]', 100 * nj / energy_nj, f"{cls} energy share")
    check_number(driver, f'#{prefix}energy-per-class tr[data-row="total"] [data-col="energy_nj"]', energy_nj,
                 "energy total")
    for cls, c in power["area_per_class"].items():
        check_number(driver, f'#{prefix}area-per-class tr[data-row={css(cls)}] [data-col="area_mm2"]',
                     c["area_um2"] / 1e6, f"{cls} area")
    check(count(driver, f"#{prefix}chart-energy-per-class g > title") == len(power["per_class"]) + 1,
          f"{prefix}energy chart: a titled bar per class and one for leakage")

    # every technology entry with its source
    entries = power["entries"]
    check(count(driver, f"#{prefix}entries tbody tr") == len(entries), f"{prefix}entries: one row per entry")
    for key, e in entries.items():
        row = f"#{prefix}entries tr[data-row={css(key)}]"
        check(cell(driver, f'{row} [data-col="source"]') == e["source"], f"entry {key} shows its source")
        check_number(driver, f'{row} [data-col="value"]', e["value"], f"entry {key} value")

    # the tool and provenance objects, whatever fields they have
    check_fields(driver, f"#{prefix}tool", report["tool"])
    if "provenance" in report:
        check_fields(driver, f"#{prefix}provenance", report["provenance"])


def flat(value, key=""):
    """Every value inside an object: nested members as dotted keys, list items as key[i]."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            yield from flat(v, key + "." + k if key else k)
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            yield from flat(v, f"{key}[{i}]")
    else:
        yield key, value


def check_fields(driver, table_selector, obj):
    """A table of every field of `obj`: strings as they are, anything else as JSON."""
    fields = list(flat(obj))
    check(count(driver, f"{table_selector} tbody tr") == len(fields), f"{table_selector}: one row per field")
    for key, value in fields:
        text = cell(driver, f'{table_selector} tr[data-row={css(key)}] [data-col="value"]')
        try:
            shown = text if isinstance(value, str) else json.loads(text)
        except (TypeError, ValueError):
            shown = None
        check(shown == value, f"{table_selector} field {key}: page shows {text!r}, expected {value!r}")


def as_text(value):
    """A swept value as the page writes it (JavaScript's String())."""
    return value if isinstance(value, str) else json.dumps(value)


def run_page(driver):
    report_path = os.path.join(WORK, "run.json")
    r = scbnn("run", "-p", "run.images=40", "--report", report_path, "-q")
    if not check(r.returncode == 0, f"scbnn run: {r.stderr}"):
        return
    page = os.path.join(WORK, "run.html")
    r = scbnn("report", report_path, "-o", page)
    if not check(r.returncode == 0 and os.path.isfile(page), f"scbnn report (run): {r.stderr}"):
        return
    html = open(page, encoding="utf-8").read()
    check(not re.search(r"<(script|link|img)[^>]*\s(src|href)=\"(?!data:)", html), "the page refers to no file")
    report = json.load(open(report_path))
    if load(driver, page):
        check_run_tables(driver, report)
        check_screenshot(driver, "run")

    # Fields added to the report's tool object later (provenance) appear without a change to
    # the page; text from the report cannot end the page's data element.
    report["tool"]["provenance"] = {"compiler": "g++ 12", "files": {"net.scbnn": "ab12"}, "dirty": False}
    report["tool"]["flags"] = [1, 2.5, "x"]
    report["network"]["path"] = "</script><script>throw 1</script>.scbnn"
    extended = os.path.join(WORK, "extended.json")
    with open(extended, "w") as f:
        json.dump(report, f)
    page = os.path.join(WORK, "extended.html")
    r = scbnn("report", extended, "-o", page)
    if check(r.returncode == 0, f"scbnn report (extended tool object): {r.stderr}") and load(driver, page):
        check_run_tables(driver, report)
        check(cell(driver, '#summary tr[data-row="network"] [data-col="value"]') == report["network"]["path"],
              "the network path is shown as text")


# ---- the sweep page --------------------------------------------------------------------
def sweep_page(driver):
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = os.path.join(WORK, "spec.yaml")
    with open(spec, "w") as f:
        f.write("name: html-test\n"
                "set: {run.images: 30, accel.mram.error_mode: ideal}\n"
                "seeds: 2\n"
                "sweep:\n"
                "  - points:\n"
                "      - {accel.input_mode: fixed}\n"
                f"      - {{accel.input_mode: stochastic, network.path: {src}/stimuli/networks/fmnist_bnn_sc8.scbnn}}\n"
                "      - {accel.input_mode: stochastic, network.path: missing.scbnn}\n"
                "  - product: {accel.sc.stream_length: [1, 4]}\n")
    out = os.path.join(WORK, "sweep")
    r = scbnn("sweep", spec, "-o", out, "-j", "2")
    check(r.returncode == 1, f"the sweep runs, with its failing points (rc {r.returncode}): {r.stderr[-500:]}")
    r = scbnn("merge", out)
    if not check(r.returncode == 0, f"scbnn merge: {r.stderr}"):
        return
    results_path = os.path.join(out, "results.json")
    results = json.load(open(results_path))
    # The page goes into another folder: its links to the point reports are relative to it.
    os.makedirs(os.path.join(WORK, "pages"))
    page = os.path.join(WORK, "pages", "sweep.html")
    r = scbnn("report", results_path, "-o", page)
    if not check(r.returncode == 0 and os.path.isfile(page), f"scbnn report (sweep): {r.stderr}"):
        return
    if not load(driver, page):
        return
    rows = results["rows"]
    done = [row for row in rows if row["status"] == "done"]
    check(len(done) >= 3 and len(done) < len(rows), f"the sweep has done and failed points ({len(done)}/{len(rows)})")
    check_number(driver, '#sweep-summary tr[data-row="done"] [data-col="value"]', len(done), "points done")
    check_number(driver, '#sweep-summary tr[data-row="failed"] [data-col="value"]',
                 sum(1 for row in rows if row["status"] == "failed"), "points failed")
    check(count(driver, "#points tbody tr") == len(rows), "one row per point")

    front = pareto([(row["energy_nj_per_inference"], row["accuracy"]) for row in done])
    for k, row in enumerate(done):
        tr = f'#points tr[data-row="{row["index"]}"]'
        low, high = wilson(row["correct"], row["images"])
        check_number(driver, f'{tr} [data-col="accuracy"]', 100 * row["accuracy"], f'point {row["index"]} accuracy')
        check_number(driver, f'{tr} [data-col="interval_low"]', 100 * low, f'point {row["index"]} interval low')
        check_number(driver, f'{tr} [data-col="interval_high"]', 100 * high, f'point {row["index"]} interval high')
        check_number(driver, f'{tr} [data-col="energy_nj"]', row["energy_nj_per_inference"], f'point {row["index"]} energy')
        check((cell(driver, f'{tr} [data-col="front"]') == "yes") == (k in front),
              f'point {row["index"]} is {"" if k in front else "not "}on the Pareto front')
        report_path = os.path.join(out, "points", row["hash"] + ".json")
        link = f'{tr} [data-col="report"] a'
        href = driver.execute_script(f"return document.querySelector({json.dumps(link)}).href")
        check(href == "file://" + report_path, f'point {row["index"]} links its report ({href})')
        layer = 0
        while f"layer{layer}.cycles" in row:
            for metric in ("cycles", "energy_nj"):
                key = f"layer{layer}.{metric}"
                check_number(driver, f'#sweep-layers tr[data-row="{row["index"]}"] [data-col="{key}"]', row[key],
                             f'point {row["index"]} {key}')
            layer += 1
        check(layer > 0, f'point {row["index"]} has per-layer columns')
        for cls, nj in row["energy_nj_per_class"].items():
            check_number(driver, f'#sweep-energy-per-class tr[data-row="{row["index"]}"] [data-col={css(cls)}]', nj,
                         f'point {row["index"]} {cls} energy')
        # its mark on the chart: titled with the swept values and the report's path
        title = cell(driver, f'#pareto circle[data-index="{row["index"]}"] > title') or ""
        check(all(f"{key} = {as_text(value)}" in title for key, value in row["point"].items()) and report_path in title,
              f'point {row["index"]}\'s mark names its configuration and report: {title!r}')
        check(("front" in driver.execute_script(
            f'return document.querySelector(\'#pareto circle[data-index="{row["index"]}"]\').getAttribute("class")'))
              == (k in front), f'point {row["index"]}\'s mark shows whether it is on the front')
    check(count(driver, "#pareto circle") == len(done), "one mark per finished point")

    # means over the seeds: accuracy and energy averaged, the interval of the pooled images
    means = results.get("seed_means", [])
    check(len(means) == len(rows) // 2 and count(driver, "#seed-means tbody tr") == len(means),
          f"one row of means per combination of the other keys ({len(means)})")
    for i, m in enumerate(means):
        members = [row for row in done if all(row["point"].get(k) == v for k, v in m["point"].items())]
        check(len(members) == m["seeds"], f"seed means {i}: {m['seeds']} seeds done")
        tr = f'#seed-means tr[data-row="{i}"]'
        if not members:
            check(cell(driver, f'{tr} [data-col="accuracy_mean"]') == "", f"seed means {i}: no mean without seeds")
            continue
        correct, images = sum(r["correct"] for r in members), sum(r["images"] for r in members)
        low, high = wilson(correct, images)
        check_number(driver, f'{tr} [data-col="accuracy_mean"]',
                     100 * sum(r["accuracy"] for r in members) / len(members), f"seed means {i}: accuracy mean")
        check_number(driver, f'{tr} [data-col="pooled_low"]', 100 * low, f"seed means {i}: pooled interval low")
        check_number(driver, f'{tr} [data-col="pooled_high"]', 100 * high, f"seed means {i}: pooled interval high")
        check_number(driver, f'{tr} [data-col="energy_mean"]',
                     sum(r["energy_nj_per_inference"] for r in members) / len(members), f"seed means {i}: energy")
    check_fields(driver, "#sweep-tool", results["merged"]["tool"])
    for row in rows:
        if row["status"] == "failed":
            check(row["error"][:40] in cell(driver, f'#points tr[data-row="{row["index"]}"] [data-col="report"]'),
                  f'failed point {row["index"]} shows its error')

    # the details of the first point, then of another chosen by clicking its mark
    def details_match(row):
        report = json.load(open(os.path.join(out, "points", row["hash"] + ".json")))
        check(f'point {row["index"]}:' in (cell(driver, "#point-detail-heading") or ""),
              f'the details show point {row["index"]}')
        check_run_tables(driver, report, "point-")

    details_match(done[0])
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # a point no other point hides on the chart (equal points are drawn on top of each other)
    coordinates = [(row["energy_nj_per_inference"], row["accuracy"]) for row in done]
    last = [row for row, c in zip(done, coordinates) if coordinates.count(c) == 1][-1]
    check(last is not done[0], "the point clicked is not the one shown first")
    driver.find_element(By.CSS_SELECTOR, f'#pareto a[data-index="{last["index"]}"]').click()
    WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: f'point {last["index"]}:' in (cell(d, "#point-detail-heading") or ""))
    details_match(last)
    check(not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"], "no console error after the click")
    check_screenshot(driver, "sweep")

    # results.json away from its points/: a warning per point, and the page without details
    alone = os.path.join(WORK, "pages", "results.json")
    shutil.copy(results_path, alone)
    page = os.path.join(WORK, "pages", "alone.html")
    r = scbnn("report", alone, "-o", page)
    missing = [os.path.join(WORK, "pages", "points", row["hash"] + ".json") for row in done]
    check(r.returncode == 0 and all(f"warning: {m} not found" in r.stderr for m in missing),
          f"a warning names each missing point report: {r.stderr}")
    if load(driver, page):
        check(count(driver, "#points tbody tr") == len(rows) and count(driver, "#no-point-details") == 1,
              "the page shows the points, and says that their details are missing")
        driver.find_element(By.CSS_SELECTOR, f'#pareto a[data-index="{last["index"]}"]').click()
        check(not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"],
              "no console error after clicking a point without details")


# ---- bad input -------------------------------------------------------------------------
def bad_input():
    def refused(name, pattern, args, output):
        r = scbnn("report", *args)
        leftovers = [f for f in os.listdir(os.path.dirname(output) or ".") if ".tmp." in f] \
            if os.path.isdir(os.path.dirname(output)) else []
        check(r.returncode == 1 and re.search(pattern, r.stderr) and "internal error" not in r.stderr
              and not os.path.exists(output) and not leftovers,
              f"{name}: rc {r.returncode}, stderr {r.stderr!r}, output left: {os.path.exists(output)} {leftovers}")

    bad = os.path.join(WORK, "bad")
    os.makedirs(bad)
    out = os.path.join(bad, "page.html")
    other = os.path.join(bad, "other.json")
    with open(other, "w") as f:
        f.write('{"name": "not a report"}')
    broken = os.path.join(bad, "broken.json")
    with open(broken, "w") as f:
        f.write('{"rows": [')
    wrong_type = os.path.join(bad, "wrong_type.json")
    with open(wrong_type, "w") as f:
        f.write('{"rows": "many"}')
    refused("missing file", re.escape(os.path.join(bad, "none.json")), [os.path.join(bad, "none.json"), "-o", out], out)
    refused("neither kind", re.escape(other) + ".*neither 'rows' nor", [other, "-o", out], out)
    refused("malformed JSON", re.escape(broken) + ": cannot parse", [broken, "-o", out], out)
    refused("rows not a list", re.escape(wrong_type) + ": 'rows' is not a list", [wrong_type, "-o", out], out)
    run_report = os.path.join(WORK, "run.json")
    refused("-o in a missing folder", "--out .*does not exist", [run_report, "-o", os.path.join(bad, "no", "p.html")],
            os.path.join(bad, "no", "p.html"))
    refused("-o naming a folder", "--out .*is a directory", [run_report, "-o", bad], os.path.join(bad, "x"))
    refused("-o naming the input", "--out .*names the input", [other, "-o", other], os.path.join(bad, "x"))
    refused("no -o", "--out", [run_report], out)
    check(open(other).read() == '{"name": "not a report"}', "the input named by -o is untouched")


def main():
    if not os.path.exists("/usr/bin/chromium") or not os.path.exists("/usr/bin/chromedriver"):
        print("FAIL: headless Chromium is not installed (scripts/deps.sh --tests: chromium chromium-driver "
              "python3-selenium python3-pil)")
        return 1
    driver = start_browser()
    try:
        run_page(driver)
        sweep_page(driver)
    finally:
        driver.quit()
    bad_input()
    if failed == 0:
        shutil.rmtree(WORK)
        print(f"html report: {passed} passed, {failed} failed")
    else:
        print(f"html report: {passed} passed, {failed} failed (pages and screenshots kept in {WORK})")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
