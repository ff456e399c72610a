"""An independent reference for the hub's SLA clocks, written from the rules in README's
"Tickets and SLAs" section and nothing of the Swift code: it walks time minute by minute in
UTC, asks zoneinfo what local time each minute is, and counts the minutes the calendar is open
while a target's clock runs. China's holidays and 调休 working days come straight from the
`chinese_calendar` package; the hub reads the same dates from a generated holidays file."""
import datetime as dt
from zoneinfo import ZoneInfo

MINUTE = dt.timedelta(minutes=1)
DAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
RUNNING_STATUSES = {"new", "open"}
PAUSE_STATUSES = {"pending", "on_hold"}


def parse_period(text):
    start, end = text.split("-")
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return h1 * 60 + m1, h2 * 60 + m2


class Calendar:
    """weekly: {"mon-fri": ["09:00-12:00", …]}; holidays and working_days: sets of dates."""

    def __init__(self, time_zone, weekly, holidays=(), working_days=()):
        self.zone = ZoneInfo(time_zone)
        self.days = {}
        for key, periods in weekly.items():
            ends = key.split("-")
            first = DAY_KEYS.index(ends[0])
            last = DAY_KEYS.index(ends[-1])
            for day in range(first, last + 1):
                self.days[day] = [parse_period(p) for p in periods]
        self.holidays = set(holidays)
        self.working_days = set(working_days)
        self._offsets = {}

    def periods(self, date):
        if date in self.holidays:
            return []
        own = self.days.get(date.weekday(), [])
        if own:
            return own
        if date in self.working_days:
            monday = self.days.get(0)
            if monday:
                return monday
            return next((self.days[d] for d in range(7) if self.days.get(d)), [])
        return []

    def is_open(self, instant):
        """Whether the minute starting at `instant` (UTC) is inside opening hours."""
        hour = instant.replace(minute=0, second=0, microsecond=0)
        offset = self._offsets.get(hour)
        if offset is None:
            offset = hour.astimezone(self.zone).utcoffset()
            self._offsets[hour] = offset
        local = (instant + offset).replace(tzinfo=None)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.periods(local.date()))


class Cycle:
    def __init__(self, budget_minutes, lead_minutes, start, number=1):
        self.budget = budget_minutes
        self.threshold = None if lead_minutes is None else budget_minutes - lead_minutes
        self.start = start
        self.used = 0
        self.met_at = None
        self.due_at = None
        self.warn_at = None
        self.number = number
        self.running_at_met = False

    def count(self, instant):
        self.used += 1
        end = instant + MINUTE
        if self.threshold is not None and self.used == self.threshold:
            self.warn_at = end
        if self.used == self.budget:
            self.due_at = end


def lead_minutes(policy):
    warn = policy.get("warn_before")
    if warn is None:
        return lambda budget: None
    if warn.endswith("%"):
        percent = int(warn[:-1])

        def lead(budget):
            seconds = budget * 60 - budget * 60 * percent // 100
            assert seconds % 60 == 0, "the reference counts whole minutes: pick a share that gives them"
            return seconds // 60
        return lead
    return lambda budget: duration_minutes(warn)


def duration_minutes(text):
    unit = text[-1]
    value = int(text[:-1])
    return value * {"m": 1, "h": 60, "d": 1440}[unit]


def replay(policy, calendar, facts, now, horizon_days=60):
    """The report at `now` for facts [(at, kind, status)] under `policy` (targets as durations)."""
    budgets = {t: duration_minutes(policy[t]) for t in ("first_response", "next_response", "resolution") if t in policy}
    lead = lead_minutes(policy)
    ordered = sorted(enumerate(facts), key=lambda item: (item[1][0], item[0]))
    status = "new"
    cycles = {}
    pauses = []
    number = 0

    def new_cycle(target, at, n=1):
        if target not in budgets:
            return None
        return Cycle(budgets[target], lead(budgets[target]), at, n)

    def apply(at, kind, new_status):
        nonlocal status, number
        if kind == "created":
            for target in ("first_response", "resolution"):
                cycle = new_cycle(target, at)
                if cycle:
                    cycles[target] = cycle
        elif kind == "status":
            if new_status == status:
                return
            if status in PAUSE_STATUSES and pauses and pauses[-1]["to"] is None:
                pauses[-1]["to"] = at
            if new_status in PAUSE_STATUSES:
                pauses.append({"status": new_status, "from": at, "to": None})
            if new_status == "solved" and "resolution" in cycles and cycles["resolution"].met_at is None:
                cycles["resolution"].running_at_met = running(cycles["resolution"])
                cycles["resolution"].met_at = at
            if status == "solved" and new_status == "open" and "resolution" in cycles:
                cycles["resolution"].met_at = None
            status = new_status
        elif kind == "customer_message":
            first = cycles.get("first_response")
            answered = first is None or first.met_at is not None
            waiting = "next_response" in cycles and cycles["next_response"].met_at is None
            if answered and not waiting:
                number += 1
                cycle = new_cycle("next_response", at, number)
                if cycle:
                    cycles["next_response"] = cycle
        elif kind == "agent_reply":
            for target in ("first_response", "next_response"):
                if target in cycles and cycles[target].met_at is None:
                    cycles[target].running_at_met = running(cycles[target])
                    cycles[target].met_at = at

    def running(cycle):
        return cycle.met_at is None and status in RUNNING_STATUSES

    index = 0
    instant = ordered[0][1][0]
    at_now = None
    limit = now + dt.timedelta(days=horizon_days)
    while True:
        while index < len(ordered) and ordered[index][1][0] == instant:
            _, (at, kind, new_status) = ordered[index]
            apply(at, kind, new_status)
            index += 1
        if instant == now:
            at_now = {
                target: dict(used=c.used, running=running(c), met_at=c.met_at) for target, c in cycles.items()
            }
        if instant >= now and index >= len(ordered):
            # Past now: only running clocks go on, to find the due and warning times ahead.
            if all(not running(c) or c.due_at is not None for c in cycles.values()) or instant >= limit:
                break
        if calendar.is_open(instant):
            for cycle in cycles.values():
                if running(cycle) and (instant < now or cycle.due_at is None):
                    cycle.count(instant)
        instant += MINUTE

    report = {}
    for target, cycle in cycles.items():
        seen = at_now[target]
        met_at = seen["met_at"]
        deadline = met_at or now
        breached = cycle.due_at is not None and deadline > cycle.due_at
        if breached:
            state = "breached"
        elif met_at is not None:
            state = "met"
        elif seen["running"]:
            state = "running"
        else:
            state = "paused"
        due = cycle.due_at
        warn = cycle.warn_at
        if met_at is not None and due is None and cycle.running_at_met:
            # Met while running: the due time it had then, as if its clock had gone on.
            used, instant = cycle.used, met_at
            while used < cycle.budget:
                if calendar.is_open(instant):
                    used += 1
                instant += MINUTE
            due = instant
        if not seen["running"] and met_at is None:
            # Paused: only crossings that already happened are known.
            if seen["used"] < cycle.budget:
                due = None
            if cycle.threshold is not None and seen["used"] < cycle.threshold:
                warn = None
        report[target] = {
            "state": state,
            "due_at": due,
            "warn_at": warn,
            "remaining_seconds": (cycle.budget - seen["used"]) * 60,
            "met_at": met_at,
            "cycle": cycle.number,
        }
    report["pauses"] = [dict(p) for p in pauses]
    return report
