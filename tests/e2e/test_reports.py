"""Reports against a recount from raw data: a seeded random history of web chat conversations (customers
writing, an agent and an integration replying, resolutions, reopens) runs through the binary; every report
total must equal what the raw message, conversation and event-log rows say under the counting rules (a
response cycle starts at the first customer message people must answer, a reopen starts a new one, the first
human reply ends its wait), grouped totals must add up in any time zone, and the CSV and the command line
agree with the JSON. Bad ranges and groupings are 400."""
import csv
import datetime
import io
import json
import os
import random
import sqlite3
import subprocess
import time

import requests

from conftest import AGENT, BINARY, ROOT, SAMPLE_MANIFEST, settled, wait_for

PASSWORD = "reports-recount-26"
SEED = int(os.environ.get("REPORT_SEED", "20261203"))


def parse(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T")).replace(tzinfo=datetime.timezone.utc) \
        if "+" not in text and "Z" not in text else datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def recount(database):
    """The figures from raw rows, by the counting rules, independently of the hub's facts."""
    db = sqlite3.connect(database)
    try:
        conversations = db.execute("SELECT COUNT(*) FROM conversation").fetchone()[0]
        messages_in = db.execute("SELECT COUNT(*) FROM message WHERE direction = 'in'").fetchone()[0]
        messages_out = db.execute("SELECT COUNT(*) FROM message WHERE direction = 'out' AND author_role IN ('agent', 'bot')").fetchone()[0]
        events = db.execute("SELECT type, occurred_at, data FROM event ORDER BY seq").fetchall()
    finally:
        db.close()
    status, cycle, responded, first, resolution = {}, {}, {}, [], []
    for kind, at, data in events:
        data = json.loads(data)
        if kind == "conversation.opened":
            status[data["conversation"]["id"]] = data["conversation"]["status"]
        elif kind == "conversation.status":
            conversation = data["conversation"]
            before, status[conversation["id"]] = status.get(conversation["id"]), conversation["status"]
            if conversation["status"] == "resolved" or (conversation["status"] == "closed" and before != "resolved"):
                if cycle.get(conversation["id"]) is not None:
                    resolution.append((parse(at) - cycle[conversation["id"]]).total_seconds())
                cycle[conversation["id"]] = None
        elif kind == "message.received":
            message = data["message"]
            if status.get(message["conversation"]) not in ("bot", "resolved", "closed") and cycle.get(message["conversation"]) is None:
                cycle[message["conversation"]] = parse(message["created_at"])
                responded[message["conversation"]] = False
        elif kind == "message.sent":
            message = data["message"]
            started = cycle.get(message["conversation"])
            if message["author"]["role"] == "agent" and started is not None and not responded.get(message["conversation"]):
                first.append((parse(message["created_at"]) - started).total_seconds())
                responded[message["conversation"]] = True
    return {"conversations": conversations, "messages_in": messages_in, "messages_out": messages_out, "first": first,
            "resolution": resolution}


def report(hub, name, **params):
    answer = requests.get(hub.url(f"/api/v1/reports/{name}"), headers=AGENT, timeout=30, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_report_total_equals_a_recount_of_a_random_history(hub):
    rng = random.Random(SEED)
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": "Ana", "email": "ana@example.org", "password": PASSWORD, "role": "supervisor"})
    agent_id = created.json()["id"]
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": "ana@example.org", "password": PASSWORD}, timeout=10)
    ana = {"Authorization": f"Bearer {login.json()['token']}"}
    started = datetime.datetime.now(datetime.timezone.utc)
    visitors = {}
    for step in range(160):
        action = rng.random()
        if not visitors or action < 0.35:
            answer = requests.post(hub.url("/chat/web/messages"), json={"text": f"question {step}"}, timeout=10).json()
            visitors[answer["conversation"]] = answer["visitor"]
            continue
        conversation = rng.choice(sorted(visitors))
        if action < 0.55:
            answer = requests.post(hub.url("/chat/web/messages"), timeout=10,
                                   json={"text": f"more {step}", "visitor": visitors[conversation]}).json()
            visitors.setdefault(answer["conversation"], visitors[conversation])
        elif action < 0.8:
            settled(hub.database)
            replier = ana if rng.random() < 0.7 else AGENT
            replied = requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), headers=replier,
                                    json={"text": f"answer {step}"}, timeout=10)
            assert replied.status_code == 201, replied.text
        else:
            settled(hub.database)
            changed = requests.patch(hub.url(f"/api/v1/conversations/{conversation}"), headers=AGENT, json={"status": "resolved"},
                                     timeout=10)
            assert changed.status_code in (200, 409), changed.text
        if rng.random() < 0.2:
            time.sleep(rng.choice([0.05, 0.3, 1.1]))
    settled(hub.database)
    raw = recount(hub.database)
    assert raw["first"] and raw["resolution"], "the history has response and resolution cycles"
    window = {"from": (started - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "to": (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")}

    # Durations are folded in by the analytics service within a moment of the commit.
    first = wait_for(lambda: (r := report(hub, "first_response", **window))["total"]["count"] == len(raw["first"]) and r)
    assert abs(first["total"]["avg_seconds"] - sum(raw["first"]) / len(raw["first"])) < 0.01
    resolution = wait_for(lambda: (r := report(hub, "resolution", **window))["total"]["count"] == len(raw["resolution"]) and r)
    assert abs(resolution["total"]["avg_seconds"] - sum(raw["resolution"]) / len(raw["resolution"])) < 0.01
    # A percentile is the upper bound of its bucket: the recount's value is at most it.
    ordered = sorted(raw["first"])
    assert ordered[max(0, (len(ordered) + 1) // 2 - 1)] <= first["total"]["p50_seconds"]
    # The rollups follow the last fact within a second or two (the analytics service passes at most
    # once a second), and the history may end with a reply: wait for all three counts, then compare.
    expected = (raw["conversations"], raw["messages_in"], raw["messages_out"])
    deadline = time.monotonic() + 20
    while True:
        volume = report(hub, "volume", **window)["total"]
        counted = (volume["conversations"], volume["messages_in"], volume["messages_out"])
        if counted == expected or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert counted == expected

    for params in ({"group_by": "day", "tz": "Asia/Shanghai"}, {"group_by": "day", "tz": "America/Los_Angeles"},
                   {"group_by": "agent"}, {"group_by": "channel"}, {"group_by": "queue"}):
        grouped = report(hub, "volume", **window, **params)
        for figure in ("conversations", "messages_in", "messages_out"):
            assert sum(row[figure] for row in grouped["rows"]) == volume[figure], (params, figure)
        timed = report(hub, "first_response", **window, **params)
        assert sum(row["count"] for row in timed["rows"]) == len(raw["first"]), params
    # Routing puts each conversation in a queue before anyone answers it: first responses carry it.
    by_queue = report(hub, "first_response", **window, group_by="queue")["rows"]
    assert {row["group"] for row in by_queue} - {"none"}, by_queue
    by_agent = {row["group"]: row for row in report(hub, "agents", **window)["rows"]}
    assert by_agent[str(agent_id)]["first_responses"] == report(hub, "first_response", **window, group_by="agent")["rows"][
        [row["group"] for row in report(hub, "first_response", **window, group_by="agent")["rows"]].index(str(agent_id))]["count"]

    exported = requests.get(hub.url("/api/v1/reports/volume"), headers={**AGENT, "Accept": "text/csv"}, params={**window, "group_by": "day"},
                            timeout=10)
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert table[-1]["group"] == "total" and int(table[-1]["messages_in"]) == raw["messages_in"]
    printed = subprocess.run([str(BINARY), "report", "volume", "--from", window["from"], "--to", window["to"], "--manifest",
                              str(SAMPLE_MANIFEST), "--database", str(hub.database)], capture_output=True, text=True, cwd=ROOT,
                             timeout=60)
    assert printed.returncode == 0 and json.loads(printed.stdout)["total"]["messages_in"] == raw["messages_in"], printed.stderr

    backlog = report(hub, "backlog")["total"]
    db = sqlite3.connect(hub.database)
    waiting = db.execute("SELECT COUNT(*) FROM conversation WHERE status IN ('bot', 'queued', 'open', 'pending', 'snoozed')").fetchone()[0]
    db.close()
    assert backlog["total"] == waiting


def test_a_range_over_two_years_an_unknown_grouping_or_report_is_refused(hub):
    for params, code in (({"from": "2023-01-01", "to": "2026-01-02"}, "range_too_long"), ({"group_by": "week"}, "invalid_parameter"),
                         ({"from": "2026-12-02", "to": "2026-12-01"}, "invalid_range"), ({"tz": "Mars/Olympus"}, "invalid_parameter")):
        answer = requests.get(hub.url("/api/v1/reports/volume"), headers=AGENT, params=params, timeout=10)
        assert answer.status_code == 400 and answer.json()["error"] == code, (params, answer.text)
    assert requests.get(hub.url("/api/v1/reports/nps"), headers=AGENT, timeout=10).status_code == 404
