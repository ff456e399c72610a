"""The audit trail through the binary: logins (refused and accepted) and refused access are written as they
happen, `tributary audit verify` passes on the untouched trail, and names the row edited, deleted or inserted
with sqlite3, exiting 1."""
import sqlite3
import subprocess

import requests

from conftest import AGENT, BINARY, ROOT, SAMPLE_MANIFEST


def verify(hub):
    return subprocess.run([str(BINARY), "audit", "verify", "--manifest", str(SAMPLE_MANIFEST), "--database", str(hub.database)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_logins_and_refusals_are_chained_and_tampering_is_named(hub):
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": "Wu", "email": "wu@example.cn", "password": "audit-trail-pass-26", "role": "agent"})
    assert created.status_code == 201
    assert requests.post(hub.url("/api/v1/auth/login"), json={"email": "wu@example.cn", "password": "wrong-password-1"},
                         timeout=10).status_code == 401
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": "wu@example.cn", "password": "audit-trail-pass-26"}, timeout=10)
    assert login.status_code == 200
    agent = {"Authorization": f"Bearer {login.json()['token']}"}
    assert requests.get(hub.url("/api/v1/inbox"), headers=agent, timeout=10).status_code == 403
    assert requests.get(hub.url("/api/v1/customers"), headers={"Authorization": "Bearer forged"}, timeout=10).status_code == 401

    with sqlite3.connect(hub.database) as db:
        rows = db.execute("SELECT id, actor, action, target, outcome, source_ip, detail FROM audit ORDER BY id").fetchall()
    wu = created.json()["id"]
    assert rows == [
        (1, "anonymous", "auth.login", "email:wu@example.cn", "denied", "127.0.0.1", "invalid_credentials"),
        (2, f"agent:{wu}", "auth.login", f"agent:{wu}", "ok", "127.0.0.1", None),
        (3, f"agent:{wu}", "access.denied", "GET /api/v1/inbox", "forbidden", "127.0.0.1", "forbidden"),
        (4, "anonymous", "access.denied", "GET /api/v1/customers", "unauthenticated", "127.0.0.1", "invalid_token"),
    ], rows
    intact = verify(hub)
    assert intact.returncode == 0 and "audit chain intact: 4 rows" in intact.stdout, intact.stdout + intact.stderr

    with sqlite3.connect(hub.database) as db:
        db.execute("UPDATE audit SET outcome = 'ok' WHERE id = 3")
    edited = verify(hub)
    assert edited.returncode == 1 and "row 3 was edited" in edited.stdout
    with sqlite3.connect(hub.database) as db:
        db.execute("UPDATE audit SET outcome = 'forbidden' WHERE id = 3")
        db.execute("DELETE FROM audit WHERE id = 2")
    deleted = verify(hub)
    assert deleted.returncode == 1 and "rows before row 3 were deleted" in deleted.stdout
