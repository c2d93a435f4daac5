// scbnn report page: draws the tables and SVG charts of a run report or of a merged sweep
// from the JSON that `scbnn report` embeds in the page (element scbnn-data). It uses no
// library and loads nothing: the page is one file that works offline.
// Tables have ids, rows data-row, cells data-col; every chart mark has a <title> (hover).
"use strict";
(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf"];

  // ---- elements -------------------------------------------------------------------------
  function fill(e, attrs, children) {
    for (const [k, v] of Object.entries(attrs || {}))
      if (v !== undefined && v !== null) e.setAttribute(k, v);
    for (const c of children.flat())
      if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
  const svg = (tag, attrs, ...children) => fill(document.createElementNS(SVG_NS, tag), attrs, children);

  // ---- numbers --------------------------------------------------------------------------
  // Whole numbers as they are; others to 4 significant digits (1 decimal from 1000 up).
  function num(v, decimals) {
    if (typeof v !== "number" || !Number.isFinite(v)) return "–";
    if (decimals !== undefined) return v.toFixed(decimals);
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4);
  }
  const pct = (fraction) => num(100 * fraction, 2);
  const sum = (values) => values.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);

  // ---- tables ---------------------------------------------------------------------------
  // columns: [{key, label, num (right-aligned), text(row) -> cell text or node}]; rows: objects.
  function table(id, caption, columns, rows, rowKey, rowClass) {
    const head = el("tr", {}, columns.map((c) => el("th", {scope: "col", class: c.num ? "num" : null}, c.label)));
    const body = rows.map((r) =>
      el("tr", {"data-row": rowKey(r), class: rowClass ? rowClass(r) : null, id: r.rowId || null},
         columns.map((c, i) => {
           const v = c.text ? c.text(r) : r[c.key];
           const cls = [c.num ? "num" : null, c.wrap ? "wrap" : null].filter(Boolean).join(" ") || null;
           return el(i === 0 ? "th" : "td", {scope: i === 0 ? "row" : null, "data-col": c.key, class: cls},
                     v instanceof Node ? v : (typeof v === "number" ? num(v) : (v === undefined ? "" : v)));
         })));
    return el("div", {class: "scroll"}, el("table", {id}, el("caption", {}, caption), el("thead", {}, head),
                                          el("tbody", {}, body)));
  }

  // A two-column table of named quantities: rows {key, what, value, unit}.
  function quantities(id, caption, rows) {
    const shown = rows.filter((r) => r.value !== undefined && r.value !== null);
    const columns = [{key: "what", label: "quantity"}, {key: "value", label: "value", wrap: true}];
    if (shown.some((r) => r.unit)) columns.push({key: "unit", label: "unit"});
    return table(id, caption, columns, shown, (r) => r.key);
  }

  // Every value inside an object as rows {key, value}: members of nested objects as dotted
  // keys, list items as key[i]; strings as they are, other values as JSON. For the report's
  // `tool` and `provenance` objects, whatever they hold.
  function flatten(v, key, out) {
    const nested = v && typeof v === "object" && Object.keys(v).length;
    if (!nested) {
      out.push({key, value: typeof v === "string" ? v : JSON.stringify(v)});
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => flatten(item, `${key}[${i}]`, out));
    } else {
      for (const [k, item] of Object.entries(v)) flatten(item, key ? key + "." + k : k, out);
    }
    return out;
  }
  function fields(parent, title, id, obj, caption, level) {
    const s = section(parent, title, id + "-section", level);
    s.append(table(id, caption, [{key: "key", label: "field"}, {key: "value", label: "value", wrap: true}],
                   Object.keys(obj || {}).length ? flatten(obj, "", []) : [], (r) => r.key));
  }

  // ---- charts ---------------------------------------------------------------------------
  function chart(id, title, width, height) {
    return svg("svg", {id, class: "chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
                       "aria-labelledby": id + "-title"},
               svg("title", {id: id + "-title"}, title));
  }

  // Horizontal bars: items [{label, value, tip}].
  function barChart(id, title, items, unit) {
    const rowH = 20, labelW = 200, barW = 420, valueW = 130;
    const s = chart(id, title, labelW + barW + valueW, items.length * rowH + 8);
    const max = Math.max(0, ...items.map((i) => i.value)) || 1;
    items.forEach((it, k) => {
      const y = 4 + k * rowH, w = Math.max(0, it.value) / max * barW;
      s.append(svg("g", {},
                   svg("title", {}, it.tip || `${it.label}: ${num(it.value)} ${unit}`),
                   svg("text", {x: labelW - 6, y: y + 13, "text-anchor": "end"}, it.label),
                   svg("rect", {class: "bar", x: labelW, y: y + 2, width: w.toFixed(2), height: rowH - 6}),
                   svg("text", {x: labelW + w + 4, y: y + 13}, `${num(it.value)} ${unit}`)));
    });
    return s;
  }

  // Horizontal stacked bars: rows [{label, parts: {name: value}}], one colour per name.
  function stackedChart(id, title, rows, names, unit) {
    const rowH = 22, labelW = 90, barW = 560, valueW = 110, legendH = 22;
    const s = chart(id, title, labelW + barW + valueW, legendH + rows.length * rowH + 8);
    const max = Math.max(0, ...rows.map((r) => sum(names.map((n) => r.parts[n] || 0)))) || 1;
    let lx = labelW;
    names.forEach((n, i) => {
      s.append(svg("rect", {x: lx, y: 4, width: 10, height: 10, fill: COLOURS[i % COLOURS.length]}),
               svg("text", {x: lx + 14, y: 13}, n));
      lx += 24 + 7 * n.length;
    });
    rows.forEach((r, k) => {
      const y = legendH + k * rowH, total = sum(names.map((n) => r.parts[n] || 0));
      s.append(svg("text", {x: labelW - 6, y: y + 14, "text-anchor": "end"}, r.label));
      let x = labelW;
      names.forEach((n, i) => {
        const v = r.parts[n] || 0, w = v / max * barW;
        if (w <= 0) return;
        s.append(svg("rect", {x: x.toFixed(2), y: y + 2, width: w.toFixed(2), height: rowH - 6,
                              fill: COLOURS[i % COLOURS.length]},
                     svg("title", {}, `${r.label} ${n}: ${num(v)} ${unit} (${pct(total ? v / total : 0)} %)`)));
        x += w;
      });
      s.append(svg("text", {x: x + 4, y: y + 14}, `${num(total)} ${unit}`));
    });
    return s;
  }

  // About five round tick values covering [lo, hi].
  function ticks(lo, hi) {
    const step0 = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0);
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
    return out;
  }
  function padded(lo, hi) {
    if (hi > lo) return [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)];
    const d = Math.abs(lo) * 0.1 || 1;
    return [lo - d, hi + d];
  }

  // ---- one run --------------------------------------------------------------------------
  // A run's sections: h2 on a run's page, h3 under a sweep's point details (prefix "point-").
  const heading = (prefix) => (prefix ? "h3" : "h2");
  function section(parent, title, id, level) {
    const s = el("section", {id}, el(level || "h2", {}, title));
    parent.append(s);
    return s;
  }

  function runSummary(run) {
    const p = run.power || {}, acc = run.accuracy, iv = run.accuracy_interval, lat = run.latency || {};
    const ds = run.dataset || {};
    return [
      {key: "network", what: "network", value: (run.network || {}).path},
      {key: "first_layer", what: "first layer", value: (run.first_layer || {}).mode},
      {key: "dataset", what: "data set", value: ds.path && `${ds.path} (${ds.split || "?"})`},
      {key: "first_image", what: "first image", value: ds.first_image},
      {key: "seed", what: "seed", value: run.seed},
      {key: "accuracy", what: "accuracy", value: pct(acc.accuracy), unit: "%"},
      {key: "correct", what: "correct", value: acc.correct, unit: `of ${acc.images} images`},
      {key: "interval_low", what: `accuracy, 95 % interval, low (${iv.method})`, value: pct(iv.low), unit: "%"},
      {key: "interval_high", what: `accuracy, 95 % interval, high (${iv.method})`, value: pct(iv.high), unit: "%"},
      {key: "cycles", what: "cycles per inference", value: num(run.cycles.per_inference)},
      {key: "clock", what: "clock", value: num(run.cycles.clock_mhz), unit: "MHz"},
      {key: "latency", what: "accelerator latency per inference", value: num(lat.accelerator_ns_per_inference),
       unit: "ns"},
      {key: "host_latency", what: "host latency per inference", value: num(lat.host_ns_per_inference), unit: "ns"},
      {key: "energy", what: "energy per inference", value: p.energy_per_inference_pj === undefined ? undefined
         : num(p.energy_per_inference_pj / 1e3), unit: "nJ"},
      {key: "dynamic", what: "of which dynamic", value: p.dynamic_per_inference_pj === undefined ? undefined
         : num(p.dynamic_per_inference_pj / 1e3), unit: "nJ"},
      {key: "leakage", what: "of which leakage", value: p.leakage_per_inference_pj === undefined ? undefined
         : num(p.leakage_per_inference_pj / 1e3), unit: "nJ"},
      {key: "tops_per_w", what: "efficiency", value: p.efficiency && num(p.efficiency.tops_per_w), unit: "TOPS/W"},
      {key: "programming", what: "programming energy per network load",
       value: p.programming_pj === undefined ? undefined : num(p.programming_pj / 1e6), unit: "µJ"},
      {key: "area", what: "area", value: p.area_um2 === undefined ? undefined : num(p.area_um2 / 1e6), unit: "mm²"},
      {key: "leakage_power", what: "leakage power", value: p.leakage_nw === undefined ? undefined
         : num(p.leakage_nw / 1e6), unit: "mW"},
      {key: "preset", what: "technology preset", value: p.preset && p.preset.name},
    ];
  }

  function energyPerClass(parent, p, prefix) {
    const e = p.energy_per_inference_pj;
    const rows = Object.entries(p.per_class || {})
                     .map(([cls, c]) => ({cls, nj: c.inference_pj_per_inference / 1e3}))
                     .sort((a, b) => b.nj - a.nj);
    const all = rows.concat([{cls: "(leakage, all classes)", nj: p.leakage_per_inference_pj / 1e3}]);
    const s = section(parent, "Energy per component class", prefix + "energy-section", heading(prefix));
    s.append(el("p", {class: "note"}, "Dynamic energy per inference of each class's counted actions; the " +
                "leakage of all the hardware over the inference time is one row. Together: the energy per inference."));
    s.append(barChart(prefix + "chart-energy-per-class", "energy per inference by component class",
                      all.map((r) => ({label: r.cls, value: r.nj,
                                       tip: `${r.cls}: ${num(r.nj)} nJ per inference (${pct(r.nj * 1e3 / e)} %)`})),
                      "nJ"));
    s.append(table(prefix + "energy-per-class", "energy per inference by component class",
                   [{key: "class", label: "component class", text: (r) => r.cls},
                    {key: "energy_nj", label: "energy nJ", num: true, text: (r) => num(r.nj)},
                    {key: "share", label: "share %", num: true, text: (r) => pct(r.nj * 1e3 / e)}],
                   all.concat([{cls: "total", nj: e / 1e3, total: true}]), (r) => r.cls,
                   (r) => (r.total ? "total" : null)));
  }

  function areaPerClass(parent, p, prefix) {
    const a = p.area_um2;
    const rows = Object.entries(p.area_per_class || {})
                     .map(([cls, c]) => ({cls, mm2: c.area_um2 / 1e6, leak: c.leakage_nw / 1e3, n: c.instances}))
                     .sort((x, y) => y.mm2 - x.mm2);
    if (p.area) {
      rows.push({cls: "(array periphery)", mm2: p.area.array_periphery_added_um2 / 1e6});
      rows.push({cls: "(logic routing)", mm2: p.area.logic_routing_added_um2 / 1e6});
    }
    const s = section(parent, "Area per component class", prefix + "area-section", heading(prefix));
    s.append(el("p", {class: "note"}, "Area of the instantiated hardware by class, and what the preset's area " +
                "factors add (array periphery, logic routing); together: the area."));
    s.append(barChart(prefix + "chart-area-per-class", "area by component class",
                      rows.map((r) => ({label: r.cls, value: r.mm2,
                                        tip: `${r.cls}: ${num(r.mm2)} mm² (${pct(r.mm2 * 1e6 / a)} %)`})), "mm²"));
    s.append(table(prefix + "area-per-class", "area by component class",
                   [{key: "class", label: "component class", text: (r) => r.cls},
                    {key: "area_mm2", label: "area mm²", num: true, text: (r) => num(r.mm2)},
                    {key: "share", label: "share %", num: true, text: (r) => pct(r.mm2 * 1e6 / a)},
                    {key: "leakage_uw", label: "leakage µW", num: true, text: (r) => num(r.leak)},
                    {key: "instances", label: "instances", num: true, text: (r) => num(r.n)}],
                   rows.concat([{cls: "total", mm2: a / 1e6, total: true}]), (r) => r.cls,
                   (r) => (r.total ? "total" : null)));
  }

  function perLayer(parent, run, prefix) {
    const layers = (run.layers || []).slice();
    const s = section(parent, "Per layer (per inference)", prefix + "layers-section", heading(prefix));
    const priced = layers.some((l) => l.energy_pj !== undefined);
    if (priced) {
      const items = layers.map((l) => ({label: l.layer, value: l.energy_pj / 1e3}));
      if (run.outside_layers && run.outside_layers.energy_pj !== undefined)
        items.push({label: "outside", value: run.outside_layers.energy_pj / 1e3});
      s.append(barChart(prefix + "chart-layer-energy", "energy per inference by layer", items, "nJ"));
    }
    const rows = layers.concat(run.outside_layers && Object.keys(run.outside_layers).length
                                   ? [Object.assign({layer: "outside"}, run.outside_layers)] : []);
    const nj = (k) => (r) => (r[k] === undefined ? "" : num(r[k] / 1e3));
    s.append(table(prefix + "layers", "cost per layer and inference",
                   [{key: "layer", label: "layer"}, {key: "cycles", label: "cycles", num: true},
                    {key: "energy_nj", label: "energy nJ", num: true, text: nj("energy_pj")},
                    {key: "dynamic_nj", label: "dynamic nJ", num: true, text: nj("dynamic_pj")},
                    {key: "leakage_nj", label: "leakage nJ", num: true, text: nj("leakage_pj")},
                    {key: "row_reads", label: "row reads", num: true},
                    {key: "bits_sensed", label: "bits sensed", num: true},
                    {key: "buffer_bits_read", label: "buffer bits read", num: true},
                    {key: "buffer_bits_written", label: "buffer bits written", num: true}],
                   rows, (r) => r.layer));
    const stages = [];
    for (const r of rows)
      for (const k of Object.keys(r.stage_energy_pj || {})) if (!stages.includes(k)) stages.push(k);
    if (stages.length)
      s.append(table(prefix + "layer-stages", "energy per layer and datapath stage, nJ per inference",
                     [{key: "layer", label: "layer"}].concat(stages.map((st) => ({
                       key: st, label: st + " nJ", num: true, text: (r) => num((r.stage_energy_pj || {})[st] / 1e3)}))),
                     rows, (r) => r.layer));
  }

  function cyclesPerPhase(parent, run, prefix) {
    const layers = run.cycles.per_layer || [];
    const phases = [];
    for (const l of layers)
      for (const k of Object.keys(l.phases || {})) if (!phases.includes(k)) phases.push(k);
    const s = section(parent, "Cycles per layer and phase (per inference)", prefix + "cycles-section",
                      heading(prefix));
    s.append(stackedChart(prefix + "chart-cycles-per-layer", "cycles per inference by layer and phase",
                          layers.map((l) => ({label: l.layer, parts: l.phases || {}})), phases, "cycles"));
    const totals = {layer: "total", cycles: sum(layers.map((l) => l.cycles)), phases: {}, total: true};
    for (const ph of phases) totals.phases[ph] = sum(layers.map((l) => (l.phases || {})[ph] || 0));
    s.append(table(prefix + "cycles-per-layer", "cycles per inference by layer and phase",
                   [{key: "layer", label: "layer"}]
                       .concat(phases.map((ph) => ({key: ph, label: ph, num: true,
                                                    text: (r) => num((r.phases || {})[ph] || 0)})))
                       .concat([{key: "cycles", label: "total", num: true}]),
                   layers.concat([totals]), (r) => r.layer, (r) => (r.total ? "total" : null)));
  }

  function technologyEntries(parent, entries, prefix) {
    const s = section(parent, "Technology entries and their sources", prefix + "entries-section",
                      heading(prefix));
    const rows = Object.entries(entries).map(([key, e]) => Object.assign({key}, e));
    s.append(table(prefix + "entries", "every technology-table entry the run used",
                   [{key: "entry", label: "entry", text: (r) => r.key},
                    {key: "value", label: "value", num: true, text: (r) => String(r.value)},  // as the preset wrote it
                    {key: "unit", label: "unit", text: (r) => r.unit + (r.per ? "/" + r.per : "")},
                    {key: "source", label: "source", wrap: true},
                    {key: "origin", label: "origin"},
                    {key: "where", label: "from", wrap: true}],
                   rows, (r) => r.key));
  }

  function renderRun(parent, run, prefix, entries) {
    const s = section(parent, "Summary", prefix + "summary-section", heading(prefix));
    s.append(quantities(prefix + "summary", "the run", runSummary(run)));
    if (run.power) {
      energyPerClass(parent, run.power, prefix);
      areaPerClass(parent, run.power, prefix);
    } else {
      s.append(el("p", {class: "note", id: prefix + "unpriced"},
                   "This run was not priced (its report has no power section): no energy or area."));
    }
    perLayer(parent, run, prefix);
    cyclesPerPhase(parent, run, prefix);
    if (entries) technologyEntries(parent, entries, prefix);
    fields(parent, "Tool", prefix + "tool", run.tool, "the build of scbnn that wrote the report", heading(prefix));
    if (run.provenance && Object.keys(run.provenance).length)
      fields(parent, "Provenance", prefix + "provenance", run.provenance, "where and from which files the run ran",
             heading(prefix));
  }

  // ---- a sweep --------------------------------------------------------------------------
  const pointText = (row, keys) => keys.filter((k) => k in row.point).map((k) => `${k} = ${String(row.point[k])}`);

  function paretoChart(done, keys, select) {
    const W = 760, H = 440, L = 70, R = 20, T = 16, B = 50;
    const s = chart("pareto", "accuracy against energy per inference; the Pareto front joined", W, H);
    if (!done.length) return s;
    const [x0, x1] = padded(Math.min(...done.map((r) => r.energy_nj_per_inference)),
                            Math.max(...done.map((r) => r.energy_nj_per_inference)));
    const [y0, y1] = padded(100 * Math.min(...done.map((r) => r.accuracy_interval.low)),
                            100 * Math.max(...done.map((r) => r.accuracy_interval.high)));
    const X = (v) => L + (v - x0) / (x1 - x0) * (W - L - R), Y = (v) => H - B - (v - y0) / (y1 - y0) * (H - T - B);
    for (const t of ticks(x0, x1))
      s.append(svg("line", {class: "grid", x1: X(t), x2: X(t), y1: T, y2: H - B}),
               svg("text", {x: X(t), y: H - B + 16, "text-anchor": "middle"}, num(t)));
    for (const t of ticks(y0, y1))
      s.append(svg("line", {class: "grid", x1: L, x2: W - R, y1: Y(t), y2: Y(t)}),
               svg("text", {x: L - 6, y: Y(t) + 4, "text-anchor": "end"}, num(t)));
    s.append(svg("line", {class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B}),
             svg("line", {class: "axis", x1: L, x2: L, y1: T, y2: H - B}),
             svg("text", {x: (L + W - R) / 2, y: H - 12, "text-anchor": "middle"}, "energy per inference (nJ)"),
             svg("text", {x: 16, y: (T + H - B) / 2, "text-anchor": "middle",
                          transform: `rotate(-90 16 ${(T + H - B) / 2})`}, "accuracy (%), 95 % interval"));
    const front = done.filter((r) => r.on_front).sort((a, b) => a.energy_nj_per_inference - b.energy_nj_per_inference);
    s.append(svg("polyline", {class: "front-line", id: "pareto-front",
                              points: front.map((r) => `${X(r.energy_nj_per_inference)},${Y(100 * r.accuracy)}`)
                                          .join(" ")},
                 svg("title", {}, "Pareto front: no other point is both cheaper and at least as accurate")));
    for (const r of done) {
      const x = X(r.energy_nj_per_inference);
      const tip = [`point ${r.index}${r.on_front ? " (on the Pareto front)" : ""}`]
                      .concat(pointText(r, keys))
                      .concat([`accuracy ${pct(r.accuracy)} % (95 % interval ${pct(r.accuracy_interval.low)} – ` +
                                   `${pct(r.accuracy_interval.high)} %)`,
                               `energy ${num(r.energy_nj_per_inference)} nJ per inference`,
                               `report ${r.report_path}`])
                      .join("\n");
      s.append(svg("line", {class: "interval", x1: x, x2: x, y1: Y(100 * r.accuracy_interval.low),
                            y2: Y(100 * r.accuracy_interval.high)}));
      const a = svg("a", {href: `#point-row-${r.index}`, "data-index": r.index},
                    svg("circle", {class: "point" + (r.on_front ? " front" : ""), cx: x, cy: Y(100 * r.accuracy),
                                   r: 6, "data-index": r.index}, svg("title", {}, tip)));
      a.addEventListener("click", () => select(r.hash));
      s.append(a);
    }
    return s;
  }

  // Mean and spread over the seeds of each combination of the other swept keys (merge's
  // seed_means): accuracy with its range and the Wilson interval of all the seeds' images.
  function seedMeans(parent, means, keys) {
    const s = section(parent, "Means over seeds", "seed-means-section");
    const percent = (k) => (m) => (m[k] === undefined ? "" : pct(m[k]));
    const plain = (k) => (m) => (m[k] === undefined ? "" : num(m[k]));
    s.append(table("seed-means", "per combination of the other swept keys, over its finished seeds",
                   keys.map((k) => ({key: k, label: k, text: (m) => (k in m.point ? String(m.point[k]) : "")}))
                       .concat([{key: "seeds", label: "seeds", num: true},
                                {key: "accuracy_mean", label: "accuracy mean %", num: true, text: percent("accuracy_mean")},
                                {key: "accuracy_std", label: "std %", num: true, text: percent("accuracy_std")},
                                {key: "accuracy_min", label: "min %", num: true, text: percent("accuracy_min")},
                                {key: "accuracy_max", label: "max %", num: true, text: percent("accuracy_max")},
                                {key: "pooled_low", label: "pooled 95 % low %", num: true,
                                 text: percent("accuracy_pooled_ci95_low")},
                                {key: "pooled_high", label: "pooled 95 % high %", num: true,
                                 text: percent("accuracy_pooled_ci95_high")},
                                {key: "energy_mean", label: "energy mean nJ", num: true,
                                 text: plain("energy_nj_per_inference_mean")},
                                {key: "energy_std", label: "energy std nJ", num: true,
                                 text: plain("energy_nj_per_inference_std")}]),
                   means.map((m, i) => Object.assign({row: i}, m)), (m) => String(m.row)));
  }

  function renderSweep(parent, sweep) {
    const keys = sweep.swept_keys || [];
    const rows = sweep.rows || [];
    const done = rows.filter((r) => r.status === "done");
    const s = section(parent, "Summary", "sweep-summary-section");
    s.append(quantities("sweep-summary", "the sweep", [
      {key: "name", what: "sweep", value: sweep.name || "(unnamed)"},
      {key: "results", what: "merged results", value: DATA.input},
      {key: "points", what: "points", value: rows.length},
      {key: "done", what: "done", value: sweep.counts.done},
      {key: "failed", what: "failed", value: sweep.counts.failed},
      {key: "missing", what: "missing (not run yet)", value: sweep.counts.missing},
      {key: "swept_keys", what: "swept keys", value: keys.join(", ")},
      {key: "merged", what: "merged at (UTC)", value: (sweep.merged || {}).started_utc},
    ]));

    const detailBox = el("div", {id: "point-detail"});
    const picker = el("select", {id: "point-select", "aria-label": "point to show"},
                      done.filter((r) => sweep.details[r.hash])
                          .map((r) => el("option", {value: r.hash},
                                         `point ${r.index}: ${pointText(r, keys).join(", ") || r.hash}`)));
    function select(hash) {
      const row = rows.find((r) => r.hash === hash), run = sweep.details[hash];
      if (!run) return;  // its report was not found: the table row is all there is
      picker.value = hash;
      for (const tr of document.querySelectorAll("#points tbody tr"))
        tr.classList.toggle("selected", tr.dataset.row === String(row.index));
      detailBox.replaceChildren(el("p", {class: "note", id: "point-detail-heading"},
                                   `point ${row.index}: ${pointText(row, keys).join(", ")}; report `,
                                   el("a", {href: row.report_href}, row.report_path)));
      const p = run.power || {};
      renderRun(detailBox, run, "point-",
                p.entries || (p.entries_table !== undefined ? sweep.entry_tables[p.entries_table] : null));
    }
    picker.addEventListener("change", () => select(picker.value));

    const ps = section(parent, "Accuracy against energy", "pareto-section");
    ps.append(el("p", {class: "note"}, "Each point with its 95 % interval (Wilson); ◆ and the red line: the " +
                 "Pareto front, points no other point beats in both. Hover a point for its configuration; " +
                 "click it for its details below."));
    ps.append(paretoChart(done, keys, select));

    const pt = section(parent, "Points", "points-section");
    // the report's file name (its full path in the title), or a failed point's error (on one
    // line, cut short on screen; all of it in the title)
    const link = (r) => (r.report_href
                             ? el("a", {href: r.report_href, title: r.report_path}, r.report_path.split("/").pop())
                             : el("span", {class: "error", title: r.error || ""}, r.error || ""));
    pt.append(table("points", "every point of the sweep, in the sweep's order",
                    [{key: "index", label: "#", num: true}]
                        .concat(keys.map((k) => ({key: k, label: k, text: (r) => (k in r.point ? String(r.point[k]) : "")})))
                        .concat([{key: "status", label: "status"},
                                 {key: "accuracy", label: "accuracy %", num: true,
                                  text: (r) => (r.status === "done" ? pct(r.accuracy) : "")},
                                 {key: "interval_low", label: "95 % low %", num: true,
                                  text: (r) => (r.accuracy_interval ? pct(r.accuracy_interval.low) : "")},
                                 {key: "interval_high", label: "95 % high %", num: true,
                                  text: (r) => (r.accuracy_interval ? pct(r.accuracy_interval.high) : "")},
                                 {key: "energy_nj", label: "energy nJ", num: true,
                                  text: (r) => (r.status === "done" ? num(r.energy_nj_per_inference) : "")},
                                 {key: "area_mm2", label: "area mm²", num: true,
                                  text: (r) => (r.status === "done" ? num(r.area_mm2) : "")},
                                 {key: "cycles", label: "cycles", num: true,
                                  text: (r) => (r.status === "done" ? num(r.cycles_per_inference) : "")},
                                 {key: "front", label: "Pareto", text: (r) => (r.on_front ? "yes" : "")},
                                 {key: "report", label: "report or error", wrap: true, text: link}]),
                    rows.map((r) => Object.assign({rowId: `point-row-${r.index}`}, r)), (r) => String(r.index),
                    (r) => (r.on_front ? "front" : null)));

    if ((sweep.seed_means || []).length) seedMeans(parent, sweep.seed_means, keys.filter((k) => k !== "seed"));

    const byPoint = (id, title, field, unit) => {
      const names = [];
      for (const r of done)
        for (const k of Object.keys(r[field] || {})) if (!names.includes(k)) names.push(k);
      const sec = section(parent, title, id + "-section");
      sec.append(table(id, `${title}, ${unit}`,
                       [{key: "index", label: "#", num: true}]
                           .concat(names.map((n) => ({key: n, label: n, num: true, text: (r) => num(r[field][n])}))),
                       done, (r) => String(r.index)));
    };
    byPoint("sweep-energy-per-class", "Energy per component class", "energy_nj_per_class",
            "dynamic nJ per inference");
    byPoint("sweep-area-per-class", "Area per component class", "area_mm2_per_class", "mm²");

    const layerCount = Math.max(0, ...done.map((r) => {
      let l = 0;
      while (("layer" + l + ".cycles") in r) ++l;
      return l;
    }));
    const lc = [];
    for (let l = 0; l < layerCount; ++l)
      lc.push({key: `layer${l}.cycles`, label: `layer${l} cycles`, num: true},
              {key: `layer${l}.energy_nj`, label: `layer${l} nJ`, num: true});
    const ls = section(parent, "Per layer", "sweep-layers-section");
    ls.append(table("sweep-layers", "cycles and energy per layer and inference",
                    [{key: "index", label: "#", num: true}].concat(lc), done, (r) => String(r.index)));

    if (sweep.merged && sweep.merged.tool)
      fields(parent, "Tool", "sweep-tool", sweep.merged.tool, "the build of scbnn that merged the results");

    const ds = section(parent, "Point details", "point-detail-section");
    if (picker.options.length) {
      ds.append(el("label", {for: "point-select"}, "point: "), picker, detailBox);
      select(picker.options[0].value);
    } else {
      ds.append(el("p", {class: "note", id: "no-point-details"},
                   "No point report was found in the points/ folder beside the merged results."));
    }
  }

  // ---- page -----------------------------------------------------------------------------
  const DATA = JSON.parse(document.getElementById("scbnn-data").textContent);
  const main = document.getElementById("report");
  main.append(el("p", {class: "note", id: "source"}, `from ${DATA.input}`));
  if (DATA.kind === "sweep") renderSweep(main, DATA.sweep);
  else renderRun(main, DATA.run, "", (DATA.run.power || {}).entries);
  document.documentElement.setAttribute("data-rendered", "yes");
})();
