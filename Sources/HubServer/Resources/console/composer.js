// The composer: reply on the conversation's channel or another one the customer can be reached
// on, with that channel's constraints shown before sending (the reply window and replies left,
// SMS segments, the mail subject, the length limit); canned responses on "/", a private note one
// toggle away, drafts kept on the server, and the assist panel's passages and bot draft.
import { api } from "./api.js";
import { coalesced, fill, h, reason, when } from "./dom.js";
import { t } from "./i18n.js";

const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** SMS segments of a text: GSM-7 160 alone / 153 joined, extension characters counting twice; else UCS-2 70 / 67. */
export function smsSegments(text) {
  const characters = [...text];
  if (characters.every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c))) {
    const units = characters.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return { encoding: "GSM-7", segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length; // UTF-16 code units, as the network counts them
  return { encoding: "UCS-2", segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export class Composer {
  constructor(console) {
    this.console = console;
    this.element = document.getElementById("composer");
    this.assistElement = document.getElementById("assist");
    this.options = [];
    this.note = false;
    this.others = [];
    this.warned = false;
    this.saveTimer = null;
    this.typingTimer = null;
  }

  /** Builds the composer for a conversation: its reply options, the saved draft, the assist panel. */
  async open(conversationID) {
    this.conversationID = conversationID;
    this.warned = false;
    const [options, saved] = await Promise.all([
      api(`/conversations/${conversationID}/reply-options`).catch(() => ({ options: [] })),
      api(`/conversations/${conversationID}/draft`).catch(() => null),
    ]);
    const draft = saved?.draft;
    if (this.conversationID !== conversationID) return;
    this.options = options.options ?? [];
    this.note = draft?.note ?? false;
    this.target = this.options.find((o) => o.channel === draft?.channel) ?? this.options[0];
    this.render(draft?.text ?? "");
    this.loadAssist(conversationID);
  }

  /** The reply options again (after a customer message reopens a window, or a reply uses one up). */
  refreshOptions() {
    this.refreshOptionsOnce ??= coalesced(() => this.readOptions());
    return this.refreshOptionsOnce();
  }

  async readOptions() {
    if (!this.conversationID) return;
    const conversationID = this.conversationID;
    const answer = await api(`/conversations/${conversationID}/reply-options`).catch(() => null);
    if (!answer || this.conversationID !== conversationID) return;
    this.options = answer.options ?? [];
    this.target = this.options.find((o) => o.conversation === this.target?.conversation) ?? this.options[0];
    this.renderTarget();
    this.check();
  }

  render(text) {
    this.textarea = h("textarea", {
      id: "composer-text", rows: 4, "aria-label": t("composer"),
      placeholder: this.note ? t("notePlaceholder") : t("replyPlaceholder"),
      oninput: () => this.changed(), onkeydown: (e) => this.keydown(e),
    });
    this.textarea.value = text;
    this.targetElement = h("div", { class: "composer-target" });
    this.constraints = h("div", { id: "composer-constraints", class: "constraints", "aria-live": "polite" });
    this.problem = h("div", { id: "composer-problem", class: "problem", role: "alert" });
    this.cannedList = h("ul", { id: "canned-list", class: "canned", role: "listbox", "aria-label": t("canned"), hidden: true });
    this.sendButton = h("button", { type: "button", id: "send", class: "primary", onclick: () => this.send() },
      this.note ? t("sendNote") : t("send"));
    const noteToggle = h("button", {
      type: "button", id: "note-toggle", "aria-pressed": this.note ? "true" : "false", class: this.note ? "toggle on" : "toggle",
      onclick: () => this.setNote(!this.note),
    }, t("note"));
    fill(this.element,
      h("div", { class: "composer-bar" }, this.targetElement, noteToggle),
      this.cannedList, this.textarea, this.constraints, this.problem,
      h("div", { class: "composer-actions" }, this.sendButton));
    this.element.classList.toggle("note-mode", this.note);
    this.renderTarget();
    this.check();
  }

  renderTarget() {
    if (!this.targetElement) return;
    if (this.note || !this.options.length) {
      fill(this.targetElement);
      return;
    }
    // A mail reply can copy others: one address per comma.
    this.ccInput = this.target?.kind === "email"
      ? h("input", { id: "composer-cc", type: "text", size: 28, placeholder: "name@example.com, …", value: this.ccInput?.value ?? "",
        oninput: () => this.check() })
      : null;
    const select = h("select", {
      id: "reply-channel", onchange: (e) => {
        this.target = this.options[Number(e.target.value)];
        this.check();
        this.saveDraft();
      },
    }, this.options.map((option, index) => h("option", { value: index, selected: option === this.target },
      `${option.channel} (${option.kind})${option.allowed ? "" : " ⛔"}`)));
    fill(this.targetElement, h("label", { for: "reply-channel" }, t("replyOn"), " "), select,
      this.ccInput ? h("label", { for: "composer-cc", class: "cc" }, ` ${t("cc")} `) : null, this.ccInput);
  }

  setNote(note) {
    this.note = note;
    const text = this.textarea?.value ?? "";
    this.render(text);
    this.textarea.focus();
    this.saveDraft();
  }

  /** The channel's limits for the text as it is now; answers the refusal, if the channel would refuse it. */
  check() {
    if (!this.textarea) return null;
    const text = this.textarea.value;
    const lines = [];
    let refusal = null;
    const target = this.target;
    if (this.note || !target) {
      lines.push(t("chars", { n: [...text].length }));
    } else {
      const length = [...text].length;
      lines.push(target.max_length ? t("maxChars", { n: length, max: target.max_length }) : t("chars", { n: length }));
      if (target.kind === "sms") {
        const { encoding, segments } = smsSegments(text);
        lines.push(t("segments", { n: segments, encoding }));
      }
      if (target.kind === "email" && target.subject) {
        lines.push(t("mailSubject", { subject: /^re:/i.test(target.subject) ? target.subject : `Re: ${target.subject}` }));
      }
      if (target.window_closes_at) lines.push(t("windowOpen", { time: when(target.window_closes_at) }));
      if (target.replies_left != null) lines.push(t("repliesLeft", { n: target.replies_left }));
      if (target.opted_out) lines.push(t("optedOut"));
      const cc = this.copied();
      if (cc.some((address) => !/^[^@\s<>,;"()]+@[^@\s<>,;"()]+\.[^@\s<>,;"()]+$/.test(address))) refusal = t("invalidCc");
      else if (!target.allowed) refusal = t("refused", { channel: target.channel, reason: target.refusal?.message ?? target.refusal?.error });
      else if (target.max_length && length > target.max_length) refusal = t("tooLong", { channel: target.channel, n: length, max: target.max_length });
    }
    fill(this.constraints, lines.map((line) => h("span", {}, line)));
    this.problem.textContent = refusal ?? "";
    this.sendButton.disabled = Boolean(refusal);
    this.sendButton.setAttribute("aria-disabled", refusal ? "true" : "false");
    return refusal;
  }

  /** The Cc addresses typed for a mail reply. */
  copied() {
    if (this.note || this.target?.kind !== "email" || !this.ccInput) return [];
    return this.ccInput.value.split(/[,;]/).map((a) => a.trim()).filter(Boolean);
  }

  changed() {
    this.warned = false;
    this.sendButton.textContent = this.note ? t("sendNote") : t("send");
    this.check();
    this.updateCanned();
    this.saveDraft();
    this.console.stream?.watch(this.conversationID, true);
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.console.stream?.watch(this.conversationID, false), 4000);
  }

  keydown(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.send();
    } else if (!this.cannedList.hidden && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const items = [...this.cannedList.querySelectorAll("li")];
      const index = items.findIndex((item) => item.getAttribute("aria-selected") === "true");
      const next = (index + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((item, i) => item.setAttribute("aria-selected", i === next ? "true" : "false"));
    } else if (!this.cannedList.hidden && event.key === "Enter") {
      event.preventDefault();
      const chosen = this.cannedList.querySelector('li[aria-selected="true"]') ?? this.cannedList.querySelector("li");
      chosen?.click();
    } else if (event.key === "Escape") {
      this.cannedList.hidden = true;
      this.textarea.blur();
    }
  }

  /** Saves the draft a moment after the last keystroke. */
  saveDraft() {
    clearTimeout(this.saveTimer);
    const conversationID = this.conversationID;
    this.saveTimer = setTimeout(() => {
      const text = this.textarea?.value ?? "";
      api(`/conversations/${conversationID}/draft`, {
        method: "PUT", body: { text, note: this.note, channel: this.note ? undefined : this.target?.channel },
      }).catch(() => {});
    }, 600);
  }

  /** Opens the canned responses when the text starts with "/". */
  focusCanned() {
    if (!this.textarea) return;
    this.textarea.focus();
    if (!this.textarea.value.startsWith("/")) {
      this.textarea.value = "/";
      this.changed();
    }
  }

  async updateCanned() {
    const text = this.textarea.value;
    if (!text.startsWith("/") || text.includes("\n")) {
      this.cannedList.hidden = true;
      return;
    }
    this.canned ??= (await api("/canned")).canned_responses ?? [];
    const wanted = text.slice(1).toLowerCase();
    const matches = this.canned.filter((c) => c.shortcut.startsWith(wanted) || c.text.toLowerCase().includes(wanted)).slice(0, 8);
    fill(this.cannedList, matches.length ? matches.map((canned, index) => h("li", {
      role: "option", "aria-selected": index === 0 ? "true" : "false", dataset: { shortcut: canned.shortcut },
      onclick: () => this.useCanned(canned),
    }, h("strong", {}, `/${canned.shortcut}`), " ", canned.text)) : h("li", { class: "muted", role: "option", "aria-disabled": "true", "aria-selected": "false" }, t("noCanned")));
    this.cannedList.hidden = false;
  }

  /** The canned response rendered for this customer replaces the "/…" typed. */
  async useCanned(canned) {
    this.cannedList.hidden = true;
    try {
      const rendered = await api(`/canned/${canned.id}/render`, { method: "POST", body: { conversation: this.conversationID } });
      this.textarea.value = rendered.text;
    } catch (error) {
      this.problem.textContent = t("error", { reason: reason(error) });
    }
    this.textarea.focus();
    this.changed();
  }

  /** Sends the reply (or adds the note). A send over another agent who is typing asks once more first. */
  async send() {
    const text = this.textarea.value.trim();
    if (!text) return;
    if (this.check()) return;
    const typing = this.others.filter((o) => o.typing);
    if (!this.note && typing.length && !this.warned) {
      this.warned = true;
      this.problem.textContent = t("overwriteWarning", { names: typing.map((o) => o.name).join(", ") });
      this.sendButton.textContent = `${t("send")} !`;
      return;
    }
    this.sendButton.disabled = true;
    try {
      if (this.note) {
        await api(`/conversations/${this.conversationID}/notes`, { method: "POST", body: { text } });
      } else {
        const cc = this.copied();
        await api(`/conversations/${this.target?.conversation ?? this.conversationID}/messages`, {
          method: "POST", body: cc.length ? { text, cc } : { text },
        });
        if (this.ccInput) this.ccInput.value = "";
      }
      clearTimeout(this.saveTimer);
      this.textarea.value = "";
      this.warned = false;
      this.console.stream?.watch(this.conversationID, false);
      this.console.status(t("sent"));
      this.changed();
      clearTimeout(this.saveTimer);
      this.refreshOptions();
    } catch (error) {
      this.problem.textContent = t("sendFailed", { reason: reason(error) });
    } finally {
      this.sendButton.disabled = false;
      this.sendButton.textContent = this.note ? t("sendNote") : t("send");
    }
  }

  /** Other agents on this conversation, from the stream's presence frames. */
  presence(agents) {
    this.others = agents;
    const line = document.getElementById("presence-line");
    if (!line) return;
    const typing = agents.filter((a) => a.typing).map((a) => a.name);
    const viewing = agents.filter((a) => !a.typing).map((a) => a.name);
    line.textContent = [typing.length ? t("otherReplying", { names: typing.join(", ") }) : "",
      viewing.length ? t("otherViewing", { names: viewing.join(", ") }) : ""].filter(Boolean).join(" · ");
  }

  insert(text) {
    if (!this.textarea) return;
    this.textarea.value = this.textarea.value ? `${this.textarea.value}\n${text}` : text;
    this.textarea.focus();
    this.changed();
  }

  /** Knowledge-base passages for the last customer message, and what the bot would answer. */
  async loadAssist(conversationID) {
    fill(this.assistElement, h("h3", {}, t("assist")), h("p", { class: "muted" }, t("loading")));
    const [suggestions, preview] = await Promise.all([
      api(`/conversations/${conversationID}/suggestions`).catch(() => null),
      api("/assist/preview", { method: "POST", body: { conversation: conversationID } }).catch(() => null),
    ]);
    if (this.conversationID !== conversationID) return;
    const results = suggestions?.results ?? [];
    fill(this.assistElement,
      h("h3", {}, t("assist")),
      preview?.reply ? h("div", { class: "bot-draft", id: "bot-draft" },
        h("h4", {}, t("botDraft"), preview.handoff ? h("span", { class: "tag" }, ` ${t("handoff")}`) : null),
        h("p", {}, preview.reply),
        h("button", { type: "button", onclick: () => this.insert(preview.reply) }, t("insert"))) : null,
      h("h4", {}, t("suggestions")),
      results.length ? h("ul", { class: "suggestions" }, results.map((result) => h("li", {},
        h("strong", {}, result.title), h("p", {}, result.passage),
        h("button", { type: "button", onclick: () => this.insert(result.passage) }, t("insert")))))
        : h("p", { class: "muted" }, t("noSuggestions")));
  }
}
