// Supervisors' views: the queues (waiting, longest wait, the current estimate, and the backlog by
// channel for those who may read reports), the agents (presence, load against capacity), the SLA breaches.
import { api } from "./api.js";
import { count, stackedBars } from "./charts.js";
import { coalesced, duration, fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { backlogSeries } from "./reports.js";
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
    const [queues, backlog] = await Promise.all([
      api("/queues"), this.console.can("reports.read") ? api("/reports/backlog?group_by=channel") : null,
    ]);
    const rows = queues.queues.map((q) => h("tr", { dataset: { queue: q.id } },
      h("th", { scope: "row" }, q.id), h("td", {}, q.team ?? ""), h("td", {}, q.waiting), h("td", {}, duration(q.longest_wait_seconds)),
      h("td", {}, q.estimate_minutes ? `${q.estimate_minutes.join("–")} min` : "—"), h("td", {}, `${q.agents_available}/${q.agents_online}`)));
    fill(this.element,
      h("h2", {}, t("queues")),
      h("table", {}, h("thead", {}, h("tr", {}, [t("queue"), t("teamName"), t("waitingCount"), t("longestWait"), t("estimate"), t("agents")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows)),
      backlog ? stackedBars({
        id: "queues-backlog", title: t("backlogByChannel"), groupLabel: t("channel"), format: count,
        series: backlogSeries(),
        rows: backlog.rows.map((row) => ({ group: row.group, label: row.group, values: row })),
      }) : null);
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
