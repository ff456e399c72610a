// Supervisors' views: the queues (waiting, longest wait, the current estimate), the agents
// (presence, load against capacity), the SLA breaches, and a chart of open work by channel.
import { api } from "./api.js";
import { coalesced, duration, fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { slaBadges } from "./sla.js";

export class SupervisorViews {
  constructor(console) {
    this.console = console;
    this.element = document.getElementById("supervisor");
  }

  async show(view) {
    this.view = view;
    if (view === "queues") await this.queues();
    else if (view === "agents") await this.agents();
    else if (view === "breaches") await this.breaches();
  }

  /** The view again after an event that changes it; a burst of events costs at most two reloads. */
  refresh() {
    this.reloadOnce ??= coalesced(async () => {
      if (this.view && !this.element.hidden) await this.show(this.view);
    });
    this.reloadOnce();
  }

  async queues() {
    const [queues, open] = await Promise.all([api("/queues"), api("/conversations?view=all&limit=200")]);
    const rows = queues.queues.map((q) => h("tr", { dataset: { queue: q.id } },
      h("th", { scope: "row" }, q.id), h("td", {}, q.team ?? ""), h("td", {}, q.waiting), h("td", {}, duration(q.longest_wait_seconds)),
      h("td", {}, q.estimate_minutes ? `${q.estimate_minutes.join("–")} min` : "—"), h("td", {}, `${q.agents_available}/${q.agents_online}`)));
    const counts = new Map();
    for (const item of open.conversations) if (!["resolved", "closed"].includes(item.status)) counts.set(item.channel, (counts.get(item.channel) ?? 0) + 1);
    fill(this.element,
      h("h2", {}, t("queues")),
      h("table", {}, h("thead", {}, h("tr", {}, [t("queue"), t("teamName"), t("waitingCount"), t("longestWait"), t("estimate"), t("agents")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows)),
      h("h2", {}, t("dashboards")),
      barChart(t("volumeByChannel"), [...counts.entries()]));
  }

  async agents() {
    const [agents, open] = await Promise.all([api("/agents"), api("/conversations?view=all&limit=200")]);
    const load = new Map();
    for (const item of open.conversations) {
      if (item.assignee != null && !["resolved", "closed"].includes(item.status)) load.set(item.assignee, (load.get(item.assignee) ?? 0) + 1);
    }
    fill(this.element, h("h2", {}, t("agents")),
      h("table", {}, h("thead", {}, h("tr", {}, [t("agent"), t("role"), t("presence"), t("load"), t("conversations")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, agents.agents.map((agent) => {
          const capacity = (agent.capacity?.chat ?? 0) + (agent.capacity?.async ?? 0);
          const mine = open.conversations.filter((c) => c.assignee === agent.id && !["resolved", "closed"].includes(c.status));
          return h("tr", { dataset: { agent: agent.id } }, h("th", { scope: "row" }, agent.name), h("td", {}, agent.role),
            h("td", {}, h("span", { class: `presence presence-${agent.presence}` }, t(agent.presence))),
            h("td", {}, h("meter", { min: 0, max: capacity || 1, value: load.get(agent.id) ?? 0, "aria-label": `${t("load")} ${agent.name}` }),
              ` ${load.get(agent.id) ?? 0}/${capacity}`),
            h("td", {}, mine.map((c) => h("button", { type: "button", class: "link", onclick: () => this.console.open(c.id) }, `#${c.id}`))));
        }))));
  }

  async breaches() {
    const answer = await api("/tickets?sla=breached&limit=100");
    fill(this.element, h("h2", {}, t("breaches")),
      answer.tickets.length ? h("ul", { class: "breaches" }, answer.tickets.map((ticket) => h("li", { dataset: { ticket: ticket.id } },
        h("button", { type: "button", class: "link", onclick: () => ticket.conversations?.[0] && this.console.open(ticket.conversations[0]) },
          `${ticket.number} · ${ticket.subject}`), " ", ticket.assignee_name ?? "", " ", slaBadges(ticket))))
        : h("p", { class: "muted" }, t("noBreaches")));
  }
}

/** A horizontal bar chart drawn as SVG, with the figures as text for screen readers. */
export function barChart(title, pairs) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 360;
  const barHeight = 22;
  const max = Math.max(1, ...pairs.map(([, v]) => v));
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${Math.max(1, pairs.length) * (barHeight + 6)}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${title}: ${pairs.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  svg.classList.add("chart");
  pairs.forEach(([label, value], index) => {
    const y = index * (barHeight + 6);
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", "0");
    text.setAttribute("y", String(y + 16));
    text.textContent = label;
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", "90");
    bar.setAttribute("y", String(y));
    bar.setAttribute("height", String(barHeight));
    bar.setAttribute("width", String(((width - 130) * value) / max));
    const figure = document.createElementNS(ns, "text");
    figure.setAttribute("x", String(95 + ((width - 130) * value) / max));
    figure.setAttribute("y", String(y + 16));
    figure.textContent = String(value);
    svg.append(text, bar, figure);
  });
  return h("figure", {}, h("figcaption", {}, title), svg);
}
