// The left pane: the conversations (or tickets) of the chosen view, filtered, updated live.
import { api } from "./api.js";
import { channelIcon, duration, fill, h, onNextFrame } from "./dom.js";
import { t } from "./i18n.js";
import { slaBadges } from "./sla.js";

const STATUSES = ["bot", "queued", "open", "pending", "snoozed", "resolved", "closed"];
const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"];
const PRIORITIES = ["low", "normal", "high", "urgent"];

export class ConversationList {
  constructor(console) {
    this.console = console;
    this.items = new Map();
    this.order = [];
    this.element = document.getElementById("list");
    this.filtersElement = document.getElementById("filters");
    // Live changes redraw the list once per frame, however many events a frame brings.
    this.renderSoon = onNextFrame(() => this.render());
  }

  get state() {
    return this.console.state;
  }

  /** The filter controls; each change reloads the list. */
  renderFilters() {
    const filters = this.state.filters;
    const tickets = this.state.view === "tickets";
    const select = (name, label, values, labelOf = (v) => v) =>
      h("label", { class: "filter" }, label,
        h("select", { id: `filter-${name}`, name, onchange: (e) => { filters[name] = e.target.value || null; this.reload(); } },
          h("option", { value: "" }, t("any")),
          values.map((v) => h("option", { value: v, selected: filters[name] === v }, labelOf(v)))));
    fill(this.filtersElement,
      select("status", t("status"), tickets ? TICKET_STATUSES : STATUSES),
      tickets ? null : select("channel", t("channel"), [...this.console.channels.keys()]),
      tickets ? null : h("label", { class: "filter" }, t("label"),
        h("input", { id: "filter-label", name: "label", value: filters.label ?? "", size: 8,
          onchange: (e) => { filters.label = e.target.value.trim() || null; this.reload(); } })),
      select("priority", t("priority"), PRIORITIES),
      select("sla", t("sla"), ["breached", "due_soon"], (v) => (v === "breached" ? t("breached") : t("dueSoon"))));
  }

  query() {
    const { view, filters } = this.state;
    const parameters = new URLSearchParams({ limit: "100" });
    if (view !== "tickets") parameters.set("view", view);
    if (filters.status) parameters.set("status", filters.status);
    // Tickets filter on SLA at the hub; conversations on their ticket's clocks here, and tickets on priority here.
    if (view === "tickets" && filters.sla) parameters.set("sla", filters.sla);
    if (view !== "tickets") for (const name of ["channel", "label", "priority"]) if (filters[name]) parameters.set(name, filters[name]);
    return parameters;
  }

  async reload() {
    const view = this.state.view;
    this.items.clear();
    if (view === "tickets") {
      const answer = await api(`/tickets?${this.query()}`);
      for (const ticket of answer.tickets) {
        if (!this.state.filters.priority || ticket.priority === this.state.filters.priority) this.items.set(`t${ticket.id}`, { ticket });
      }
    } else {
      const answer = await api(`/conversations?${this.query()}`);
      for (const item of answer.conversations) if (this.matches(item)) this.items.set(`c${item.id}`, { item });
    }
    this.render();
  }

  /** Whether a conversation belongs in the current view and filters (the server's rules, applied to one row). */
  matches(item) {
    const { view, filters } = this.state;
    const me = this.console.session.agent;
    if (view === "tickets") return false;
    if (view === "mine" && item.assignee !== me.id) return false;
    if (view === "unassigned" && (item.assignee != null || ["resolved", "closed"].includes(item.status))) return false;
    if (view === "team" && !(me.teams ?? []).includes(item.team)) return false;
    if (filters.status && item.status !== filters.status) return false;
    if (filters.channel && item.channel !== filters.channel) return false;
    if (filters.priority && item.priority !== filters.priority) return false;
    if (filters.label && !(item.labels ?? []).includes(filters.label)) return false;
    if (filters.sla) {
      const ticket = this.console.ticketFor(item.id);
      if (!ticket || !slaState(ticket, filters.sla)) return false;
    }
    return true;
  }

  /** Puts one conversation's latest state into the list, or takes it out. */
  upsert(item) {
    const key = `c${item.id}`;
    if (this.matches(item)) this.items.set(key, { item });
    else this.items.delete(key);
    this.renderSoon();
  }

  remove(conversationID) {
    this.items.delete(`c${conversationID}`);
    this.renderSoon();
  }

  /** A message event, shown on its row at once; the row's exact state follows from the API. */
  touch(message) {
    const entry = this.items.get(`c${message.conversation}`);
    if (!entry) return false;
    entry.item.last_message = message.text;
    entry.item.last_message_at = message.created_at;
    if (message.direction === "in") entry.item.unread = (entry.item.unread ?? 0) + 1;
    this.renderSoon();
    return true;
  }

  upsertTicket(ticket) {
    if (this.state.view !== "tickets") return;
    const { filters } = this.state;
    const key = `t${ticket.id}`;
    const keep = (!filters.status || ticket.status === filters.status) && (!filters.priority || ticket.priority === filters.priority)
      && (!filters.sla || slaState(ticket, filters.sla));
    if (keep) this.items.set(key, { ticket });
    else this.items.delete(key);
    this.renderSoon();
  }

  /** The conversation ids in the order shown, for j and k. */
  conversationIDs() {
    return this.order.map((key) => {
      const entry = this.items.get(key);
      return entry.item ? entry.item.id : entry.ticket.conversations?.[0];
    }).filter((id) => id != null);
  }

  render() {
    const entries = [...this.items.entries()];
    const time = ([, e]) => Date.parse(e.item?.last_message_at ?? e.ticket?.updated_at ?? 0);
    entries.sort((a, b) => time(b) - time(a));
    this.order = entries.map(([key]) => key);
    const rows = entries.map(([key, entry]) => (entry.item ? this.row(entry.item) : this.ticketRow(entry.ticket)));
    fill(this.element, rows.length ? rows : h("li", { class: "empty", role: "option", "aria-disabled": "true", "aria-selected": "false" }, t("noConversations")));
    document.getElementById("list-count").textContent = String(rows.length);
  }

  row(item) {
    const selected = this.state.selected === item.id;
    const ticket = this.console.ticketFor(item.id);
    return h("li", {
      class: `row${selected ? " selected" : ""}`, role: "option", "aria-selected": selected ? "true" : "false", tabindex: "0",
      dataset: { conversation: item.id, unread: item.unread ?? 0 },
      onclick: () => this.console.open(item.id),
      onkeydown: (e) => { if (e.key === "Enter") this.console.open(item.id); },
    },
    h("div", { class: "row-head" },
      channelIcon(item.channel, this.console.channels.get(item.channel)),
      h("span", { class: "row-customer" }, item.customer_name || `#${item.customer}`),
      item.unread ? h("span", { class: "badge unread", "aria-label": t("unread", { n: item.unread }) }, item.unread) : null),
    h("div", { class: "row-last" }, item.last_message ?? ""),
    h("div", { class: "row-meta" },
      h("span", { class: `status status-${item.status}` }, item.status),
      item.priority !== "normal" ? h("span", { class: `priority priority-${item.priority}` }, item.priority) : null,
      item.waiting_seconds ? h("span", { class: "wait" }, t("waiting", { time: duration(item.waiting_seconds) })) : null,
      ticket ? slaBadges(ticket, true) : null,
      (item.labels ?? []).map((label) => h("span", { class: "label-chip" }, label))));
  }

  ticketRow(ticket) {
    const conversation = ticket.conversations?.[0];
    const selected = conversation != null && this.state.selected === conversation;
    return h("li", {
      class: `row ticket-row${selected ? " selected" : ""}`, role: "option", "aria-selected": selected ? "true" : "false",
      tabindex: "0", dataset: { ticket: ticket.id, conversation: conversation ?? "" },
      onclick: () => conversation != null && this.console.open(conversation),
      onkeydown: (e) => { if (e.key === "Enter" && conversation != null) this.console.open(conversation); },
    },
    h("div", { class: "row-head" }, h("span", { class: "ticket-number" }, ticket.number),
      h("span", { class: "row-customer" }, ticket.customer_name || `#${ticket.customer}`)),
    h("div", { class: "row-last" }, ticket.subject),
    h("div", { class: "row-meta" }, h("span", { class: `status status-${ticket.status}` }, ticket.status),
      h("span", { class: `priority priority-${ticket.priority}` }, ticket.priority), slaBadges(ticket, true)));
  }
}

/** Whether a ticket's clocks are in the `breached` or `due_soon` state the SLA filter asks for. */
export function slaState(ticket, wanted) {
  const targets = ["first_response", "next_response", "resolution"].map((k) => ticket.sla?.[k]).filter(Boolean);
  if (wanted === "breached") return targets.some((target) => target.state === "breached");
  return targets.some((target) => target.state === "running" && target.warn_at && Date.parse(target.warn_at) <= Date.now());
}
