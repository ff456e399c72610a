"""The audit trail through the binary: logins, refusals, merges, role changes, assignments and exports are
written as they happen with the caller and the address; the auditor reads and exports them (JSON and CSV);
`tributary audit verify` passes on the untouched trail and names the row edited, deleted or inserted with
sqlite3, exiting 1."""
import csv
import hashlib
import io
import sqlite3
import subprocess

import requests

from conftest import AGENT, BINARY, ROOT, SAMPLE_MANIFEST, wait_for

PASSWORD = "audit-trail-pass-26"


def verify(hub):
    return subprocess.run([str(BINARY), "audit", "verify", "--manifest", str(SAMPLE_MANIFEST), "--database", str(hub.database)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def rows(hub, where="1 = 1"):
    db = sqlite3.connect(hub.database)
    try:
        return db.execute(f"SELECT id, actor, action, target, outcome, source_ip, detail FROM audit WHERE {where} ORDER BY id").fetchall()
    finally:
        db.close()


def create_and_log_in(hub, email, role):
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": email.split("@")[0], "email": email, "password": PASSWORD, "role": role})
    assert created.status_code == 201, created.text
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": email, "password": PASSWORD}, timeout=10)
    assert login.status_code == 200, login.text
    return created.json()["id"], {"Authorization": f"Bearer {login.json()['token']}"}


def test_logins_and_refusals_are_chained_and_tampering_is_named(hub):
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": "Wu", "email": "wu@example.cn", "password": PASSWORD, "role": "agent"})
    assert created.status_code == 201
    assert requests.post(hub.url("/api/v1/auth/login"), json={"email": "wu@example.cn", "password": "wrong-password-1"},
                         timeout=10).status_code == 401
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": "wu@example.cn", "password": PASSWORD}, timeout=10)
    assert login.status_code == 200
    agent = {"Authorization": f"Bearer {login.json()['token']}"}
    assert requests.get(hub.url("/api/v1/inbox"), headers=agent, timeout=10).status_code == 403
    assert requests.get(hub.url("/api/v1/customers"), headers={"Authorization": "Bearer forged"}, timeout=10).status_code == 401
    # The event stream is outside the API's middleware: its refusal is recorded all the same.
    assert requests.get(hub.url("/api/v1/stream"), timeout=10).status_code == 401

    wu = created.json()["id"]
    trail = rows(hub)
    assert trail[0][1:5] == ("system", "manifest.load", str(SAMPLE_MANIFEST), "ok") and trail[0][6].startswith("sha256 ")
    assert trail[1:] == [
        (2, "token:demo", "agent.create", None, "ok", "127.0.0.1", "role agent"),
        (3, "anonymous", "auth.login", "email:wu@example.cn", "denied", "127.0.0.1", "invalid_credentials"),
        (4, f"agent:{wu}", "auth.login", f"agent:{wu}", "ok", "127.0.0.1", None),
        (5, f"agent:{wu}", "access.denied", "GET /api/v1/inbox", "forbidden", "127.0.0.1", "forbidden"),
        (6, "anonymous", "access.denied", "GET /api/v1/customers", "unauthenticated", "127.0.0.1", "invalid_token"),
        (7, "anonymous", "access.denied", "GET /api/v1/stream", "unauthenticated", "127.0.0.1", "missing_token"),
    ], trail
    intact = verify(hub)
    assert intact.returncode == 0 and "audit chain intact: 7 rows" in intact.stdout, intact.stdout + intact.stderr

    hub.stop()
    checkpoint = sqlite3.connect(hub.database)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    pristine = hub.database.read_bytes()

    def restore():
        for suffix in ("-wal", "-shm"):
            hub.database.with_name(hub.database.name + suffix).unlink(missing_ok=True)
        hub.database.write_bytes(pristine)

    def tampered(*statements):
        restore()
        db = sqlite3.connect(hub.database)
        for statement in statements:
            db.execute(*statement)
        db.commit()
        db.close()
        result = verify(hub)
        assert result.returncode == 1, result.stdout
        return result.stdout

    assert "row 5 was edited" in tampered(("UPDATE audit SET outcome = 'ok' WHERE id = 5",))
    assert "rows before row 5 were deleted" in tampered(("DELETE FROM audit WHERE id = 4",))
    assert "rows after row 6 were deleted" in tampered(("DELETE FROM audit WHERE id = 7",))
    # A row appended with sqlite3, even one whose hash was computed the hub's way, is past the chain's head.
    restore()
    db = sqlite3.connect(hub.database)
    at_ms, head = db.execute("SELECT at_ms, hash FROM audit WHERE id = 7").fetchone()
    db.close()
    fields = ["8", str(at_ms), "agent:1", "auth.login", "agent:1", "ok", "127.0.0.1", ""]
    content = "|".join(f"{len(f.encode())}:{f}" for f in fields)
    forged = hashlib.sha256((head + "\n" + content).encode()).hexdigest()
    assert "row 8 was inserted" in tampered(
        ("INSERT INTO audit VALUES (8, ?, 'agent:1', 'auth.login', 'agent:1', 'ok', '127.0.0.1', NULL, ?, ?)", (at_ms, head, forged)))
    restore()
    assert verify(hub).returncode == 0


def test_merges_role_changes_and_assignments_are_audited_and_the_auditor_reads_and_exports_them(hub):
    first = requests.post(hub.url("/chat/web/messages"), json={"text": "Where is my parcel?", "name": "Lin"}, timeout=10).json()
    second = requests.post(hub.url("/chat/web/messages"), json={"text": "Any news?", "name": "Lin"}, timeout=10).json()
    merged = requests.post(hub.url(f"/api/v1/customers/{first['customer']}/merge"), headers=AGENT, timeout=10,
                           json={"other": second["customer"], "reason": "same person, said on the phone"})
    assert merged.status_code in (200, 201), merged.text
    merge_id = merged.json()["merge"]["id"]
    assert requests.post(hub.url(f"/api/v1/merges/{merge_id}/undo"), headers=AGENT, timeout=10).status_code == 200
    # A second undo fails: the attempt is kept with its reason.
    assert requests.post(hub.url(f"/api/v1/merges/{merge_id}/undo"), headers=AGENT, timeout=10).status_code == 409

    lee, lee_session = create_and_log_in(hub, "lee@example.cn", "agent")
    promoted = requests.patch(hub.url(f"/api/v1/agents/{lee}"), headers=AGENT, json={"role": "supervisor"}, timeout=10)
    assert promoted.status_code == 200 and promoted.json()["role"] == "supervisor"
    assert requests.put(hub.url("/api/v1/agents/me/presence"), headers=lee_session, json={"status": "online"},
                        timeout=10).status_code == 200
    claimed = requests.post(hub.url(f"/api/v1/conversations/{first['conversation']}/claim"), headers=lee_session, timeout=10)
    assert claimed.status_code == 200, claimed.text

    assert rows(hub, "action IN ('customer.merge', 'customer.unmerge', 'agent.update', 'conversation.claim')") == [
        (rows(hub, "action = 'customer.merge'")[0][0], "token:demo", "customer.merge", f"customer:{first['customer']}", "ok",
         "127.0.0.1", None),
        (rows(hub, "action = 'customer.unmerge'")[0][0], "token:demo", "customer.unmerge", f"merge:{merge_id}", "ok", "127.0.0.1",
         None),
        (rows(hub, "action = 'customer.unmerge'")[1][0], "token:demo", "customer.unmerge", f"merge:{merge_id}", "failed",
         "127.0.0.1", "merge_already_undone"),
        (rows(hub, "action = 'agent.update'")[0][0], "token:demo", "agent.update", f"agent:{lee}", "ok", "127.0.0.1",
         "role agent -> supervisor"),
        (rows(hub, "action = 'conversation.claim'")[0][0], f"agent:{lee}", "conversation.claim",
         f"conversation:{first['conversation']}", "ok", "127.0.0.1", None),
    ]

    # Supervisors and agents may not read the trail (403, itself audited); the auditor can.
    assert requests.get(hub.url("/api/v1/audit"), headers=lee_session, timeout=10).status_code == 403
    _, auditor = create_and_log_in(hub, "reviewer@example.cn", "auditor")
    page = requests.get(hub.url("/api/v1/audit"), headers=auditor, params={"action": "agent.update"}, timeout=10)
    assert page.status_code == 200, page.text
    assert [(e["actor"], e["target"], e["detail"]) for e in page.json()["entries"]] == [("token:demo", f"agent:{lee}",
                                                                                          "role agent -> supervisor")]
    denied = requests.get(hub.url("/api/v1/audit"), headers=auditor, params={"action": "access.denied", "actor": f"agent:{lee}"},
                          timeout=10).json()["entries"]
    assert [(e["target"], e["outcome"]) for e in denied] == [("GET /api/v1/audit", "forbidden")]
    # Pages newest first, each `next` continuing where the last stopped, with nothing skipped or repeated.
    seen, before = [], None
    while True:
        params = {"limit": 3, **({"before": before} if before else {})}
        body = requests.get(hub.url("/api/v1/audit"), headers=auditor, params=params, timeout=10).json()
        seen += [e["id"] for e in body["entries"]]
        before = body.get("next")
        if before is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == len(rows(hub)) - 0

    exported = requests.get(hub.url("/api/v1/audit"), headers={**auditor, "Accept": "text/csv"}, timeout=10)
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    # The export's own row comes first: it is written before the rows are read.
    assert table[0]["action"] == "audit.export" and len(table) == len(seen) + 1
    assert {r["action"] for r in table} >= {"customer.merge", "agent.update", "auth.login"}
    assert [r for r in table if r["action"] == "agent.update"][0]["detail"] == "role agent -> supervisor"
    # The export itself is on the trail, and the chain holds after all of it.
    assert rows(hub, "action = 'audit.export'")[0][1] == rows(hub, "action = 'auth.login' AND target LIKE 'agent:%'")[-1][1]
    assert verify(hub).returncode == 0

    bad = requests.get(hub.url("/api/v1/audit"), headers=auditor, params={"from": "yesterday"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_parameter"
