// The conversation's header: who it is, its state, and what an agent can do with it: assign,
// claim next, transfer, snooze, pending, resolve; priority and labels; its ticket's fields and
// follow-up.
import { api } from "./api.js";
import { channelIcon, fill, h, reason } from "./dom.js";
import { t } from "./i18n.js";
import { slaBadges } from "./sla.js";

const PRIORITIES = ["low", "normal", "high", "urgent"];

export class ConversationActions {
  constructor(console) {
    this.console = console;
    this.header = document.getElementById("conversation-header");
    this.ticketElement = document.getElementById("ticket");
  }

  render(item) {
    this.item = item;
    const me = this.console.session.agent;
    const act = (label, id, handler) => h("button", { type: "button", id, onclick: () => this.run(handler) }, label);
    const priority = h("select", { id: "priority", "aria-label": t("priority"), onchange: (e) => this.run(() => this.patch({ priority: e.target.value })) },
      PRIORITIES.map((p) => h("option", { value: p, selected: item.priority === p }, p)));
    const transfer = h("select", { id: "transfer", "aria-label": t("transferTo"), onchange: (e) => this.run(() => this.transfer(e.target.value)) },
      h("option", { value: "" }, `${t("transfer")}…`),
      (this.console.teams ?? []).map((team) => h("option", { value: `team:${team}` }, `⇢ ${team}`)),
      (this.console.agents ?? []).filter((a) => a.id !== me.id && a.presence === "online").map((a) => h("option", { value: `agent:${a.id}` }, a.name)));
    const labelInput = h("input", { id: "add-label", size: 8, "aria-label": t("addLabel"), placeholder: t("addLabel"),
      onkeydown: (e) => { if (e.key === "Enter" && e.target.value.trim()) this.run(() => this.patch({ labels: [...item.labels, e.target.value.trim()] })); } });
    fill(this.header,
      h("div", { class: "conversation-title" },
        channelIcon(item.channel, this.console.channels.get(item.channel)),
        h("h2", { id: "conversation-title" }, item.customer_name || `#${item.customer}`),
        h("span", { class: `status status-${item.status}`, id: "conversation-status" }, item.status),
        item.assignee_name ? h("span", { class: "muted" }, `→ ${item.assignee_name}`) : null),
      h("div", { id: "presence-line", class: "presence-line", "aria-live": "polite" }),
      h("div", { class: "actions", role: "toolbar", "aria-label": t("actions") },
        item.assignee !== me.id ? act(t("assign"), "claim", async () => this.console.updated(await api(`/conversations/${item.id}/claim`, { method: "POST", body: {} }))) : null,
        act(t("claimNext"), "claim-next", () => this.claimNext()),
        transfer,
        act(t("snooze"), "snooze", () => this.patch({ status: "snoozed", snoozed_until: new Date(Date.now() + 3600e3).toISOString() })),
        act(t("pending"), "pending", () => this.patch({ status: "pending" })),
        ["resolved", "closed"].includes(item.status) ? act(t("reopen"), "reopen", () => this.patch({ status: "open" }))
          : act(t("resolve"), "resolve", () => this.patch({ status: "resolved" })),
        priority),
      h("div", { class: "labels", "aria-label": t("labels") },
        item.labels.map((label) => h("span", { class: "label-chip" }, label,
          h("button", { type: "button", class: "chip-remove", "aria-label": `${label} ×`,
            onclick: () => this.run(() => this.patch({ labels: item.labels.filter((l) => l !== label) })) }, "×"))),
        labelInput));
  }

  async run(action) {
    try {
      await action();
    } catch (error) {
      this.console.status(t("error", { reason: reason(error) }), true);
    }
  }

  async patch(change) {
    const item = await api(`/conversations/${this.item.id}`, { method: "PATCH", body: change });
    this.console.updated(item);
  }

  /** Resolving from the keyboard (e). */
  resolve() {
    return this.run(() => this.patch({ status: "resolved" }));
  }

  async transfer(value) {
    if (!value) return;
    const [kind, id] = value.split(":");
    const body = kind === "team" ? { team: id } : { agent: Number(id) };
    const item = await api(`/conversations/${this.item.id}/transfer`, { method: "POST", body });
    this.console.updated(item);
  }

  /** Takes the longest-waiting conversation of the agent's queues and opens it. */
  async claimNext() {
    const me = this.console.session.agent;
    const queues = (await api("/queues")).queues.filter((q) => !me.teams?.length || me.teams.includes(q.team));
    for (const queue of queues.filter((q) => q.waiting > 0)) {
      try {
        const answer = await api(`/queues/${queue.id}/next`, { method: "POST", body: {} });
        const next = answer?.conversation;
        if (next != null) {
          await this.console.open(typeof next === "object" ? next.id : next);
          return;
        }
      } catch (error) {
        if (error.status !== 404) throw error;
      }
    }
    this.console.status(t("noConversations"));
  }

  /** The conversation's ticket: number, status, SLA clocks, fields and follow-up; or a button to open one. */
  renderTicket(ticket) {
    this.ticket = ticket;
    if (!this.item) return;
    if (!ticket) {
      fill(this.ticketElement, h("button", { type: "button", id: "create-ticket",
        onclick: () => this.run(async () => {
          const created = await api("/tickets", { method: "POST", body: { conversation: this.item.id } });
          this.console.ticketChanged(created);
        }) }, t("createTicket")));
      return;
    }
    const fields = this.console.ticketFields ?? [];
    const inputs = fields.map((field) => {
      const value = ticket.fields?.[field.id];
      const id = `field-${field.id}`;
      let input;
      if (field.type === "choice") {
        input = h("select", { id, name: field.id }, h("option", { value: "" }, "—"),
          field.options.map((o) => h("option", { value: o, selected: value === o }, o)));
      } else if (field.type === "boolean") {
        input = h("input", { id, name: field.id, type: "checkbox", checked: value === true });
      } else {
        input = h("input", { id, name: field.id, type: field.type === "number" ? "number" : field.type === "date" ? "date" : "text", value: value ?? "" });
      }
      return h("div", { class: "field" }, h("label", { for: id }, field.id, field.required ? " *" : ""), input);
    });
    const followUp = h("input", { id: "follow-up", type: "datetime-local" });
    fill(this.ticketElement,
      h("h3", {}, `${t("ticket")} ${ticket.number}`, " ", h("span", { class: `status status-${ticket.status}` }, ticket.status)),
      h("div", { class: "sla-line" }, slaBadges(ticket)),
      inputs.length ? h("form", { class: "ticket-fields", "aria-label": t("ticketFields"),
        onsubmit: (e) => { e.preventDefault(); this.run(() => this.saveFields(fields)); } },
      inputs, h("button", { type: "submit" }, t("save"))) : null,
      h("div", { class: "field" }, h("label", { for: "follow-up" }, t("followUp")), followUp,
        h("button", { type: "button", id: "set-follow-up", onclick: () => this.run(() => this.setFollowUp(followUp.value)) }, t("setFollowUp"))),
      ticket.follow_up ? h("p", { class: "muted" }, `${t("followUp")}: ${ticket.follow_up.at}`) : null);
  }

  async saveFields(fields) {
    const values = {};
    for (const field of fields) {
      const input = document.getElementById(`field-${field.id}`);
      if (field.type === "boolean") values[field.id] = input.checked;
      else if (input.value === "") values[field.id] = null;
      else values[field.id] = field.type === "number" ? Number(input.value) : input.value;
    }
    const ticket = await api(`/tickets/${this.ticket.id}`, { method: "PATCH", body: { fields: values } });
    this.console.ticketChanged(ticket);
  }

  async setFollowUp(value) {
    if (!value) return;
    const ticket = await api(`/tickets/${this.ticket.id}`, { method: "PATCH", body: { follow_up: { at: new Date(value).toISOString() } } });
    this.console.ticketChanged(ticket);
  }
}
