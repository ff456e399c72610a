"""Acknowledged means durable: SIGKILL and SIGTERM in the middle of traffic lose and double nothing."""
import json
import re
import signal
import sqlite3
import subprocess
import threading
import time
import uuid

import requests

from conftest import AGENT, ROOT, Hub, conversation_texts, post_chat, settled, wait_for


def _chat_traffic(hub, visitors, stop, acked, lock):
    """Each thread is one visitor sending numbered messages until told to stop or the server dies."""
    run_id = uuid.uuid4().hex
    def visitor(index):
        token = None
        number = 0
        while not stop.is_set():
            # Client ids as the widget makes them (UUID-long), so a tokenless retry can be matched.
            body = {"id": f"{run_id}-v{index}-{number}", "text": f"visitor {index} message {number}"}
            if token:
                body["visitor"] = token
            try:
                response = post_chat(hub, body, timeout=5)
            except requests.RequestException:
                return
            if response.status_code == 201:
                token = response.json()["visitor"]
                with lock:
                    acked.setdefault(token, []).append(dict(body))
            number += 1
    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(visitors)]
    for thread in threads:
        thread.start()
    return threads


def test_sigkill_right_after_acknowledgements_loses_and_doubles_nothing(tmp_path):
    hub = Hub(tmp_path).start()
    stop, lock, acked = threading.Event(), threading.Lock(), {}
    threads = _chat_traffic(hub, 8, stop, acked, lock)
    deadline = time.monotonic() + 20
    while sum(len(v) for v in acked.values()) < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    hub.signal(signal.SIGKILL)  # while requests are still in flight
    hub.wait()
    stop.set()
    for thread in threads:
        thread.join()
    total = sum(len(v) for v in acked.values())
    assert total >= 300

    restarted = Hub(tmp_path).start()
    try:
        for token, sent in acked.items():
            texts = conversation_texts(restarted, token)
            for body in sent:
                assert texts.count(body["text"]) == 1, f"{body['text']} appears {texts.count(body['text'])} times"
            assert len(texts) == len(set(texts)), "no message stored twice, acknowledged or not"
        # Retries after the restart are still recognised: a first contact (no token) and a later message.
        token, sent = max(acked.items(), key=lambda item: len(item[1]))
        assert len(sent) >= 2
        for body in (sent[0], sent[-1]):
            retry = post_chat(restarted, body)
            assert retry.status_code == 200, body
            assert retry.json()["visitor"] == token
            assert conversation_texts(restarted, token).count(body["text"]) == 1
    finally:
        restarted.stop()


def test_sigterm_finishes_in_flight_writes_and_exits_zero(tmp_path):
    hub = Hub(tmp_path).start()
    stop, lock, acked = threading.Event(), threading.Lock(), {}
    threads = _chat_traffic(hub, 6, stop, acked, lock)
    time.sleep(1.0)
    hub.signal(signal.SIGTERM)
    assert hub.wait(timeout=20) == 0
    stop.set()
    for thread in threads:
        thread.join()
    assert acked

    restarted = Hub(tmp_path).start()
    try:
        for token, sent in acked.items():
            texts = conversation_texts(restarted, token)
            assert [b["text"] for b in sent] == [t for t in texts if t in {b["text"] for b in sent}]
    finally:
        restarted.stop()


def test_start_up_replays_inbox_entries_left_unprocessed(tmp_path):
    hub = Hub(tmp_path).start()
    hub.stop()
    # What a crash between the inbox write and processing leaves behind.
    envelope = {"visitor": "vreplayed", "id": "r-1", "text": "written before the crash", "sentAt": 1_790_000_000_000}
    with sqlite3.connect(hub.database) as db:
        db.execute(
            "INSERT INTO inbox (channel_id, dedupe_key, content_type, payload, received_at, state) VALUES (?, ?, ?, ?, ?, 'pending')",
            ("web", "v:vreplayed:r-1", "application/json", json.dumps(envelope).encode(), "2026-09-21 12:00:00.000"))

    restarted = Hub(tmp_path).start()
    try:
        # The processing stage takes the pending row after start-up.
        customers = wait_for(lambda: requests.get(
            restarted.url("/api/v1/customers"), params={"q": "vreplayed"}, headers=AGENT, timeout=10).json()["customers"])
        assert len(customers) == 1
        timeline = requests.get(restarted.url(f"/api/v1/customers/{customers[0]['id']}/timeline"), headers=AGENT, timeout=10).json()
        assert [e["summary"] for e in timeline["events"]] == ["written before the crash"]
        with sqlite3.connect(restarted.database) as db:
            assert db.execute("SELECT state FROM inbox WHERE dedupe_key = 'v:vreplayed:r-1'").fetchone() == ("processed",)
    finally:
        restarted.stop()


def test_sigkill_in_a_webhook_flood_bigger_than_processing_loses_and_doubles_nothing(tmp_path):
    """wrk floods Telegram webhooks faster than the processing stage drains them; SIGKILL with a
    backlog pending; after the restart every acknowledged delivery is processed exactly once and
    the event log has no gap and no repeated seq."""
    # One entry per processing transaction: the stage is slower than the acknowledgements for sure.
    hub = Hub(tmp_path, log_level="error", extra_arguments=["--processing-batch", "1"]).start()
    flood = subprocess.Popen(
        ["wrk", "-t2", "-c64", "-d8s", "-s", str(ROOT / "Benchmarks" / "steady.lua"), hub.url("/hooks/telegram"),
         "--", "demo-secret-token", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    backlog = 0
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        with sqlite3.connect(hub.database) as db:
            backlog = db.execute("SELECT COUNT(*) FROM inbox WHERE state IN ('pending', 'processing')").fetchone()[0]
        if backlog >= 2000:
            break
        time.sleep(0.05)
    hub.signal(signal.SIGKILL)
    hub.wait()
    output = flood.communicate(timeout=30)[0]
    assert backlog >= 2000, f"the flood never outran processing (backlog {backlog})"
    completed = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    acknowledged = completed - (int(non_2xx.group(1)) if non_2xx else 0)
    assert acknowledged > backlog

    restarted = Hub(tmp_path, log_level="error").start()
    try:
        settled(restarted.database, timeout=120)
        with sqlite3.connect(restarted.database) as db:
            rows = db.execute("SELECT state, COUNT(*) FROM inbox WHERE channel_id = 'telegram' GROUP BY state").fetchall()
            inbox = dict(rows)
            messages = db.execute("SELECT COUNT(*), COUNT(DISTINCT provider_message_id) FROM message WHERE channel_id = 'telegram'").fetchone()
            seqs = [row[0] for row in db.execute("SELECT seq FROM event ORDER BY seq")]
            received = db.execute("SELECT COUNT(*), COUNT(DISTINCT inbox_id) FROM event WHERE type = 'message.received'").fetchone()
        assert set(inbox) == {"processed"}, inbox
        assert inbox["processed"] >= acknowledged, "every acknowledged delivery is stored"
        assert messages[0] == messages[1] == inbox["processed"], "each stored delivery made exactly one message"
        assert seqs == list(range(1, len(seqs) + 1)), "no gap and no repeated seq"
        assert received[0] == received[1] == inbox["processed"], "one message.received per delivery"
        print(f"flood: {acknowledged} acknowledged, backlog {backlog} at SIGKILL, {inbox['processed']} processed after restart")
    finally:
        restarted.stop()
