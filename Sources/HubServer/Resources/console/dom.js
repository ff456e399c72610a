// A small element builder and the formatting every pane shares.
import { language, t } from "./i18n.js";

/** `h("button", {class: "x", onclick}, "text", child)`: an element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** "3m", "2h 5m", "1d 4h": a duration in seconds, short. */
export function duration(seconds) {
  const s = Math.max(0, Math.round(Math.abs(seconds)));
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** A timestamp for the timeline: the time today, the date otherwise. */
export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const locale = language() === "zh" ? "zh-CN" : "en-GB";
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

// Text marks rather than emoji: they render with any font, in screenshots too.
const CHANNEL_ICONS = {
  webchat: "Web", wechat: "微信", sms: "SMS", email: "@", marketplace: "Shop", tracking: "Trk", webhook: "API",
};

/** The channel's icon, with its id as the accessible name. */
export function channelIcon(channel, kind) {
  return h("span", { class: `channel-icon kind-${kind ?? "other"}`, title: channel, "aria-label": channel, role: "img" },
    CHANNEL_ICONS[kind] ?? "•");
}

/** An error message for the status line. */
export function reason(error) {
  if (error?.status === 403) return t("forbidden");
  return error?.message || error?.code || String(error);
}

/**
 * `task` run one at a time: a call while it runs asks for exactly one more run after it, however
 * many calls come, so a burst of events costs two requests rather than one per event.
 */
export function coalesced(task) {
  let running = false;
  let again = false;
  return async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = false;
    }
  };
}

/** `task` at the next animation frame, once however often it is asked for before then. */
export function onNextFrame(task) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      task();
    });
  };
}
