// SLA badges: each running or breached target of a ticket with the business time left.
import { duration, h } from "./dom.js";
import { t } from "./i18n.js";

const TARGETS = { first_response: "FRT", next_response: "NRT", resolution: "RES" };

/** Badges for a ticket's targets; `compact` leaves out met ones. */
export function slaBadges(ticket, compact = false) {
  if (!ticket?.sla) return null;
  const badges = [];
  for (const [key, short] of Object.entries(TARGETS)) {
    const target = ticket.sla[key];
    if (!target || (compact && target.state === "met")) continue;
    const left = target.remaining_seconds;
    let text;
    if (target.state === "breached") text = t("overdue", { time: duration(-left) });
    else if (target.state === "met") text = t("met");
    else if (target.state === "paused") text = `${t("paused")} · ${t("remaining", { time: duration(left) })}`;
    else text = t("remaining", { time: duration(left) });
    const warning = target.state === "running" && target.warn_at && Date.parse(target.warn_at) <= Date.now();
    badges.push(h("span", {
      class: `sla-badge sla-${target.state}${warning ? " sla-warning" : ""}`, title: `${ticket.sla.policy} · ${key}`,
      dataset: { target: key, state: target.state },
    }, `${short} ${text}`));
  }
  return badges;
}
