// The right pane: who the customer is across channels (identities, attributes with their
// sources and conflicts), their conversations, tickets and orders, and the merges that made
// them one customer: proposals to accept or reject, merges to undo.
import { api } from "./api.js";
import { channelIcon, fill, h, reason, when } from "./dom.js";
import { t } from "./i18n.js";
import { slaBadges } from "./sla.js";

export class CustomerPanel {
  constructor(console) {
    this.console = console;
    this.element = document.getElementById("customer");
    this.orders = [];
    this.merges = [];
  }

  /** Loads everything about a customer; answers the merges, which the timeline draws too. */
  async load(customerID) {
    this.customerID = customerID;
    const [profile, orders, merges, proposals, conversations, tickets] = await Promise.all([
      api(`/customers/${customerID}`), api(`/customers/${customerID}/orders`), api(`/customers/${customerID}/merges`),
      api(`/merge-proposals?limit=200`), api(`/conversations?customer=${customerID}&limit=50`),
      api(`/tickets?customer=${customerID}&limit=50`),
    ]);
    if (this.customerID !== customerID) return null;
    this.profile = profile;
    this.orders = orders.orders ?? [];
    this.merges = merges.merges ?? [];
    const members = new Set([profile.id, ...(profile.merged_customers ?? [])]);
    this.proposals = (proposals.proposals ?? []).filter((p) => (p.current_customers ?? p.customers).some((c) => members.has(c)));
    this.conversations = conversations.conversations ?? [];
    this.tickets = tickets.tickets ?? [];
    this.render();
    return this.merges;
  }

  /** One of this customer's conversations changed (status, assignee): its line in the panel follows. */
  conversationChanged(item) {
    const index = this.conversations?.findIndex((c) => c.id === item.id) ?? -1;
    if (index < 0 || this.conversations[index].status === item.status) return;
    this.conversations[index] = item;
    this.render();
  }

  /** The orders again after an order or shipment event of this customer. */
  async refreshOrders() {
    if (!this.customerID) return;
    const answer = await api(`/customers/${this.customerID}/orders`);
    this.orders = answer.orders ?? [];
    this.render();
  }

  name() {
    return this.profile?.attributes?.find((a) => a.name === "name")?.shown ?? `#${this.profile?.id}`;
  }

  render() {
    const profile = this.profile;
    if (!profile) return;
    fill(this.element,
      h("h2", { id: "customer-name" }, this.name()),
      section(t("identities"), "identities", h("ul", { class: "identities" }, profile.identities.map((identity) =>
        h("li", { dataset: { kind: identity.kind } },
          channelIcon(identity.channel, this.console.channels.get(identity.channel)),
          h("span", { class: "identity-kind" }, identity.kind), " ", h("span", { class: "identity-value" }, identity.value), " ",
          h("span", { class: identity.verified ? "verified" : "unverified" }, identity.verified ? t("verified") : t("unverified")),
          h("div", { class: "muted" }, t("firstSeen", { time: when(identity.first_seen) }))))),
      ),
      section(t("attributes"), "attributes", h("dl", { class: "attributes" }, (profile.attributes ?? []).flatMap((attribute) => {
        const distinct = new Set(attribute.values.map((v) => v.value));
        return [
          h("dt", {}, attribute.name, distinct.size > 1 ? h("span", { class: "conflict" }, ` ⚠ ${t("conflict")}`) : null),
          h("dd", {}, attribute.values.map((value) => h("div", { class: value.value === attribute.shown ? "shown" : "other" },
            value.value, h("span", { class: "muted" }, ` · ${value.source}`)))),
        ];
      }))),
      this.proposals.length ? section(t("proposals"), "proposals", h("ul", {}, this.proposals.map((proposal) =>
        h("li", { dataset: { proposal: proposal.id } }, `${proposal.rule}: ${proposal.evidence} → ${proposal.customers.join(" + ")} `,
          h("button", { type: "button", class: "accept", onclick: () => this.decide(proposal, "accept") }, t("accept")), " ",
          h("button", { type: "button", class: "reject", onclick: () => this.decide(proposal, "reject") }, t("reject")))))) : null,
      this.merges.length ? section(t("merges"), "merges", h("ul", {}, this.merges.map((merge) =>
        h("li", { dataset: { merge: merge.id, state: merge.state } },
          `${merge.absorbed} → ${merge.survivor} (${merge.rule ?? merge.actor}) ${when(merge.created_at)} `,
          merge.state === "active" ? h("button", { type: "button", class: "undo", onclick: () => this.undo(merge) }, t("undo"))
            : h("span", { class: "muted" }, t("undone")))))) : null,
      section(t("otherConversations"), "conversations", h("ul", {}, this.conversations.map((item) =>
        h("li", {}, h("button", { type: "button", class: "link", onclick: () => this.console.open(item.id) },
          channelIcon(item.channel, this.console.channels.get(item.channel)), ` #${item.id} · ${item.status}`))))),
      this.tickets.length ? section(t("tickets"), "tickets", h("ul", {}, this.tickets.map((ticket) =>
        h("li", {}, `${ticket.number} · ${ticket.status} · ${ticket.subject} `, slaBadges(ticket, true))))) : null,
      section(t("orders"), "orders", this.orders.length ? this.orders.map((order) => this.orderDetails(order))
        : h("p", { class: "muted" }, t("noOrders"))));
  }

  async decide(proposal, decision) {
    try {
      await api(`/merge-proposals/${proposal.id}/${decision}`, { method: "POST", body: {} });
      await this.console.reloadCustomer();
    } catch (error) {
      this.console.status(t("error", { reason: reason(error) }), true);
    }
  }

  async undo(merge) {
    try {
      await api(`/merges/${merge.id}/undo`, { method: "POST", body: {} });
      await this.console.reloadCustomer();
    } catch (error) {
      this.console.status(t("error", { reason: reason(error) }), true);
    }
  }

  /** An order with its items, total, status and each shipment's carrier, tracking number and latest scan. */
  orderDetails(order) {
    return h("article", { class: "order-card", dataset: { order: order.name } },
      h("header", {}, h("strong", {}, order.name), " ",
        h("span", { class: "order-status" }, order.cancelled_at ? "cancelled" : `${order.financial_status ?? ""} · ${order.fulfillment_status ?? "unfulfilled"}`),
        h("span", { class: "order-total" }, ` ${order.currency ?? ""} ${order.total_price ?? ""}`)),
      h("ul", { class: "items" }, (order.line_items ?? []).map((item) => h("li", {}, `${item.quantity} × ${item.title}`))),
      (order.fulfillments ?? []).map((f) => h("div", { class: "shipment" },
        `${f.tracking_company ?? ""} ${f.tracking_number ?? ""} · ${f.shipment_status ?? f.status}`,
        f.latest_event ? h("div", { class: "scan" }, `${when(f.latest_event.at)} ${f.latest_event.text}`) : null)));
  }

  /** The card drawn on the timeline for an order, shipment or tracking event: the order as it is now. */
  orderCard(entry) {
    const name = (entry.summary.match(/#[\w-]+/) ?? [])[0];
    const order = name && this.orders.find((o) => o.name === name);
    return h("div", { class: "entry-summary" }, entry.summary, order ? this.orderDetails(order) : null);
  }
}

function section(title, id, ...content) {
  return h("section", { class: "panel-section", "aria-labelledby": `section-${id}` },
    h("h3", { id: `section-${id}` }, title), content);
}
