"""The hub's SLA clocks against an independent reference (sla_reference.py): 240 generated
tickets over Chinese office hours with the real 2025–2026 holidays and 调休 days, a US calendar
across both daylight-saving changes, and a round-the-clock London calendar; pauses, reopens,
follow-up messages, and replies exactly at and just after the due time. The hub computes them
with `tributary sla replay` from a manifest, so calendars, holidays files and policies are read
the way `serve` reads them."""
import datetime as dt
import json
import random
import subprocess

import chinese_calendar
from chinese_calendar import constants as cn_constants

from conftest import BINARY
from sla_reference import Calendar, replay

UTC = dt.timezone.utc
CN_WEEKLY = {"mon-fri": ["09:00-12:00", "13:30-18:00"], "sat": ["10:00-16:00"]}
US_WEEKLY = {"mon-fri": ["09:00-17:00"]}
LONDON_WEEKLY = {"mon-sun": ["00:00-24:00"]}
US_HOLIDAYS = [dt.date(2026, 1, 1), dt.date(2026, 7, 3), dt.date(2026, 11, 26), dt.date(2026, 12, 25)]

POLICIES = {
    "cn-vip": {"calendar": "cn-office", "first_response": "30m", "next_response": "2h", "resolution": "16h", "warn_before": "10m"},
    "cn-standard": {"calendar": "cn-office", "first_response": "4h", "resolution": "40h", "warn_before": "80%"},
    "us": {"calendar": "us-support", "first_response": "2h", "next_response": "4h", "resolution": "24h", "warn_before": "30m"},
    "london": {"calendar": "london-24", "first_response": "90m", "next_response": "1h", "resolution": "48h", "warn_before": "15m"},
}

# Days the generator starts near: Spring Festival and Golden Week with their 调休 Sundays and
# Saturdays, US and UK daylight-saving changes, Thanksgiving, ordinary weeks.
ANCHORS = {
    "cn-office": ["2026-02-12", "2026-02-13", "2026-02-27", "2026-04-30", "2026-05-08", "2026-09-18", "2026-09-30", "2026-10-09",
                  "2026-06-17", "2026-12-31", "2026-03-05"],
    "us-support": ["2026-03-06", "2026-03-09", "2026-10-30", "2026-11-02", "2026-11-25", "2026-12-24", "2026-07-02"],
    "london-24": ["2026-03-28", "2026-03-29", "2026-10-24", "2026-10-25", "2026-06-01"],
}


def cn_dates():
    holidays = sorted(d for d in cn_constants.holidays if d.year in (2025, 2026))
    workdays = sorted(d for d in cn_constants.workdays if d.year in (2025, 2026))
    return holidays, workdays


def write_manifest(tmp_path):
    holidays, workdays = cn_dates()
    (tmp_path / "cn-holidays.yaml").write_text(
        "holidays: [" + ", ".join(d.isoformat() for d in holidays) + "]\n"
        + "working_days: [" + ", ".join(d.isoformat() for d in workdays) + "]\n")
    policies = []
    for policy_id, policy in POLICIES.items():
        lines = [f"  - id: {policy_id}"] + [f"    {key}: \"{value}\"" for key, value in policy.items()]
        policies.append("\n".join(lines))
    manifest = tmp_path / "hub.yaml"
    manifest.write_text(f"""
server: {{ listen: "127.0.0.1:0", database: "{tmp_path}/hub.sqlite" }}
agents: [{{ name: ops, token: "${{OPS_TOKEN:-reference-token}}" }}]
channels:
  - {{ id: web, kind: webchat }}
calendars:
  - id: cn-office
    time_zone: Asia/Shanghai
    weekly: {{ mon-fri: ["09:00-12:00", "13:30-18:00"], sat: ["10:00-16:00"] }}
    holidays_file: cn-holidays.yaml
  - id: us-support
    time_zone: America/New_York
    weekly: {{ mon-fri: ["09:00-17:00"] }}
    holidays: [{", ".join(d.isoformat() for d in US_HOLIDAYS)}]
  - id: london-24
    time_zone: Europe/London
    weekly: {{ mon-sun: ["00:00-24:00"] }}
sla:
{chr(10).join(policies)}
""")
    return manifest


def reference_calendars():
    holidays, workdays = cn_dates()
    return {
        "cn-office": Calendar("Asia/Shanghai", CN_WEEKLY, holidays, workdays),
        "us-support": Calendar("America/New_York", US_WEEKLY, US_HOLIDAYS),
        "london-24": Calendar("Europe/London", LONDON_WEEKLY),
    }


def local_start(calendar_id, rng):
    zone = reference_calendars_cache[calendar_id].zone
    day = dt.date.fromisoformat(rng.choice(ANCHORS[calendar_id])) + dt.timedelta(days=rng.randint(0, 2))
    # Starts on and around the hours' edges, and at random minutes.
    minute = rng.choice([0, 8 * 60 + 59, 9 * 60, 11 * 60 + 45, 12 * 60, 13 * 60 + 29, 13 * 60 + 30, 17 * 60 + 55, 18 * 60,
                         23 * 60 + 50, rng.randint(0, 1439)])
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


reference_calendars_cache = reference_calendars()

TRANSITIONS = {
    "new": ["open", "pending", "on_hold", "solved"],
    "open": ["pending", "on_hold", "solved"],
    "pending": ["open", "on_hold", "solved"],
    "on_hold": ["open", "pending", "solved"],
    "solved": ["open", "closed"],
    "closed": [],
}


def generate(rng, count):
    cases = []
    policy_ids = list(POLICIES)
    for index in range(count):
        policy_id = policy_ids[index % len(policy_ids)]
        calendar_id = POLICIES[policy_id]["calendar"]
        created = local_start(calendar_id, rng)
        facts = [(created, "created", None)]
        at = created
        status = "new"
        for _ in range(rng.randint(0, 8)):
            at += dt.timedelta(minutes=rng.choice([1, 5, 30, 60, 90, 180, 600, 1440, rng.randint(1, 3000)]))
            options = ["agent_reply", "customer_message"] + (["status"] if TRANSITIONS[status] else [])
            kind = rng.choice(options)
            if kind == "status":
                status = rng.choice(TRANSITIONS[status])
                facts.append((at, "status", status))
            else:
                if kind == "customer_message" and status in ("pending", "on_hold", "solved"):
                    # What the hub does: the customer's message reopens the ticket at that instant.
                    facts.append((at, "customer_message", None))
                    status = "open"
                    facts.append((at, "status", "open"))
                    continue
                facts.append((at, kind, None))
        now = at + dt.timedelta(minutes=rng.choice([0, 1, 45, 300, 2000, rng.randint(0, 6000)]))
        cases.append({"policy": policy_id, "facts": facts, "now": now})
    return cases


def boundary_cases(rng, count):
    """A first reply exactly at the reference's due time (met), and one minute later (breached)."""
    calendars = reference_calendars_cache
    cases = []
    policy_ids = list(POLICIES)
    for index in range(count):
        policy_id = policy_ids[index % len(policy_ids)]
        policy = POLICIES[policy_id]
        created = local_start(policy["calendar"], rng)
        probe = replay(policy, calendars[policy["calendar"]], [(created, "created", None)], created)
        due = probe["first_response"]["due_at"]
        reply = due + dt.timedelta(minutes=index % 2)
        facts = [(created, "created", None), (reply, "agent_reply", None)]
        cases.append({"policy": policy_id, "facts": facts, "now": reply + dt.timedelta(minutes=5)})
    return cases


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def hub_replay(manifest, cases, tmp_path):
    lines = []
    for case in cases:
        facts = [{"at": iso(at), "kind": kind, **({"status": status} if status else {})} for at, kind, status in case["facts"]]
        lines.append(json.dumps({"policy": case["policy"], "now": iso(case["now"]), "facts": facts}))
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    done = subprocess.run([str(BINARY), "sla", "replay", "--manifest", str(manifest), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def expected(case):
    policy = POLICIES[case["policy"]]
    report = replay(policy, reference_calendars_cache[policy["calendar"]], case["facts"], case["now"])
    answer = {"policy": case["policy"], "pauses": [
        {"status": p["status"], "from": iso(p["from"]), **({"to": iso(p["to"])} if p["to"] else {})} for p in report.pop("pauses")]}
    for target, value in report.items():
        entry = {"state": value["state"], "remaining_seconds": value["remaining_seconds"], "cycle": value["cycle"]}
        for key in ("due_at", "warn_at", "met_at"):
            if value[key] is not None:
                entry[key] = iso(value[key])
        answer[target] = entry
    return answer


def comparable(hub_answer):
    answer = {"policy": hub_answer["policy"], "pauses": hub_answer["pauses"]}
    for target in ("first_response", "next_response", "resolution"):
        if target in hub_answer:
            value = dict(hub_answer[target])
            value.pop("started_at", None)
            answer[target] = value
    return answer


def test_sla_clocks_match_the_reference(tmp_path):
    rng = random.Random(20261203)
    cases = generate(rng, 200) + boundary_cases(rng, 40)
    manifest = write_manifest(tmp_path)
    answers = hub_replay(manifest, cases, tmp_path)
    assert len(answers) == len(cases)
    mismatches = []
    states = {}
    for case, answer in zip(cases, answers):
        want = expected(case)
        got = comparable(answer)
        for target in ("first_response", "next_response", "resolution"):
            if target in want:
                states[want[target]["state"]] = states.get(want[target]["state"], 0) + 1
        if got != want:
            mismatches.append((case, want, got))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ; first: {mismatches[0]}"
    # The generator reached every state, so the comparison covered them all.
    assert set(states) == {"running", "paused", "met", "breached"}, states
    # Both sides of the boundary were hit.
    boundary = answers[200:]
    assert [a["first_response"]["state"] for a in boundary[:4]] == ["met", "breached", "met", "breached"]


def test_chinese_holiday_data_is_what_the_hub_reads(tmp_path):
    """调休: 2026-09-20 (a Sunday) and 2026-10-10 (a Saturday) are worked; 2026-10-01 is off."""
    assert dt.date(2026, 9, 20).weekday() == 6 and chinese_calendar.is_workday(dt.date(2026, 9, 20))
    assert not chinese_calendar.is_workday(dt.date(2026, 10, 1))
    manifest = write_manifest(tmp_path)
    sunday_open = dt.datetime(2026, 9, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    case = {"policy": "cn-vip", "facts": [(sunday_open, "created", None)], "now": sunday_open}
    answer = hub_replay(manifest, [case], tmp_path)[0]
    # Worked Sunday: 30 business minutes after 09:00 is 09:30 the same day.
    assert answer["first_response"]["due_at"] == iso(sunday_open + dt.timedelta(minutes=30))
    holiday = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    answer = hub_replay(manifest, [{"policy": "cn-vip", "facts": [(holiday, "created", None)], "now": holiday}], tmp_path)[0]
    # Golden Week is off through 10-07; 10-08 (Thursday) opens at 09:00.
    assert answer["first_response"]["due_at"] == "2026-10-08T01:30:00.000Z"
