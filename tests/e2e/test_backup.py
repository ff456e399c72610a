"""Backups of a running hub: `tributary backup` copies the database with SQLite's backup API while web chat
messages keep arriving, sealed with AES-256-GCM when TRIBUTARY_DATA_KEY is set; `restore --verify` checks a
copy, a wrong key or a changed byte is refused, and a hub started on the restored database has every message
acknowledged before the backup began."""
import base64
import json
import os
import sqlite3
import subprocess
import threading
import time

import requests

from conftest import BINARY, ROOT, SAMPLE_MANIFEST, Hub, settled, wait_for

KEY = base64.b64encode(os.urandom(32)).decode()


def tributary(*arguments, key=KEY):
    env = dict(os.environ)
    env.pop("TRIBUTARY_DATA_KEY", None)
    if key:
        env["TRIBUTARY_DATA_KEY"] = key
    return subprocess.run([str(BINARY), *arguments, "--manifest", str(SAMPLE_MANIFEST)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_a_backup_under_load_restores_with_every_acknowledged_message(hub, tmp_path):
    acknowledged, stop = [], threading.Event()

    def send():
        with requests.Session() as client:
            index, visitor = 0, None
            while not stop.is_set():
                body = {"text": f"load message {index}", "id": f"load-{index}", **({"visitor": visitor} if visitor else {})}
                answer = client.post(hub.url("/chat/web/messages"), timeout=10, json=body)
                assert answer.status_code == 201, answer.text
                visitor = answer.json()["visitor"]
                acknowledged.append(index)
                index += 1

    sender = threading.Thread(target=send)
    sender.start()
    try:
        wait_for(lambda: len(acknowledged) > 100)
        before = set(acknowledged)
        backup = tmp_path / "hub.backup"
        made = tributary("backup", str(backup), "--database", str(hub.database))
        assert made.returncode == 0, made.stderr
        assert "AES-256-GCM" in made.stdout
        time.sleep(0.5)
    finally:
        stop.set()
        sender.join()
    assert len(acknowledged) > len(before), "messages kept arriving during the backup"
    assert not backup.read_bytes().startswith(b"SQLite format 3"), "a backup with a data key is not readable as SQLite"
    # A backup never overwrites a file.
    assert tributary("backup", str(backup), "--database", str(hub.database)).returncode == 1

    checked = tributary("restore", str(backup), "--verify", "--database", str(tmp_path / "unused.sqlite"))
    assert checked.returncode == 0 and "integrity ok" in checked.stdout and "intact" in checked.stdout, checked.stdout + checked.stderr
    assert not (tmp_path / "unused.sqlite").exists()
    wrong = tributary("restore", str(backup), "--verify", key=base64.b64encode(os.urandom(32)).decode())
    assert wrong.returncode == 1 and "does not open with this key" in wrong.stderr
    assert tributary("restore", str(backup), "--verify", key=None).returncode == 1
    changed = tmp_path / "changed.backup"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 1
    changed.write_bytes(bytes(data))
    assert "does not open" in tributary("restore", str(changed), "--verify").stderr

    restored = Hub(tmp_path / "restored")
    restored.database.parent.mkdir(parents=True)
    done = tributary("restore", str(backup), "--database", str(restored.database))
    assert done.returncode == 0, done.stderr
    assert tributary("restore", str(backup), "--database", str(restored.database)).returncode == 1, "an existing database is kept"
    restored.start()
    try:
        settled(restored.database)
        with sqlite3.connect(restored.database) as db:
            texts = {part.get("text") for (parts,) in db.execute("SELECT parts FROM message WHERE direction = 'in'")
                     for part in json.loads(parts)}
        missing = {i for i in before if f"load message {i}" not in texts}
        assert not missing, f"{len(missing)} acknowledged messages missing, e.g. {sorted(missing)[:5]}"
    finally:
        restored.stop()


def test_without_a_data_key_the_backup_is_a_plain_sqlite_file(hub, tmp_path):
    assert requests.post(hub.url("/chat/web/messages"), json={"text": "hello"}, timeout=10).status_code == 201
    backup = tmp_path / "plain.sqlite"
    made = tributary("backup", str(backup), "--database", str(hub.database), key=None)
    assert made.returncode == 0 and "AES" not in made.stdout, made.stdout + made.stderr
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    bad = tributary("backup", str(tmp_path / "x.sqlite"), "--database", str(hub.database), key="c2hvcnQ=")
    assert bad.returncode == 1 and "TRIBUTARY_DATA_KEY must be 32 bytes" in bad.stderr
