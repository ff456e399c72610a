// The console's charts, drawn here as SVG (no chart library, no build step): horizontal bars
// grouped or stacked per row, and columns per day. Each shape carries its row, series and value
// as data attributes and a <title> tooltip; each figure also holds its numbers as a table, which
// is what a screen reader (and a test) reads.
import { h } from "./dom.js";
import { t } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";

/** How many series colours console.css has (`.series-0` …); a series may name its own tone instead. */
const SERIES_COLOURS = 7;

function tone(series, index) {
  return series.tone ? `tone-${series.tone}` : `series-${index % SERIES_COLOURS}`;
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A number for an axis or a label: 1,234 or 12.5k. */
export function count(value) {
  if (value == null) return "—";
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(value >= 100_000 ? 0 : 1)}k`;
  return Math.round(value).toLocaleString();
}

/** A rate (0…1) as a percentage. */
export function percent(value) {
  return value == null ? "—" : `${Math.round(value * 1000) / 10}%`;
}

/**
 * The frame every chart shares: caption, the picture, a legend when there are several series,
 * and the figures as a table (collapsed).
 * @param {{id: string, title: string, series: {key: string, label: string}[], rows: {group: string, label: string, values: object}[],
 *   format: (v: number|null) => string, note?: string, csv?: string}} spec
 */
function figure(spec, picture) {
  const legend = spec.series.length > 1
    ? h("ul", { class: "legend" }, spec.series.map((s, index) => h("li", {},
      h("span", { class: `swatch ${tone(s, index)}` }), s.label)))
    : null;
  // A rate drawn as a line over columns is a column of the table too.
  const columns = spec.line ? [...spec.series, { ...spec.line, format: percent }] : spec.series;
  const table = h("details", { class: "figures" }, h("summary", {}, t("figures")),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, spec.groupLabel ?? ""), columns.map((s) => h("th", { scope: "col" }, s.label)))),
      h("tbody", {}, spec.rows.map((row) => h("tr", { dataset: { group: row.group } }, h("th", { scope: "row" }, row.label),
        columns.map((s) => h("td", { dataset: { series: s.key, value: row.values[s.key] ?? "" } }, (s.format ?? spec.format)(row.values[s.key]))))))));
  return h("figure", { class: "report", id: spec.id, dataset: { report: spec.id } },
    h("figcaption", {}, h("span", { class: "report-title" }, spec.title),
      spec.csv ? h("a", { class: "csv", href: spec.csv, download: `${spec.id}.csv` }, "CSV") : null),
    spec.rows.length ? picture : h("p", { class: "muted no-data" }, t("noData")),
    legend, spec.note ? h("p", { class: "muted chart-note" }, spec.note) : null, table);
}

function describe(spec) {
  return `${spec.title}: ${spec.rows.map((row) => `${row.label} ${spec.series.map((s) => `${s.label} ${spec.format(row.values[s.key])}`).join(", ")}`).join("; ")}`;
}

function bar(spec, row, series, index, x, y, width, height) {
  const value = row.values[series.key];
  return svg("rect", {
    x: x.toFixed(1), y: y.toFixed(1), width: Math.max(0, width).toFixed(1), height: height.toFixed(1),
    class: `bar ${tone(series, index)}`, dataset: { group: row.group, series: series.key, value: value ?? "" },
  }, svg("title", {}, `${row.label} · ${series.label}: ${spec.format(value)}`));
}

const LABEL_WIDTH = 110;
const WIDTH = 460;

/** One row per group, one bar per series side by side, each labelled with its figure. */
export function groupedBars(spec) {
  const barHeight = 14;
  const rowHeight = spec.series.length * barHeight + 10;
  const plot = WIDTH - LABEL_WIDTH - 56;
  const max = Math.max(1e-9, ...spec.rows.flatMap((row) => spec.series.map((s) => row.values[s.key] ?? 0)));
  const picture = svg("svg", { viewBox: `0 0 ${WIDTH} ${spec.rows.length * rowHeight + 4}`, role: "img", "aria-label": describe(spec), class: "chart" },
    spec.rows.map((row, r) => {
      const top = r * rowHeight + 4;
      return svg("g", {},
        svg("text", { x: 0, y: top + rowHeight / 2, class: "row-label" }, clip(row.label)),
        spec.series.map((series, index) => {
          const value = row.values[series.key];
          const width = ((value ?? 0) / max) * plot;
          const y = top + index * barHeight;
          return [bar(spec, row, series, index, LABEL_WIDTH, y, width, barHeight - 2),
            svg("text", { x: LABEL_WIDTH + width + 4, y: y + barHeight - 4, class: "figure" }, spec.format(value))];
        }));
    }));
  return figure(spec, picture);
}

/** One bar per group split into its series (parts of a whole), the row's total at its end. */
export function stackedBars(spec) {
  const rowHeight = 24;
  const plot = WIDTH - LABEL_WIDTH - 56;
  const total = (row) => spec.series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0);
  const max = Math.max(1e-9, ...spec.rows.map(total));
  const picture = svg("svg", { viewBox: `0 0 ${WIDTH} ${spec.rows.length * rowHeight + 4}`, role: "img", "aria-label": describe(spec), class: "chart" },
    spec.rows.map((row, r) => {
      const y = r * rowHeight + 4;
      let x = LABEL_WIDTH;
      return svg("g", {},
        svg("text", { x: 0, y: y + 14, class: "row-label" }, clip(row.label)),
        spec.series.map((series, index) => {
          const width = ((row.values[series.key] ?? 0) / max) * plot;
          const shape = bar(spec, row, series, index, x, y, width, rowHeight - 6);
          x += width;
          return shape;
        }),
        svg("text", { x: x + 4, y: y + 14, class: "figure" }, spec.format(total(row))));
    }));
  return figure(spec, picture);
}

/**
 * One column per day (stacked when there are several series), with a scale and every few days
 * named; `spec.line` draws a rate (0…1) over the columns on its own right-hand scale.
 */
export function columns(spec) {
  // A day without figures counted nothing: its columns are zero (a rate on it stays unknown).
  spec = { ...spec, rows: spec.rows.map((row) => ({ ...row, values: { ...Object.fromEntries(spec.series.map((s) => [s.key, 0])), ...row.values } })) };
  const height = 180;
  const left = 40;
  const right = spec.line ? 40 : 8;
  const bottom = 22;
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - bottom - 8;
  const slot = plotWidth / Math.max(1, spec.rows.length);
  const total = (row) => spec.series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0);
  const max = niceCeiling(Math.max(0, ...spec.rows.map(total)));
  const labelEvery = Math.max(1, Math.ceil(spec.rows.length / 8));
  const scaleY = (value) => 8 + plotHeight - (value / max) * plotHeight;
  const shapes = [
    svg("line", { x1: left, x2: left + plotWidth, y1: scaleY(0), y2: scaleY(0), class: "axis" }),
    svg("line", { x1: left, x2: left + plotWidth, y1: scaleY(max), y2: scaleY(max), class: "grid" }),
    svg("text", { x: left - 4, y: scaleY(max) + 4, class: "scale", "text-anchor": "end" }, spec.format(max)),
    svg("text", { x: left - 4, y: scaleY(0), class: "scale", "text-anchor": "end" }, "0"),
  ];
  spec.rows.forEach((row, index) => {
    const x = left + index * slot + slot * 0.12;
    let base = 0;
    spec.series.forEach((series, s) => {
      const value = row.values[series.key] ?? 0;
      shapes.push(bar(spec, row, series, s, x, scaleY(base + value), slot * 0.76, scaleY(base) - scaleY(base + value)));
      base += value;
    });
    if (index % labelEvery === 0) {
      shapes.push(svg("text", { x: x + slot * 0.38, y: height - 6, class: "scale", "text-anchor": "middle" }, row.short ?? row.label));
    }
  });
  if (spec.line) {
    const { key, label } = spec.line;
    const rateY = (value) => 8 + plotHeight - value * plotHeight;
    const points = spec.rows.map((row, index) => [left + index * slot + slot / 2, row.values[key]]).filter(([, v]) => v != null);
    if (points.length) {
      shapes.push(svg("polyline", { points: points.map(([x, v]) => `${x.toFixed(1)},${rateY(v).toFixed(1)}`).join(" "), class: "rate-line" }));
      for (const [x, v] of points) shapes.push(svg("circle", { cx: x.toFixed(1), cy: rateY(v).toFixed(1), r: 3, class: "rate-point" }, svg("title", {}, `${label}: ${percent(v)}`)));
    }
    shapes.push(svg("text", { x: left + plotWidth + 4, y: rateY(1) + 4, class: "scale" }, "100%"),
      svg("text", { x: left + plotWidth + 4, y: rateY(0), class: "scale" }, "0%"));
  }
  const picture = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": describe(spec), class: "chart" }, shapes);
  return figure(spec, picture);
}

/** 1, 2, 5 × 10ⁿ at or above `value`: a scale's top that reads well. */
function niceCeiling(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function clip(text) {
  return text.length > 16 ? `${text.slice(0, 15)}…` : text;
}
