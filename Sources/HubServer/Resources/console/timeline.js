// The middle pane: the merged customer's timeline across every channel, newest at the bottom,
// older pages loaded as the agent scrolls up. Live events are appended in place.
import { api } from "./api.js";
import { channelIcon, fill, h, onNextFrame, when } from "./dom.js";
import { t } from "./i18n.js";

const PAGE = 50;
const TICKS = {
  pending: ["…", "statusPending"], sent: ["✓", "statusSent"], delivered: ["✓✓", "statusDelivered"],
  read: ["✓✓", "statusRead"], failed: ["!", "statusFailed"],
};

export class Timeline {
  constructor(console) {
    this.console = console;
    this.element = document.getElementById("timeline");
    this.entries = new Map();
    this.messageElements = new Map();
    this.next = null;
    this.loadingOlder = false;
    // Live entries wait for the next frame and go in together: one layout per frame, not per message.
    this.incoming = [];
    this.flushSoon = onNextFrame(() => this.flush());
    /** When each live customer message came off the socket and reached the screen (epoch ms), for the benchmark. */
    this.shown = [];
    this.element.addEventListener("scroll", () => {
      if (this.element.scrollTop < 80) this.loadOlder();
    });
  }

  /** Shows a customer's newest page; `merges` are drawn between the events at their times. */
  async show(customerID, merges = []) {
    this.customerID = customerID;
    this.entries.clear();
    this.messageElements.clear();
    this.incoming = [];
    this.merges = merges;
    this.loadingPage = true;
    fill(this.element, h("p", { class: "loading" }, t("loading")));
    const page = await api(`/customers/${customerID}/timeline?limit=${PAGE}`);
    if (this.customerID !== customerID) return;
    this.next = page.next ?? null;
    const nodes = page.events.slice().reverse().map((entry) => this.remember(entry));
    fill(this.element, this.olderButton(), this.withMerges(nodes, page.events.at(-1)?.at, null));
    this.element.scrollTop = this.element.scrollHeight;
    // Live messages that came while the page loaded follow it, unless the page has them already.
    const inPage = new Set(page.events.map((e) => e.message?.id).filter((id) => id != null));
    this.incoming = this.incoming.filter(({ entry }) => !inPage.has(entry.message?.id));
    for (const { entry, node } of this.incoming) if (entry.message) this.messageElements.set(entry.message.id, node);
    this.loadingPage = false;
    this.flush();
  }

  olderButton() {
    this.older = h("button", { type: "button", class: "older", hidden: !this.next, onclick: () => this.loadOlder() }, t("loadOlder"));
    return this.older;
  }

  /** The next older page, prepended without moving what the agent is reading. */
  async loadOlder(limit = PAGE) {
    if (!this.next || this.loadingOlder) return;
    this.loadingOlder = true;
    const customerID = this.customerID;
    try {
      const page = await api(`/customers/${customerID}/timeline?limit=${limit}&before=${encodeURIComponent(this.next)}`);
      if (this.customerID !== customerID) return;
      const firstTime = [...this.entries.values()].reduce((min, e) => (!min || e.at < min ? e.at : min), null);
      this.next = page.next ?? null;
      const nodes = page.events.slice().reverse().filter((e) => !this.entries.has(e.id)).map((entry) => this.remember(entry));
      const height = this.element.scrollHeight;
      this.element.setAttribute("aria-busy", "true");
      this.older.after(...this.withMerges(nodes, page.events.at(-1)?.at, firstTime));
      this.older.hidden = !this.next;
      this.element.scrollTop += this.element.scrollHeight - height;
      this.element.removeAttribute("aria-busy");
    } finally {
      this.loadingOlder = false;
    }
  }

  /** Every page loaded, for the render benchmark and for a long search. */
  async loadAll() {
    while (this.next) {
      this.loadingOlder = false;
      await this.loadOlder(200);
    }
  }

  /** Inserts merge and undo markers into a run of nodes, by time, between `from` and `to`. */
  withMerges(nodes, from, to) {
    const marks = [];
    for (const merge of this.merges) {
      marks.push({ at: merge.created_at, node: this.mergeNode(merge, false) });
      if (merge.undone_at) marks.push({ at: merge.undone_at, node: this.mergeNode(merge, true) });
    }
    const inRange = marks.filter((m) => (!from || m.at >= from) && (!to || m.at < to)).sort((a, b) => (a.at < b.at ? -1 : 1));
    const result = [];
    let index = 0;
    for (const node of nodes) {
      while (index < inRange.length && inRange[index].at < node.dataset.at) result.push(inRange[index++].node);
      result.push(node);
    }
    while (index < inRange.length) result.push(inRange[index++].node);
    return result;
  }

  mergeNode(merge, undo) {
    return h("div", { class: "entry merge-entry", dataset: { kind: undo ? "unmerge" : "merge", merge: merge.id } },
      h("span", { class: "entry-time" }, when(undo ? merge.undone_at : merge.created_at)),
      undo ? t("unmerged", { absorbed: merge.absorbed })
        : t("merged", { absorbed: merge.absorbed, survivor: merge.survivor, rule: merge.rule ?? merge.actor }));
  }

  remember(entry) {
    this.entries.set(entry.id, entry);
    return this.render(entry);
  }

  /** A live message event of this customer: appended, or its tick moved on. */
  message(message, receivedAt = null) {
    const existing = this.messageElements.get(message.id);
    if (existing) {
      this.updateTick(existing, message.status);
      return;
    }
    const entry = { id: `m${message.id}`, kind: "message", at: message.created_at, channel: message.channel,
      conversation: message.conversation, summary: message.text, message, receivedAt };
    this.appendEntry(entry);
  }

  /** Analysis arriving after the message: the intent and sentiment tags. */
  analyzed(messageID, analysis) {
    const element = this.messageElements.get(messageID);
    if (!element || element.querySelector(".tags")) return;
    element.querySelector(".entry-body").append(tags(analysis));
  }

  appendEntry(entry) {
    this.entries.set(entry.id, entry);
    this.incoming.push({ entry, node: this.render(entry) });
    this.flushSoon();
  }

  flush() {
    if (!this.incoming.length || this.loadingPage) return;
    const batch = this.incoming;
    this.incoming = [];
    const stick = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 120;
    this.element.querySelector(".loading")?.remove();
    this.element.append(...batch.map((item) => item.node));
    if (stick) this.element.scrollTop = this.element.scrollHeight;
    const at = performance.timeOrigin + performance.now();
    for (const { entry } of batch) {
      if (entry.receivedAt) this.shown.push({ id: entry.message.id, text: entry.message.text, received: entry.receivedAt, at });
    }
    if (this.shown.length > 5000) this.shown.splice(0, this.shown.length - 5000);
  }

  /** The newest page again, adding what is not shown yet (orders, notes, bot turns). */
  async refreshNewest() {
    const customerID = this.customerID;
    if (!customerID) return;
    const page = await api(`/customers/${customerID}/timeline?limit=20`);
    if (this.customerID !== customerID) return;
    for (const entry of page.events.slice().reverse()) {
      if (this.entries.has(entry.id) || (entry.message && this.messageElements.has(entry.message.id))) continue;
      this.appendEntry(entry);
    }
  }

  updateTick(element, status) {
    const tick = element.querySelector(".tick");
    if (!tick || !TICKS[status]) return;
    const [symbol, key] = TICKS[status];
    tick.textContent = symbol;
    tick.className = `tick tick-${status}`;
    tick.setAttribute("aria-label", t(key));
    tick.title = t(key);
    element.dataset.status = status;
  }

  render(entry) {
    if (entry.message) return this.renderMessage(entry);
    const kind = entry.kind;
    const base = kind.split(".")[0];
    let body;
    if (base === "order" || base === "shipment" || base === "tracking") body = this.console.customer.orderCard(entry);
    else body = h("div", { class: "entry-summary" }, entry.summary);
    const node = h("div", { class: `entry entry-${base}${kind === "note" ? " note" : ""}`, dataset: { kind, at: entry.at, id: entry.id } },
      h("div", { class: "entry-head" }, channelIcon(entry.channel, this.console.channels.get(entry.channel)),
        h("span", { class: "entry-kind" }, kindLabel(kind)), h("span", { class: "entry-time" }, when(entry.at))),
      body);
    return node;
  }

  renderMessage(entry) {
    const message = entry.message;
    const role = message.author?.role ?? (message.direction === "in" ? "customer" : "agent");
    const roleLabel = { customer: t("customerRole"), agent: t("agent"), bot: t("bot"), system: t("system") }[role];
    const node = h("div", {
      class: `entry message ${message.direction === "in" ? "inbound" : "outbound"} author-${role}`,
      dataset: { kind: "message", at: entry.at, message: message.id, conversation: message.conversation, status: message.status },
    },
    h("div", { class: "entry-head" },
      channelIcon(message.channel, this.console.channels.get(message.channel)),
      h("span", { class: "author" }, message.author?.name ? `${message.author.name} · ${roleLabel}` : roleLabel),
      h("span", { class: "entry-time" }, when(message.created_at)),
      message.direction === "out" ? h("span", { class: "tick", role: "img" }) : null),
    h("div", { class: "entry-body" },
      message.subject ? h("div", { class: "subject" }, message.subject) : null,
      h("div", { class: "text" }, message.text),
      attachments(message),
      message.status === "failed" && message.delivery_detail ? h("div", { class: "failure" }, message.delivery_detail) : null,
      message.analysis && message.direction === "in" ? tags(message.analysis) : null));
    if (message.direction === "out") this.updateTick(node, message.status);
    this.messageElements.set(message.id, node);
    return node;
  }
}

function kindLabel(kind) {
  return kind.replace(/[._]/g, " ");
}

function attachments(message) {
  const files = (message.parts ?? []).map((part, index) => ({ part, index })).filter(({ part }) => part.type === "image" || part.type === "file");
  if (!files.length) return null;
  return h("ul", { class: "attachments", "aria-label": t("attachment") }, files.map(({ part, index }) => {
    const href = part.url || `/api/v1/messages/${message.id}/attachments/${index}`;
    return h("li", {}, h("a", { href, target: "_blank", rel: "noopener" }, `${t("attachment")}: ${part.name || part.caption || part.type}`));
  }));
}

function tags(analysis) {
  return h("div", { class: "tags" },
    analysis.intent ? h("span", { class: "tag intent", title: t("intent") }, analysis.intent) : null,
    analysis.sentiment ? h("span", { class: `tag sentiment sentiment-${analysis.sentiment}`, title: t("sentiment") }, analysis.sentiment) : null);
}
