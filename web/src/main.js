// The frontwatch map page. All text from the API is untrusted (article text, titles and
// source names come from the web): it reaches the page only through textContent and
// DOM nodes, never innerHTML, and links are made only for http(s) URLs. The server's
// Content-Security-Policy forbids inline scripts and other hosts on top of that.
import L from "./leaflet-global.js";
import "leaflet.markercluster";

const SIDES = ["russia", "ukraine", "other"];
const HOLDERS = ["russia", "ukraine", "contested", "unknown"];
const FILTERS = ["place", "side", "type", "movement", "modality", "source",
  "min_corroboration", "since", "until"];
const DAY = 86400000;

// ------------------------------------------------------------------ DOM helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function safeUrl(url) {
  if (typeof url !== "string") return null;
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

const known = (value, allowed, fallback) => (allowed.includes(value) ? value : fallback);
const pretty = (s) => (s ? String(s).replaceAll("_", " ") : "–");

async function api(path, params) {
  const qs = params ? "?" + params.toString() : "";
  const r = await fetch(path + qs, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

function shapeOf(e) {
  const t = `${e.event_type} ${e.sub_event_type}`.toLowerCase();
  if (t.includes("battle") || t.includes("clash") || t.includes("territory")) return "circle";
  if (t.includes("shelling") || t.includes("missile") || t.includes("artillery")) return "triangle";
  if (t.includes("air") || t.includes("drone")) return "square";
  return "diamond";
}

// ------------------------------------------------------------------ state

const state = {
  meta: null,
  events: [], // compact events for the filter
  visible: [],
  brush: null, // [fromMs, toMs] or null
  selected: null,
  placeView: null,
  controlAsOf: null,
};

const form = document.getElementById("filters");
const panel = document.getElementById("panel");
const status = document.getElementById("status");

function filterParams() {
  const p = new URLSearchParams();
  for (const name of FILTERS) {
    const v = form.elements[name].value.trim();
    if (v) p.set(name, v);
  }
  return p;
}

function writeUrl() {
  const p = filterParams();
  if (state.brush) {
    p.set("from", iso(state.brush[0]));
    p.set("to", iso(state.brush[1]));
  }
  if (state.selected) p.set("event", state.selected);
  if (state.placeView) p.set("place_view", String(state.placeView));
  const qs = p.toString();
  history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  const fp = filterParams();
  document.getElementById("export-csv").href = `/api/export?format=acled-csv&${fp}`;
  document.getElementById("export-geojson").href = `/api/export?format=geojson&${fp}`;
  document.getElementById("report").href = `/api/report?${fp}`;
}

function readUrl() {
  const p = new URLSearchParams(window.location.search);
  for (const name of FILTERS) {
    const v = p.get(name);
    if (v !== null) form.elements[name].value = v.slice(0, 200);
  }
  const from = Date.parse(p.get("from") || "");
  const to = Date.parse(p.get("to") || "");
  state.brush = Number.isFinite(from) && Number.isFinite(to) && from <= to ? [from, to] : null;
  state.selected = p.get("event");
  const pv = Number.parseInt(p.get("place_view") || "", 10);
  state.placeView = Number.isFinite(pv) ? pv : null;
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (s) => Date.parse(s);

// ------------------------------------------------------------------ map

const map = L.map("map", { zoomControl: true, attributionControl: true, preferCanvas: false,
  minZoom: 4, maxZoom: 14 }).setView([48.5, 34.5], 6);
map.attributionControl.setPrefix(false);
const mapEl = document.getElementById("map");

const basePane = map.createPane("base");
basePane.style.zIndex = 250;
const labelPane = map.createPane("labels");
labelPane.style.zIndex = 450;
labelPane.style.pointerEvents = "none";
const controlPane = map.createPane("control");
controlPane.style.zIndex = 420;

const clusters = L.markerClusterGroup({
  chunkedLoading: true,
  disableClusteringAtZoom: 10,
  showCoverageOnHover: false,
  spiderfyOnMaxZoom: true,
  maxClusterRadius: 50,
  iconCreateFunction(cluster) {
    const children = cluster.getAllChildMarkers();
    const counts = { russia: 0, ukraine: 0, other: 0 };
    for (const m of children) counts[m.options.side] += 1;
    const side = SIDES.reduce((a, b) => (counts[b] > counts[a] ? b : a));
    const n = children.length;
    const size = n < 10 ? 28 : n < 100 ? 34 : 42;
    return L.divIcon({ html: el("span", null, String(n)), className: `cluster side-${side}`,
      iconSize: [size, size] });
  },
}).addTo(map);
const controlLayer = L.layerGroup().addTo(map);
const oblastLayer = L.layerGroup();
const cityLayer = L.layerGroup();
const townLayer = L.layerGroup();
const markers = new Map();

async function loadBasemap() {
  if (state.meta.tiles) {
    L.tileLayer(state.meta.tiles, { maxZoom: 18, attribution: "tiles: --tiles server" }).addTo(map);
  }
  try {
    const r = await fetch("/static/countries.geojson");
    const countries = await r.json();
    L.geoJSON(countries, {
      pane: "base",
      style: (f) => ({
        color: "#777", weight: 1, fillColor: f.properties.name === "Ukraine" ? "#fbfaf4" : "#ecebe4",
        fillOpacity: 1,
      }),
      interactive: false,
    }).addTo(map);
  } catch (err) {
    console.warn("country outlines missing", err);
  }
  map.attributionControl.addAttribution("Natural Earth; GeoNames (CC BY 4.0)");
  const labels = await api("/api/basemap");
  for (const a of labels.admin) {
    oblastLayer.addLayer(L.marker([a.latitude, a.longitude], { pane: "labels", interactive: false,
      icon: L.divIcon({ className: "oblast", html: el("span", null, a.name), iconSize: null }) }));
  }
  for (const s of labels.settlements) {
    const layer = L.marker([s.latitude, s.longitude], { pane: "labels", interactive: false,
      icon: L.divIcon({ className: "label", html: el("span", null, s.name), iconSize: null }) });
    (s.population >= 150000 ? cityLayer : townLayer).addLayer(layer);
  }
  // Fewer names when zoomed out: cities from zoom 7, every town from zoom 9.
  const zoomLabels = () => {
    const z = map.getZoom();
    if (z <= 8) oblastLayer.addTo(map); else oblastLayer.remove();
    if (z >= 7) cityLayer.addTo(map); else cityLayer.remove();
    if (z >= 9) townLayer.addTo(map); else townLayer.remove();
  };
  map.on("zoomend", zoomLabels);
  zoomLabels();
}

function markerFor(e) {
  const side = known(e.side1, SIDES, "other");
  const shape = shapeOf(e);
  const icon = L.divIcon({ className: `ev side-${side} shape-${shape}`, iconSize: [14, 14] });
  const m = L.marker([e.latitude, e.longitude], { icon, side, keyboard: true,
    title: `${e.event_date || "undated"} ${e.place}` });
  m.bindTooltip(() => el("div", null, el("strong", null, e.place), " ",
    e.event_date || "undated", el("br"), e.sub_event_type, " · ", pretty(e.side1)));
  m.on("click", () => selectEvent(e.event_id));
  m.eventId = e.event_id;
  return m;
}

function drawMarkers() {
  clusters.clearLayers();
  markers.clear();
  const layers = [];
  for (const e of state.visible) {
    if (typeof e.latitude !== "number" || typeof e.longitude !== "number") continue;
    const m = markerFor(e);
    markers.set(e.event_id, m);
    layers.push(m);
  }
  clusters.addLayers(layers);
  mapEl.dataset.markers = String(layers.length);
}

// ------------------------------------------------------------------ control layer

let controlToken = 0;
async function drawControl() {
  const asOf = state.brush ? iso(state.brush[1]) : state.meta.last_date;
  const token = ++controlToken;
  controlLayer.clearLayers();
  if (!asOf) return;
  const data = await api("/api/control", new URLSearchParams({ as_of: asOf }));
  if (token !== controlToken) return;
  const counts = {};
  for (const c of data.items) {
    const holder = known(c.holder, HOLDERS, "unknown");
    counts[holder] = (counts[holder] || 0) + 1;
    const colour = getComputedStyle(document.documentElement).getPropertyValue(`--${holder}`).trim();
    const ring = L.circleMarker([c.latitude, c.longitude], {
      pane: "control", radius: 11, weight: 3, color: colour, fill: true, fillColor: colour,
      fillOpacity: 0.18, dashArray: c.status === "confirmed" ? null : "4 3",
      className: `control control-${holder}`,
    });
    ring.bindTooltip(() => el("div", null, el("strong", null, c.name), ` ${pretty(holder)} as of ${asOf}`,
      el("br"), `${c.status}, since ${c.from || "before the first report"}`));
    ring.on("click", () => showPlace(c.geonameid));
    controlLayer.addLayer(ring);
  }
  state.controlAsOf = asOf;
  mapEl.dataset.controlAsOf = asOf;
  mapEl.dataset.control = HOLDERS.map((h) => `${h}:${counts[h] || 0}`).join(",");
}

// ------------------------------------------------------------------ timeline

const hist = document.getElementById("histogram");
let bins = [];
let span = null; // [firstMs, lastMs]

function drawHistogram() {
  while (hist.firstChild) hist.firstChild.remove();
  const dated = state.events.filter((e) => e.event_date);
  const width = hist.clientWidth || 800;
  const height = hist.clientHeight || 90;
  hist.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!dated.length) {
    span = null;
    return;
  }
  const times = dated.map((e) => dayMs(e.event_date));
  const lo = Math.min(...times) - 7 * DAY;
  const hi = Math.max(...times) + 7 * DAY;
  span = [lo, hi];
  const n = Math.max(10, Math.min(200, Math.floor(width / 6)));
  const step = (hi - lo) / n;
  bins = Array.from({ length: n }, (_, i) => ({ from: lo + i * step, russia: 0, ukraine: 0, other: 0 }));
  for (const e of dated) {
    const i = Math.min(n - 1, Math.floor((dayMs(e.event_date) - lo) / step));
    bins[i][known(e.side1, SIDES, "other")] += 1;
  }
  const top = Math.max(1, ...bins.map((b) => b.russia + b.ukraine + b.other));
  const barW = width / n;
  const plotH = height - 14;
  bins.forEach((b, i) => {
    let y = plotH;
    for (const side of SIDES) {
      if (!b[side]) continue;
      const h = (b[side] / top) * (plotH - 4);
      y -= h;
      hist.append(svg("rect", { x: i * barW + 0.5, y, width: Math.max(1, barW - 1), height: h,
        class: `bar-${side}` }));
    }
  });
  const years = new Set();
  for (let t = lo; t <= hi; t += DAY * 15) {
    const d = new Date(t);
    const key = `${d.getUTCFullYear()}-${d.getUTCMonth()}`;
    if (d.getUTCMonth() % 3 === 0 && !years.has(key)) {
      years.add(key);
      const x = ((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - lo) / (hi - lo)) * width;
      const label = svg("text", { x, y: height - 2, class: "axis" });
      label.textContent = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
      hist.append(label);
    }
  }
  const brush = svg("rect", { class: "brush", id: "brush", x: 0, y: 0, width: 0, height: plotH,
    visibility: "hidden" });
  hist.append(brush);
  drawBrush();
}

function xToMs(x) {
  const width = hist.clientWidth || 800;
  return span[0] + (Math.max(0, Math.min(width, x)) / width) * (span[1] - span[0]);
}
function msToX(ms) {
  const width = hist.clientWidth || 800;
  return ((ms - span[0]) / (span[1] - span[0])) * width;
}

function drawBrush() {
  const brush = document.getElementById("brush");
  const range = document.getElementById("range");
  if (!brush) return;
  if (!state.brush || !span) {
    brush.setAttribute("visibility", "hidden");
    range.textContent = "All dates";
    return;
  }
  const x0 = msToX(state.brush[0]);
  const x1 = msToX(state.brush[1]);
  brush.setAttribute("x", String(Math.min(x0, x1)));
  brush.setAttribute("width", String(Math.max(2, Math.abs(x1 - x0))));
  brush.setAttribute("visibility", "visible");
  range.textContent = `${iso(state.brush[0])} – ${iso(state.brush[1])}`;
}

let dragFrom = null;
hist.addEventListener("pointerdown", (ev) => {
  if (!span) return;
  hist.setPointerCapture(ev.pointerId);
  dragFrom = ev.offsetX;
});
hist.addEventListener("pointermove", (ev) => {
  if (dragFrom === null) return;
  const a = xToMs(Math.min(dragFrom, ev.offsetX));
  const b = xToMs(Math.max(dragFrom, ev.offsetX));
  state.brush = [Math.floor(a / DAY) * DAY, Math.floor(b / DAY) * DAY];
  drawBrush();
});
hist.addEventListener("pointerup", (ev) => {
  if (dragFrom === null) return;
  const moved = Math.abs(ev.offsetX - dragFrom) > 3;
  dragFrom = null;
  if (!moved) state.brush = null;
  applyBrush();
});

function applyBrush() {
  drawBrush();
  state.visible = state.brush
    ? state.events.filter((e) => {
      if (!e.event_date) return false;
      const t = dayMs(e.event_date);
      return t >= state.brush[0] && t <= state.brush[1];
    })
    : state.events;
  drawMarkers();
  drawList();
  updateStatus();
  writeUrl();
  drawControl().catch(showError);
}

let playing = null;
document.getElementById("play").addEventListener("click", () => {
  const button = document.getElementById("play");
  if (playing) {
    clearInterval(playing);
    playing = null;
    button.textContent = "▶ Play";
    return;
  }
  if (!span) return;
  const width = state.brush ? state.brush[1] - state.brush[0] : 30 * DAY;
  let start = state.brush && state.brush[1] < span[1] - DAY ? state.brush[0] : span[0];
  button.textContent = "❚❚ Pause";
  const stepMs = Math.max(DAY, (span[1] - span[0]) / 60);
  const tick = () => {
    state.brush = [start, start + width];
    applyBrush();
    start += stepMs;
    if (start > span[1]) {
      clearInterval(playing);
      playing = null;
      button.textContent = "▶ Play";
    }
  };
  tick();
  playing = setInterval(tick, 500);
});
document.getElementById("clear-brush").addEventListener("click", () => {
  state.brush = null;
  applyBrush();
});

// ------------------------------------------------------------------ list and status

function drawList() {
  const body = document.getElementById("event-rows");
  const rows = state.visible.slice(0, 300).map((e) => {
    const tr = el("tr", { dataset: { eventId: e.event_id }, tabindex: 0,
      onclick: () => selectEvent(e.event_id),
      onkeydown: (k) => { if (k.key === "Enter") selectEvent(e.event_id); } },
    el("td", null, e.event_date || "undated"), el("td", null, e.place),
    el("td", null, el("span", { class: `swatch ${known(e.side1, SIDES, "other")}` }), pretty(e.side1)),
    el("td", null, e.sub_event_type), el("td", null, e.movement || "–"),
    el("td", null, e.modality), el("td", null, String(e.corroboration)));
    if (e.event_id === state.selected) tr.classList.add("selected");
    return tr;
  });
  body.replaceChildren(...rows);
  document.getElementById("list-more").textContent =
    state.visible.length > 300 ? `First 300 of ${state.visible.length} shown.` : "";
}

function updateStatus() {
  status.textContent = `${state.events.length} events loaded · ${state.visible.length} shown`;
  document.body.dataset.events = String(state.events.length);
  document.body.dataset.visible = String(state.visible.length);
}

function drawLegend() {
  const legend = document.getElementById("legend");
  legend.replaceChildren(
    ...SIDES.map((s) => el("span", null, el("span", { class: `swatch ${s}` }), pretty(s))),
    " · circle battle, triangle shelling/missile, square air/drone, diamond other",
    " · rings: control (dashed = claimed)");
}

function showError(err) {
  console.error(err);
  status.textContent = `error: ${err.message || err}`;
}

// ------------------------------------------------------------------ event panel

function sourceItem(s) {
  const bits = [pretty(s.affiliation)];
  if (s.channel) bits.push(s.channel);
  return el("li", { class: "source" }, el("strong", null, s.name), ` (${bits.join(", ")})`,
    s.relayed_by ? ` via ${s.relayed_by}` : null, s.quote ? " — quoted" : null);
}

function articleText(text, start, end) {
  const box = el("div", { class: "article", id: "article-text" });
  if (typeof start === "number" && typeof end === "number" && start >= 0 && end <= text.length
      && start < end) {
    box.append(text.slice(0, start), el("mark", { id: "evidence" }, text.slice(start, end)),
      text.slice(end));
  } else {
    box.append(text);
  }
  return box;
}

// The panel's data from `path`, or null once the panel says `missing`.
async function panelData(path, missing) {
  try {
    return await api(path);
  } catch {
    panel.replaceChildren(el("p", null, missing));
    return null;
  }
}

async function selectEvent(id) {
  state.selected = id;
  state.placeView = null;
  writeUrl();
  for (const tr of document.querySelectorAll("#event-rows tr")) {
    tr.classList.toggle("selected", tr.dataset.eventId === id);
  }
  const data = await panelData(`/api/events/${encodeURIComponent(id)}`, `Event ${id} not found.`);
  if (!data) return;
  const e = data.event;
  const a = data.article;
  const link = a && safeUrl(a.url);
  const facts = el("dl", { class: "facts" }, [
    ["Date", `${e.event_date || "undated"}${e.time_precision > 1 ? (e.time_precision === 2 ? " (week)" : " (month)") : ""}`],
    ["Place", null], ["Type", `${e.event_type} / ${e.sub_event_type}`],
    ["Side", pretty(e.side1) + (e.side2 ? ` against ${pretty(e.side2)}` : "")],
    ["Actors", [e.actor1, e.actor2].filter(Boolean).join(" vs ")],
    ["Movement", e.movement || "–"], ["Modality", e.modality],
    ["Fatalities", e.fatalities === null ? "unknown" : String(e.fatalities)],
    ["Corroboration", `${e.corroboration} independent origin(s), ${data.reports.length} report(s)`],
  ].map(([k, v]) => [el("dt", null, k), el("dd", { "data-field": k.toLowerCase() },
    k === "Place" ? el("button", { class: "link", type: "button", onclick: () => showPlace(e.geonameid) },
      `${e.location}${e.admin1 ? `, ${e.admin1}` : ""}`) : v)]).flat());
  const reports = el("ul", null, data.reports.map((r) => el("li", null,
    el("strong", null, r.outlet || r.article), r.published ? ` (${r.published})` : null, ": ",
    el("q", null, r.evidence), el("ul", null, r.sources.map(sourceItem)))));
  const contradictions = data.contradictions.length
    ? el("ul", { class: "contradiction" }, data.contradictions.map((c) => el("li", null,
      `${c.reason}: `, el("q", null, c.evidence), ` (${c.article}, ${c.event_date || "undated"})`)))
    : el("p", null, "None found.");
  panel.replaceChildren(
    el("h2", { id: "event-title" }, `${e.sub_event_type} — ${e.location}`),
    facts,
    el("h3", null, "Sources"), el("ul", { id: "sources" }, (data.fused ? data.fused.sources : e.sources).map(sourceItem)),
    el("h3", null, "Contradictions"), contradictions,
    el("h3", null, "Evidence in its article"),
    a ? el("p", { class: "article-meta" }, el("strong", { id: "article-title" }, a.title || a.name),
      a.outlet ? ` — ${a.outlet}` : null, a.published ? ` (${a.published})` : null, " ",
      link ? el("a", { href: link, target: "_blank", rel: "noopener noreferrer nofollow" }, "original") : null)
      : null,
    a ? articleText(a.text, e.evidence_start, e.evidence_end) : el("q", null, e.evidence),
    el("h3", null, "All reports"), reports,
  );
  panel.dataset.eventId = id;
  const mark = document.getElementById("evidence");
  if (mark) mark.scrollIntoView({ block: "center" });
  const m = markers.get(id);
  if (m) clusters.zoomToShowLayer(m, () => m.getElement()?.classList.add("selected"));
}

// ------------------------------------------------------------------ place view

function timelineBar(t, lo, hi) {
  const width = 380;
  const box = svg("svg", { width, height: 22, viewBox: `0 0 ${width} 22`, class: "control-bar" });
  for (const iv of t.intervals) {
    const a = iv.from ? Date.parse(iv.from) : lo;
    const b = iv.to ? Date.parse(iv.to) : hi;
    const x = ((a - lo) / (hi - lo)) * width;
    const w = Math.max(2, ((b - a) / (hi - lo)) * width);
    const r = svg("rect", { x, y: 2, width: w, height: 18, class: `bar-${known(iv.holder, HOLDERS, "unknown")}` });
    const colour = getComputedStyle(document.documentElement)
      .getPropertyValue(`--${known(iv.holder, HOLDERS, "unknown")}`).trim();
    r.setAttribute("fill", colour);
    const title = svg("title", {});
    title.textContent = `${iv.holder} ${iv.from || "…"} – ${iv.to || "…"} (${iv.status})`;
    r.append(title);
    box.append(r);
  }
  return box;
}

async function showPlace(gid) {
  state.placeView = gid;
  state.selected = null;
  writeUrl();
  const data = await panelData(`/api/places/${encodeURIComponent(gid)}`, "Place not found.");
  if (!data) return;
  const p = data.place;
  const parts = [el("h2", { id: "place-title" }, p.name),
    el("p", null, [p.admin1, p.country].filter(Boolean).join(", "), ` · GeoNames ${p.geonameid}`)];
  parts.push(el("h3", null, "Control timeline"));
  if (data.timeline && data.timeline.intervals.length) {
    const t = data.timeline;
    const starts = t.intervals.map((iv) => (iv.from ? Date.parse(iv.from) : null)).filter((x) => x !== null);
    const ends = t.intervals.map((iv) => (iv.to ? Date.parse(iv.to) : null)).filter((x) => x !== null);
    const lo = Math.min(...starts, ...ends, span ? span[0] : Date.now()) - 30 * DAY;
    const hi = Math.max(...starts, ...ends, span ? span[1] : Date.now()) + 30 * DAY;
    parts.push(timelineBar(t, lo, hi));
    parts.push(el("ul", { id: "control-intervals" }, t.intervals.map((iv) => el("li", null,
      el("strong", null, pretty(iv.holder)), ` ${iv.from || "…"} – ${iv.to || "…"} (${iv.status})`,
      el("ul", null, iv.sources.map(sourceItem)),
      iv.evidence.length ? el("ul", null, iv.evidence.map((o) => el("li", null, `${o.date} ${o.kind}: `,
        el("q", null, o.text)))) : null))));
  } else {
    parts.push(el("p", null, "No control information for this place."));
  }
  parts.push(el("h3", null, `Events (${data.events.length})`));
  parts.push(el("ul", null, data.events.map((e) => el("li", null,
    el("button", { class: "link", type: "button", onclick: () => selectEvent(e.event_id) },
      `${e.event_date || "undated"} ${e.sub_event_type}`), ` · ${pretty(e.side1)}`))));
  panel.replaceChildren(...parts);
  panel.dataset.placeId = String(gid);
}

// ------------------------------------------------------------------ search

document.getElementById("search").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = ev.target.elements.q.value.trim();
  if (!q) return;
  const data = await api("/api/search", new URLSearchParams({ q, limit: "20" }));
  panel.replaceChildren(el("h2", null, `Search: ${data.total} article(s)`),
    el("ul", { id: "search-results" }, data.items.map((a) => el("li", null,
      el("strong", null, a.title || a.name), a.outlet ? ` — ${a.outlet}` : null,
      el("p", null, a.snippet.map((s) => (s.hit ? el("mark", null, s.text) : s.text)))))));
});

// ------------------------------------------------------------------ loading

function fillSelect(name, values) {
  const select = form.elements[name];
  for (const v of values) select.append(el("option", { value: v }, pretty(v)));
}

async function loadEvents() {
  const p = filterParams();
  p.set("view", "rows");
  p.set("limit", String(state.meta.max_compact_page));
  const data = await api("/api/events", p);
  state.events = data.rows.map((row) => Object.fromEntries(data.columns.map((c, i) => [c, row[i]])));
  drawHistogram();
  applyBrush();
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  loadEvents().catch(showError);
});
form.addEventListener("change", (ev) => {
  if (ev.target.tagName === "SELECT") loadEvents().catch(showError);
});
document.getElementById("reset").addEventListener("click", () => {
  form.reset();
  state.brush = null;
  loadEvents().catch(showError);
});
window.addEventListener("resize", () => drawHistogram());

async function start() {
  state.meta = await api("/api/meta");
  fillSelect("side", state.meta.sides);
  fillSelect("type", [...state.meta.event_types, ...state.meta.sub_event_types]);
  fillSelect("movement", state.meta.movements);
  fillSelect("modality", state.meta.modalities);
  readUrl();
  drawLegend();
  await loadBasemap().catch(showError);
  await loadEvents();
  if (state.selected) await selectEvent(state.selected);
  else if (state.placeView) await showPlace(state.placeView);
  document.body.dataset.ready = "true";
}

start().catch(showError);
