// The agent console: signs in, loads the chosen view once, then follows the event stream and
// changes only what an event touches.
import { api, ApiError, setCsrfToken } from "./api.js";
import { ConversationActions } from "./actions.js";
import { Composer } from "./composer.js";
import { CustomerPanel } from "./customer.js";
import { coalesced, fill, h, reason } from "./dom.js";
import { language, setLanguage, t } from "./i18n.js";
import { ConversationList } from "./list.js";
import { EventStream } from "./stream.js";
import { ReportsView } from "./reports.js";
import { SupervisorViews } from "./supervisor.js";
import { Timeline } from "./timeline.js";

const CONVERSATION_VIEWS = ["mine", "unassigned", "team", "all", "tickets"];
const SUPERVISOR_VIEWS = ["queues", "agents", "breaches", "reports"];

class Console {
  constructor() {
    this.state = { view: "mine", filters: {}, selected: null };
    this.channels = new Map();
    this.tickets = new Map();
    this.refreshes = new Map();
    this.list = new ConversationList(this);
    this.timeline = new Timeline(this);
    this.customer = new CustomerPanel(this);
    this.composer = new Composer(this);
    this.actions = new ConversationActions(this);
    this.supervisor = new SupervisorViews(this);
    this.reports = new ReportsView(this);
  }

  async start() {
    document.documentElement.lang = language() === "zh" ? "zh-CN" : "en";
    document.addEventListener("keydown", (event) => this.shortcut(event));
    try {
      this.begin(await api("/auth/session"));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.showLogin();
      else this.showLogin(reason(error));
    }
  }

  showLogin(problem) {
    document.getElementById("app").hidden = true;
    const login = document.getElementById("login");
    login.hidden = false;
    document.title = t("title");
    const field = (name, type, label, autocomplete) => h("div", { class: "field" },
      h("label", { for: `login-${name}` }, label), h("input", { id: `login-${name}`, name, type, autocomplete, required: name !== "totp" }));
    fill(login, h("main", { class: "login-card" },
      h("h1", {}, t("title")),
      h("form", { id: "login-form", onsubmit: (e) => { e.preventDefault(); this.login(new FormData(e.target)); } },
        field("email", "email", t("email"), "email"), field("password", "password", t("password"), "current-password"),
        field("totp", "text", t("totp"), "off"),
        h("p", { id: "login-problem", class: "problem", role: "alert" }, problem ?? ""),
        h("button", { type: "submit", class: "primary" }, t("signIn"))),
      languagePicker(() => this.showLogin())));
    document.getElementById("login-email").focus();
  }

  async login(form) {
    try {
      const body = { email: form.get("email"), password: form.get("password") };
      if (form.get("totp")) body.totp = form.get("totp");
      await api("/auth/login", { method: "POST", body });
      this.begin(await api("/auth/session"));
    } catch (error) {
      document.getElementById("login-problem").textContent = t("signInFailed", { reason: reason(error) });
    }
  }

  async logout() {
    this.stream?.stop();
    await api("/auth/logout", { method: "POST", body: {} }).catch(() => {});
    setCsrfToken(null);
    location.reload();
  }

  /** Signed in: the lists as of `session.seq`, then the stream from there. */
  async begin(session) {
    this.session = session;
    setCsrfToken(session.csrf_token);
    fill(document.getElementById("login")).hidden = true;
    document.getElementById("app").hidden = false;
    const [channels, agents, fields] = await Promise.all([
      api("/channels"), api("/agents").catch(() => ({ agents: [] })), api("/tickets/fields").catch(() => ({ fields: [] })),
    ]);
    for (const channel of channels.channels) this.channels.set(channel.id, channel.kind);
    this.agents = agents.agents;
    this.teams = [...new Set(this.agents.flatMap((a) => a.teams ?? []))];
    this.ticketFields = fields.fields;
    const unread = await api("/notifications?unread=true&limit=100").catch(() => ({ notifications: [] }));
    this.unreadNotifications = unread.notifications.length;
    this.state.view = session.agent.role === "agent" ? "mine" : "all";
    this.renderChrome();
    await Promise.all([this.loadTickets(), this.showView(this.state.view)]);
    // An agent with nothing of their own yet starts on what is waiting.
    if (this.state.view === "mine" && this.list.items.size === 0) await this.showView("unassigned");
    this.stream = new EventStream(session.seq, {
      onEvent: (event) => this.apply(event),
      onPresence: (frame) => { if (frame.conversation === this.state.selected) this.composer.presence(frame.agents); },
      onState: (connected) => this.connection(connected),
    });
    window.tributaryConsole = this;
    this.readyAt = performance.now();
    document.body.dataset.ready = "true";
  }

  renderChrome() {
    const me = this.session.agent;
    const views = [...CONVERSATION_VIEWS, ...(["admin", "supervisor"].includes(me.role) ? ["queues", "agents", "breaches"] : ["queues"])];
    if (me.role === "agent") views.splice(views.indexOf("all"), 1);
    if (this.can("reports.read")) views.push("reports");
    document.title = t("title");
    fill(document.getElementById("topbar"),
      h("span", { class: "brand" }, "Tributary"),
      h("nav", { "aria-label": t("views") }, h("ul", { class: "views" }, views.map((view) => h("li", {},
        h("button", { type: "button", id: `view-${view}`, class: "view", "aria-current": this.state.view === view ? "page" : "false",
          onclick: () => this.showView(view) }, t(view)))))),
      h("span", { id: "connection", class: "connection", role: "status" }, t("reconnecting")),
      languagePicker(() => { this.renderChrome(); this.showView(this.state.view); if (this.state.selected) this.open(this.state.selected); }),
      h("span", { class: "me" }, me.name),
      h("label", { class: "presence-picker" }, h("span", { class: "visually-hidden" }, t("presence")),
        h("select", { id: "presence", onchange: (e) => this.setPresence(e.target.value) },
          ["online", "away", "offline"].map((p) => h("option", { value: p, selected: (this.presence ?? me.presence) === p }, t(p))))),
      h("button", { type: "button", id: "notifications", "aria-haspopup": "dialog", onclick: () => this.showNotifications() },
        t("notifications"), " ", h("span", { id: "notification-count", class: "badge unread" }, String(this.unreadNotifications ?? 0))),
      h("button", { type: "button", id: "logout", onclick: () => this.logout() }, t("signOut")),
      h("button", { type: "button", id: "help-button", "aria-label": t("keyboard"), onclick: () => this.help() }, "?"));
    document.getElementById("list-heading").firstChild.textContent = `${t("conversations")} `;
    document.querySelector(".skip").textContent = t("skip");
  }

  /** Whether the signed-in agent's role grants `permission` (README's matrix). */
  can(permission) {
    return this.session?.permissions?.includes(permission) ?? false;
  }

  /** Online takes work (routing assigns it, a claim is allowed); away and offline do not. */
  async setPresence(presence) {
    try {
      const agent = await api("/agents/me/presence", { method: "PUT", body: { status: presence } });
      this.presence = agent?.presence ?? presence;
      this.status(`${t("presence")}: ${t(this.presence)}`);
    } catch (error) {
      this.status(t("error", { reason: reason(error) }), true);
    }
  }

  connection(connected) {
    const element = document.getElementById("connection");
    element.textContent = connected ? t("live") : t("reconnecting");
    element.classList.toggle("offline", !connected);
  }

  async showView(view) {
    this.state.view = view;
    for (const button of document.querySelectorAll("button.view")) {
      button.setAttribute("aria-current", button.id === `view-${view}` ? "page" : "false");
    }
    const supervisor = SUPERVISOR_VIEWS.includes(view);
    document.getElementById("supervisor").hidden = !supervisor;
    document.getElementById("workspace").hidden = supervisor;
    if (view === "reports") {
      this.supervisor.view = null;
      return this.reports.show();
    }
    this.reports.hide();
    if (supervisor) return this.supervisor.show(view);
    this.supervisor.view = null;
    this.list.renderFilters();
    await this.list.reload();
  }

  /** Open tickets by conversation, for the list's SLA badges and filter. */
  async loadTickets() {
    const answer = await api("/tickets?limit=200").catch(() => ({ tickets: [] }));
    for (const ticket of answer.tickets) this.rememberTicket(ticket);
  }

  rememberTicket(ticket) {
    this.tickets.set(ticket.id, ticket);
  }

  ticketFor(conversationID) {
    let found = null;
    for (const ticket of this.tickets.values()) {
      if (ticket.conversations?.includes(conversationID) && !["closed"].includes(ticket.status) && !ticket.merged_into) found = ticket;
    }
    return found;
  }

  /** Opens a conversation: its header, its customer's timeline and panel, the composer. */
  async open(conversationID) {
    if (SUPERVISOR_VIEWS.includes(this.state.view)) await this.showView(this.state.view === "queues" && this.session.agent.role === "agent" ? "mine" : "all");
    this.state.selected = conversationID;
    this.list.render();
    this.stream?.watch(conversationID, false);
    this.composer.presence([]);
    const detail = await api(`/conversations/${conversationID}?limit=1`);
    if (this.state.selected !== conversationID) return;
    this.headerShows = null;
    this.updated(detail.work);
    const customerID = detail.work.customer;
    this.customerID = customerID;
    const merges = await this.customer.load(customerID);
    await Promise.all([this.timeline.show(customerID, merges ?? []), this.composer.open(conversationID)]);
  }

  /** The customer again after a merge, an accepted proposal or an undo: the root may have changed. */
  async reloadCustomer() {
    if (this.state.selected) await this.open(this.state.selected);
  }

  /** A conversation's new state, from an action's answer or an event. */
  updated(item) {
    this.list.upsert(item);
    if (item.customer === this.customerID) this.customer.conversationChanged(item);
    if (item.id === this.state.selected) {
      this.item = item;
      // The header is drawn again only when something it shows changed (not for each new message).
      const shown = JSON.stringify([item.id, item.status, item.assignee, item.assignee_name, item.priority, item.labels, item.customer_name]);
      if (shown !== this.headerShows) {
        this.headerShows = shown;
        this.actions.render(item);
        this.actions.renderTicket(this.ticketFor(item.id));
      }
    }
  }

  ticketChanged(ticket) {
    this.rememberTicket(ticket);
    this.list.upsertTicket(ticket);
    if (this.state.selected && ticket.conversations?.includes(this.state.selected)) this.actions.renderTicket(ticket);
    this.list.render();
  }

  /** Re-reads one conversation's row; a burst of events for it costs at most two reads. */
  refreshConversation(conversationID) {
    let refresh = this.refreshes.get(conversationID);
    if (!refresh) {
      refresh = coalesced(async () => {
        try {
          const detail = await api(`/conversations/${conversationID}?limit=1`);
          this.updated(detail.work);
        } catch (error) {
          if (error.status === 404 || error.status === 403) this.list.remove(conversationID);
        }
      });
      this.refreshes.set(conversationID, refresh);
    }
    refresh();
  }

  /** One event of the log, in order. */
  apply(event) {
    const data = event.data ?? {};
    const type = event.type;
    const mineNow = data.customer != null && data.customer === this.customerID;
    if (type === "message.received" || type === "message.sent" || type === "message.status") {
      const message = data.message;
      if (mineNow) {
        this.timeline.message(message, type === "message.received" ? event.receivedAt : null);
      }
      if (type !== "message.status") {
        this.list.touch(message);
        this.refreshConversation(data.conversation);
        if (mineNow) this.composer.refreshOptions();
      }
    } else if (type === "message.analyzed") {
      if (mineNow) this.timeline.analyzed(data.message_id, data.analysis);
      this.refreshConversation(data.conversation);
    } else if (type.startsWith("conversation.")) {
      const id = data.conversation?.id ?? data.conversation;
      if (typeof id === "number") this.refreshConversation(id);
      if (type === "conversation.note" && (mineNow || id === this.state.selected)) this.timeline.refreshNewest();
    } else if (type === "customer.merged" || type === "customer.unmerged") {
      const involved = [data.survivor, data.absorbed, data.customer].filter((c) => c != null);
      if (involved.includes(this.customerID) || this.customer.profile?.merged_customers?.some((c) => involved.includes(c))) this.reloadCustomer();
    } else if (type === "order.upserted" || type === "shipment.updated") {
      if (mineNow) {
        this.customer.refreshOrders().then(() => this.timeline.refreshNewest());
      }
    } else if (type.startsWith("ticket.") || type.startsWith("sla.")) {
      // Ticket events carry the ticket as it is after the change.
      const ticket = data.ticket;
      if (ticket && typeof ticket === "object") {
        this.ticketChanged(ticket);
        if (ticket.customer === this.customerID && (type === "ticket.follow_up" || type.startsWith("sla."))) this.timeline.refreshNewest();
      }
    } else if (type === "bot.handoff" || type === "bot.action") {
      if (mineNow) this.timeline.refreshNewest();
    } else if (type === "notification.created") {
      if (data.agent === this.session.agent.id) {
        this.unreadNotifications = (this.unreadNotifications ?? 0) + 1;
        document.getElementById("notification-count").textContent = String(this.unreadNotifications);
        this.status(data.text);
      }
    } else if (type === "agent.presence") {
      this.supervisor.refresh();
    }
    if (type.startsWith("conversation.") || type === "message.received") this.supervisor.refresh();
    this.reports.eventArrived(type);
  }

  /** A line in the status area; errors are announced. */
  status(text, error = false) {
    const element = document.getElementById("status-line");
    element.textContent = text;
    element.classList.toggle("error", error);
  }

  shortcut(event) {
    const target = event.target;
    const typing = target instanceof HTMLElement && (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable);
    if (typing || event.ctrlKey || event.metaKey || event.altKey || document.getElementById("app").hidden) return;
    const ids = this.list.conversationIDs();
    const index = ids.indexOf(this.state.selected);
    switch (event.key) {
      case "j": if (ids.length) this.open(ids[Math.min(ids.length - 1, index + 1)]); break;
      case "k": if (ids.length) this.open(ids[Math.max(0, index - 1)]); break;
      case "r": if (this.composer.note) this.composer.setNote(false); else this.composer.textarea?.focus(); break;
      case "n": if (!this.composer.note) this.composer.setNote(true); else this.composer.textarea?.focus(); break;
      case "e": if (this.item) this.actions.resolve(); break;
      case "/": this.composer.focusCanned(); break;
      case "?": this.help(); break;
      default: return;
    }
    event.preventDefault();
  }

  /** The agent's notifications (SLA warnings and breaches, follow-ups), newest first; opening them marks them read. */
  async showNotifications() {
    const answer = await api("/notifications?limit=50");
    const dialog = document.getElementById("help");
    const unread = answer.notifications.filter((n) => !n.read_at).map((n) => n.id);
    fill(dialog, h("h2", { id: "help-title" }, t("notifications")),
      answer.notifications.length ? h("ul", { class: "notifications" }, answer.notifications.map((n) =>
        h("li", { class: n.read_at ? "read" : "unread", dataset: { notification: n.id } }, `${n.ticket ?? ""} · ${n.text}`)))
        : h("p", { class: "muted" }, t("noNotifications")),
      h("button", { type: "button", onclick: () => dialog.close() }, t("close")));
    dialog.setAttribute("aria-labelledby", "help-title");
    if (!dialog.open) dialog.showModal();
    if (unread.length) {
      await api("/notifications/read", { method: "POST", body: { ids: unread } });
      this.unreadNotifications = Math.max(0, (this.unreadNotifications ?? 0) - unread.length);
      document.getElementById("notification-count").textContent = String(this.unreadNotifications);
    }
  }

  help() {
    const dialog = document.getElementById("help");
    const keys = [["j", t("keyNext")], ["k", t("keyPrev")], ["r", t("keyReply")], ["n", t("keyNote")], ["e", t("keyResolve")],
      ["/", t("keyCanned")], ["?", t("keyHelp")], ["Ctrl+Enter", t("keySend")]];
    fill(dialog, h("h2", { id: "help-title" }, t("keyboard")),
      h("dl", { class: "keys" }, keys.flatMap(([key, text]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, text)])),
      h("button", { type: "button", onclick: () => dialog.close() }, t("close")));
    dialog.setAttribute("aria-labelledby", "help-title");
    if (!dialog.open) dialog.showModal();
  }
}

function languagePicker(onChange) {
  return h("label", { class: "language" }, `${t("language")} `,
    h("select", { id: "language", onchange: (e) => { setLanguage(e.target.value); onChange(); } },
      h("option", { value: "en", selected: language() === "en" }, "English"),
      h("option", { value: "zh", selected: language() === "zh" }, "中文")));
}

new Console().start();
