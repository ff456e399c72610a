// The reports view: the figures of `GET /api/v1/reports/{name}` drawn as SVG charts (volume by
// channel and by day, first-response percentiles, bot containment, SLA, CSAT, the backlog now
// and each agent's work) over a range of days in the browser's time zone. The view follows the
// event stream: figures are read again a moment after activity, and every half minute anyway.
import { api } from "./api.js";
import { columns, count, groupedBars, percent, stackedBars } from "./charts.js";
import { coalesced, duration, fill, h, reason } from "./dom.js";
import { language, t } from "./i18n.js";

const RANGES = { today: 1, days7: 7, days30: 30, days90: 90 };
/** What the volume, first-response, bot and backlog charts can be split by (agents have their table). */
const DIMENSIONS = ["channel", "queue", "team", "intent"];
/** After an event the figures are read again this much later: a burst of events costs one read. */
const SETTLE_MS = 1500;
/** And at this interval whatever happens: the backlog and SLA clocks move without an event here. */
const POLL_MS = 30_000;
const ACTIVITY = /^(message\.(received|sent)|conversation\.|ticket\.|sla\.|bot\.)/;

export class ReportsView {
  constructor(console) {
    this.console = console;
    this.element = document.getElementById("supervisor");
    this.range = "days7";
    this.dimension = "channel";
    this.business = false;
    this.loadOnce = coalesced(() => this.load());
  }

  async show() {
    this.active = true;
    clearInterval(this.poll);
    this.poll = setInterval(() => this.loadOnce(), POLL_MS);
    await this.loadOnce();
  }

  /** Leaving the view stops its timers. */
  hide() {
    this.active = false;
    clearInterval(this.poll);
    clearTimeout(this.settle);
    this.settle = null;
  }

  /** An event of the log: activity that changes a figure reads them again shortly. */
  eventArrived(type) {
    if (!this.active || this.settle || !ACTIVITY.test(type)) return;
    this.settle = setTimeout(() => {
      this.settle = null;
      if (this.active) this.loadOnce();
    }, SETTLE_MS);
  }

  /** The range asked for: whole local days up to now (today alone for "today"). */
  span() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const to = new Date();
    const from = new Date(to);
    from.setHours(0, 0, 0, 0);
    from.setDate(from.getDate() - (RANGES[this.range] - 1));
    return { from: from.toISOString(), to: to.toISOString(), tz: zone };
  }

  async load() {
    if (!this.active) return;
    const span = this.span();
    const path = (name, group, format) => `/reports/${name}?${new URLSearchParams({ ...span, ...(group ? { group_by: group } : {}), ...(format ? { format } : {}) })}`;
    let answers;
    try {
      answers = await Promise.all([
        api(path("volume", this.dimension)), api(path("volume", "day")), api(path("first_response", this.dimension)),
        api(path("resolution")), api(path("bot", this.dimension)), api(path("sla", "day")), api(path("csat", "day")),
        api(path("backlog", this.dimension)), api(path("agents", "agent")),
      ]);
    } catch (error) {
      if (this.active) this.console.status(t("error", { reason: reason(error) }), true);
      return;
    }
    if (!this.active) return;
    const [volume, daily, firstResponse, resolution, bot, sla, csat, backlog, agents] = answers;
    const csv = (name, group) => `/api/v1${path(name, group, "csv")}`;
    const days = localDays(span);
    const clock = this.business ? "business_" : "";
    const dimension = this.dimension;
    const by = { dimension: t(`dimension_${dimension}`) };
    const label = (row) => ({ group: row.group, label: this.groupLabel(dimension, row.group), values: row });
    // A reload redraws the view: what the reader had open, focused and scrolled to stays so.
    const focus = document.activeElement?.id;
    const opened = new Set([...this.element.querySelectorAll("details[open]")].map((d) => d.closest("[id]")?.id));
    const scrolled = this.element.scrollTop;
    fill(this.element,
      h("div", { class: "reports-head" },
        h("h2", {}, t("reports")),
        h("label", {}, `${t("range")} `, h("select", { id: "report-range", onchange: (e) => { this.range = e.target.value; this.loadOnce(); } },
          Object.keys(RANGES).map((key) => h("option", { value: key, selected: key === this.range }, t(key))))),
        h("label", {}, `${t("groupBy")} `, h("select", { id: "report-dimension", onchange: (e) => { this.dimension = e.target.value; this.loadOnce(); } },
          DIMENSIONS.map((key) => h("option", { value: key, selected: key === dimension }, t(`dimension_${key}`))))),
        h("label", {}, h("input", { type: "checkbox", id: "report-business", checked: this.business,
          onchange: (e) => { this.business = e.target.checked; this.loadOnce(); } }), ` ${t("businessTime")}`),
        h("span", { class: "muted" }, span.tz),
        h("span", { id: "reports-updated", class: "muted", dataset: { loadedAt: Date.now(), from: span.from, to: span.to, tz: span.tz } },
          t("updatedAt", { time: new Date().toLocaleTimeString(language() === "zh" ? "zh-CN" : "en-GB") }))),
      h("ul", { class: "kpis", "aria-label": t("reports") }, [
        ["conversations", t("conversations"), count(volume.total.conversations)],
        ["messages_in", t("messagesIn"), count(volume.total.messages_in)],
        ["messages_out", t("messagesOut"), count(volume.total.messages_out)],
        ["first_response", t("firstResponseMedian"), seconds(firstResponse.total[`${clock}p50_seconds`])],
        ["resolution", t("resolutionMedian"), seconds(resolution.total[`${clock}p50_seconds`])],
        ["containment", t("containment"), percent(bot.total.containment_rate)],
        ["sla", t("slaMet"), percent(sla.total.met_rate)],
        ["csat", t("csat"), percent(csat.total.csat)],
        ["backlog", t("backlogNow"), count(backlog.total.total)],
      ].map(([key, label, value]) => h("li", { class: "kpi", dataset: { kpi: key } }, h("span", { class: "kpi-label" }, label), " ",
        h("strong", { class: "kpi-value" }, value)))),
      h("div", { class: "report-grid" },
        groupedBars({
          id: "volume-by-group", title: t("volumeBy", by), groupLabel: by.dimension, format: count, csv: csv("volume", dimension),
          series: [{ key: "conversations", label: t("conversations") }, { key: "messages_in", label: t("messagesIn") },
            { key: "messages_out", label: t("messagesOut") }],
          rows: volume.rows.map(label),
        }),
        columns({
          id: "volume-by-day", title: t("conversationsByDay"), groupLabel: t("day"), format: count, csv: csv("volume", "day"),
          series: [{ key: "conversations", label: t("conversations") }],
          rows: dayRows(days, daily.rows),
        }),
        groupedBars({
          id: "first-response", title: this.business ? t("firstResponseBusinessBy", by) : t("firstResponseBy", by), groupLabel: by.dimension,
          format: seconds, csv: csv("first_response", dimension), note: t("percentileNote", { n: count(firstResponse.total.count) }),
          series: [{ key: `${clock}p50_seconds`, label: "p50" }, { key: `${clock}p90_seconds`, label: "p90" },
            { key: `${clock}avg_seconds`, label: t("average") }],
          rows: firstResponse.total.count === 0 ? [] : [{ group: "total", label: t("allGroups"), values: firstResponse.total },
            ...firstResponse.rows.map(label)],
        }),
        stackedBars({
          id: "bot-containment", title: t("botBy", by), groupLabel: by.dimension, format: count, csv: csv("bot", dimension),
          note: t("containmentNote", { contained: percent(bot.total.containment_rate), handoff: percent(bot.total.handoff_rate), answers: count(bot.total.answers) }),
          series: [{ key: "contained", label: t("contained") }, { key: "handoffs", label: t("handedOff") }, { key: "in_progress", label: t("inProgress") }],
          rows: bot.rows.map((row) => ({ ...label(row), values: { ...row, in_progress: Math.max(0, row.conversations - row.contained - row.handoffs) } })),
        }),
        columns({
          id: "sla-by-day", title: t("slaByDay"), groupLabel: t("day"), format: count, csv: csv("sla", "day"),
          series: [{ key: "met", label: t("slaTargetsMet"), tone: "good" }, { key: "breached", label: t("breached"), tone: "bad" }],
          line: { key: "met_rate", label: t("slaMet") },
          rows: dayRows(days, sla.rows),
        }),
        columns({
          id: "csat-by-day", title: t("csatByDay"), groupLabel: t("day"), format: count, csv: csv("csat", "day"),
          note: t("csatNote", { rate: percent(csat.total.response_rate), surveys: count(csat.total.surveys), score: csat.total.avg_score?.toFixed(2) ?? "—" }),
          series: [{ key: "good", label: t("goodAnswers"), tone: "good" }, { key: "other_answers", label: t("otherAnswers"), tone: "neutral" }],
          line: { key: "csat", label: t("csat") },
          rows: dayRows(days, csat.rows).map((row) => ({ ...row, values: { ...row.values, other_answers: (row.values.answers ?? 0) - (row.values.good ?? 0) } })),
        }),
        stackedBars({
          id: "backlog-now", title: t("backlogBy", by), groupLabel: by.dimension, format: count, csv: csv("backlog", dimension),
          series: backlogSeries(),
          rows: backlog.rows.map(label),
        })),
      this.agentsTable(agents, csv("agents", "agent")));
    for (const id of opened) document.getElementById(id)?.querySelector("details")?.setAttribute("open", "");
    this.element.scrollTop = scrolled;
    if (focus) document.getElementById(focus)?.focus();
  }

  agentsTable(answer, csv) {
    return h("section", { class: "report", id: "agents-report", "aria-labelledby": "agents-report-title" },
      h("h3", { id: "agents-report-title" }, t("agentsReport"), " ", h("a", { class: "csv", href: csv, download: "agents.csv" }, "CSV")),
      h("table", {},
        h("thead", {}, h("tr", {}, [t("agent"), t("replies"), t("firstResponses"), t("avgFirstResponse"), t("resolved"), t("occupancy"), t("openNow"),
          t("occupancyNow")]
          .map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, answer.rows.map((row) => h("tr", { dataset: { agent: row.group } },
          h("th", { scope: "row" }, this.groupLabel("agent", row.group)), h("td", {}, count(row.replies)), h("td", {}, count(row.first_responses)),
          h("td", {}, seconds(row.avg_first_response_seconds)), h("td", {}, count(row.resolved)),
          h("td", { dataset: { figure: "occupancy" } }, this.occupancy(row.occupancy, t("occupancy"), row.group)), h("td", {}, count(row.open_now)),
          h("td", { dataset: { figure: "occupancy_now" } }, this.occupancy(row.occupancy_now, t("occupancyNow"), row.group)))))));
  }

  occupancy(value, label, agent) {
    return value == null ? "—" : [h("meter", { min: 0, max: 1, value: Math.min(1, value), "aria-label": `${label} ${this.groupLabel("agent", agent)}` }),
      ` ${percent(value)}`];
  }

  /** A group's name for people: agents by name, "none" in words, channels, queues, teams and intents by their id. */
  groupLabel(dimension, group) {
    if (group === "none") return t("noneGroup");
    if (dimension === "agent") return this.console.agents?.find((a) => String(a.id) === group)?.name ?? `#${group}`;
    return group;
  }
}

/** The backlog report's statuses, as a stacked chart's series (the reports and the queues view draw it). */
export function backlogSeries() {
  return ["bot", "queued", "open", "pending", "snoozed"].map((key) => ({ key, label: t(`backlog_${key}`) }));
}

function seconds(value) {
  return value == null ? "—" : duration(value);
}

/** Every local day the range touches, in the report's zone (`2026-12-03`). */
function localDays({ from, to, tz }) {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
  const days = [];
  const end = Date.parse(to);
  // Three-hour steps meet every day even across a daylight-saving change.
  for (let instant = Date.parse(from); instant < end + 3 * 3_600_000; instant += 3 * 3_600_000) {
    const day = format.format(new Date(Math.min(instant, end)));
    if (days[days.length - 1] !== day) days.push(day);
  }
  return days;
}

/** One row per day of the range, days without figures at zero. */
function dayRows(days, rows) {
  const byDay = new Map(rows.map((row) => [row.group, row]));
  return days.map((day) => ({ group: day, label: day, short: day.slice(5), values: byDay.get(day) ?? {} }));
}
