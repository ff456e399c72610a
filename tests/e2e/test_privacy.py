"""Privacy on the running binary: a customer read as agent, supervisor and admin (phones and e-mails masked
without pii.reveal), a reveal for a stated reason (audited), the export of everything held (API for admins,
CLI), and erasure: refused without --confirm, then the person is no longer findable by search, timeline,
message search, export or the database file itself, while their orders stay."""
import json
import os
import sqlite3
import subprocess

import requests

from conftest import AGENT, BINARY, ROOT, SAMPLE_MANIFEST, settled, wait_for

PASSWORD = "privacy-check-pass-26"
PHONE, EMAIL = "+8613800138000", "wang.fang@example.com"


def cli(hub, *args):
    return subprocess.run([str(BINARY), *args, "--manifest", str(SAMPLE_MANIFEST), "--database", str(hub.database)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def session(hub, email, role):
    created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": email.split("@")[0], "email": email, "password": PASSWORD, "role": role})
    assert created.status_code == 201, created.text
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": email, "password": PASSWORD}, timeout=10)
    return {"Authorization": f"Bearer {login.json()['token']}"}


def identities(hub, headers, customer):
    profile = requests.get(hub.url(f"/api/v1/customers/{customer}"), headers=headers, timeout=10)
    assert profile.status_code == 200, profile.text
    return {(i["kind"], i["value"]) for i in profile.json()["identities"] if i["kind"] in ("phone", "email")}


def test_masking_reveal_export_and_erasure(hub, tmp_path):
    crm = tmp_path / "crm.csv"
    crm.write_text(f"Name,Email,Mobile,CRM ID\nWang Fang,{EMAIL},{PHONE},c-77\n")
    assert cli(hub, "import", "customers", str(crm)).returncode == 0
    chat = requests.post(hub.url("/chat/web/messages"), timeout=10,
                         json={"text": "my parcel for order 1042 never came, call me on 13800138000", "name": "Wang Fang"}).json()
    settled(hub.database)
    imported = requests.get(hub.url("/api/v1/customers"), headers=AGENT, params={"q": EMAIL}, timeout=10).json()["customers"][0]["id"]
    merged = requests.post(hub.url(f"/api/v1/customers/{imported}/merge"), headers=AGENT, timeout=10,
                           json={"other": chat["customer"], "reason": "same person"})
    assert merged.status_code in (200, 201), merged.text

    agent, supervisor, admin = (session(hub, f"{role}-p@example.net", role) for role in ("agent", "supervisor", "admin"))
    masked = {("phone", "+86138****8000"), ("email", "w***@example.com")}
    assert identities(hub, agent, imported) == masked
    assert identities(hub, supervisor, imported) == masked
    assert identities(hub, admin, imported) == {("phone", PHONE), ("email", EMAIL)}
    listed = requests.get(hub.url("/api/v1/customers"), headers=agent, params={"q": "wang"}, timeout=10).json()["customers"]
    assert EMAIL not in json.dumps(listed) and PHONE not in json.dumps(listed)

    assert requests.post(hub.url(f"/api/v1/customers/{imported}/reveal"), headers=agent, json={"field": "phone", "reason": ""},
                         timeout=10).status_code == 400
    revealed = requests.post(hub.url(f"/api/v1/customers/{imported}/reveal"), headers=agent, timeout=10,
                             json={"field": "phone", "reason": "customer asked for a call back"})
    assert revealed.status_code == 200 and revealed.json()["values"] == [PHONE]
    db = sqlite3.connect(hub.database)
    reveal_row = db.execute("SELECT outcome, target, detail FROM audit WHERE action = 'pii.reveal' ORDER BY id").fetchall()
    db.close()
    assert reveal_row == [("failed", f"customer:{imported}", "reason_required"),
                          ("ok", f"customer:{imported}", "phone: customer asked for a call back")]

    assert requests.get(hub.url(f"/api/v1/customers/{imported}/export"), headers=agent, timeout=10).status_code == 403
    exported = requests.get(hub.url(f"/api/v1/customers/{imported}/export"), headers=admin, timeout=10)
    assert exported.status_code == 200, exported.text
    document = exported.json()
    assert {i["value"] for i in document["customer"]["identities"]} >= {PHONE, EMAIL}
    texts = [m["text"] for c in document["conversations"] for m in c["messages"]]
    assert "my parcel for order 1042 never came, call me on 13800138000" in texts
    assert cli(hub, "customers", "export", str(imported), "--output", str(tmp_path / "export.json")).returncode == 0
    assert json.loads((tmp_path / "export.json").read_text())["customer"]["id"] == document["customer"]["id"]

    dry = cli(hub, "customers", "erase", str(imported))
    assert dry.returncode == 2 and "nothing changed" in dry.stdout
    assert identities(hub, admin, imported) == {("phone", PHONE), ("email", EMAIL)}
    erased = cli(hub, "customers", "erase", str(imported), "--confirm", "--reason", "GDPR request 2026-118")
    assert erased.returncode == 0 and "erased customer" in erased.stdout, erased.stderr

    for query in (EMAIL, "wang", "13800138000", "Fang"):
        found = requests.get(hub.url("/api/v1/customers"), headers=admin, params={"q": query}, timeout=10).json()["customers"]
        assert found == [], (query, found)
        conversations = requests.get(hub.url("/api/v1/conversations"), headers=admin, params={"q": query}, timeout=10).json()
        assert conversations["conversations"] == [], (query, conversations)
    profile = requests.get(hub.url(f"/api/v1/customers/{imported}"), headers=admin, timeout=10).json()
    assert profile["identities"] == [] and profile["attributes"] == [] and profile.get("erased_at")
    timeline = requests.get(hub.url(f"/api/v1/customers/{imported}/timeline"), headers=admin, timeout=10).json()["events"]
    assert timeline and all(e["summary"] == "[erased]" for e in timeline if e["kind"] == "message")
    after = requests.get(hub.url(f"/api/v1/customers/{imported}/export"), headers=admin, timeout=10).text
    for trace in ("13800138000", EMAIL, "Wang", "wang", "never came"):
        assert trace not in after, trace
    events = requests.get(hub.url("/api/v1/events"), headers=admin, params={"limit": 1000}, timeout=10).text
    assert "never came" not in events and "13800138000" not in events
    db = sqlite3.connect(hub.database)
    assert db.execute("SELECT action, actor, detail FROM audit WHERE action = 'customer.erase'").fetchone()[2].endswith(
        "reason: GDPR request 2026-118")
    db.close()

    # Nothing is left in the file once the hub has written its WAL back.
    hub.stop()
    checkpoint = sqlite3.connect(hub.database)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    raw = hub.database.read_bytes()
    for trace in (b"13800138000", EMAIL.encode(), b"never came"):
        assert trace not in raw, trace
