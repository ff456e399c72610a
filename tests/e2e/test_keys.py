"""Secrets at rest on the running binary: a TOTP seed is stored sealed with TRIBUTARY_DATA_KEY (AES-256-GCM),
a start without the key or with another one is refused with a clear error, `tributary keys rotate` re-seals
every secret under a new key in one go, and logins with the second factor go on working under it."""
import base64
import os
import sqlite3
import subprocess

import pyotp
import pytest
import requests

from conftest import AGENT, BINARY, DATA_KEY, ROOT, SAMPLE_MANIFEST, Hub

PASSWORD = "sealed-seed-pass-26"


def login(hub, otp=None):
    return requests.post(hub.url("/api/v1/auth/login"), timeout=10,
                         json={"email": "guarded@example.org", "password": PASSWORD, **({"otp": otp} if otp else {})})


def stored_seed(hub):
    db = sqlite3.connect(hub.database)
    try:
        return db.execute("SELECT totp_secret FROM agent WHERE email = 'guarded@example.org'").fetchone()[0]
    finally:
        db.close()


def test_seeds_are_sealed_a_wrong_or_missing_key_is_refused_and_rotation_reseals(tmp_path):
    hub = Hub(tmp_path).start()
    try:
        assert requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10, json={
            "name": "Guarded", "email": "guarded@example.org", "password": PASSWORD, "role": "agent"}).status_code == 201
        session = {"Authorization": f"Bearer {login(hub).json()['token']}"}
        enrolment = requests.post(hub.url("/api/v1/agents/me/totp"), headers=session, timeout=10).json()
        totp = pyotp.TOTP(enrolment["secret"])
        assert requests.post(hub.url("/api/v1/agents/me/totp/confirm"), json={"otp": totp.now()}, headers=session,
                             timeout=10).status_code == 200
        seed = stored_seed(hub)
        assert seed.startswith("enc:v1:") and enrolment["secret"] not in seed
        assert login(hub, totp.now()).status_code == 200
    finally:
        hub.stop()

    for environment, message in (({"TRIBUTARY_DATA_KEY": ""}, "holds secrets sealed with a data key"),
                                 ({"TRIBUTARY_DATA_KEY": base64.b64encode(os.urandom(32)).decode()}, "is not the key"),
                                 ({"TRIBUTARY_DATA_KEY": "c2hvcnQ="}, "must be 32 bytes")):
        refused = Hub(tmp_path, environment=environment)
        with pytest.raises(RuntimeError):
            refused.start(timeout=15)
        refused.wait()
        assert message in refused.log.read_text(), message

    new_key = base64.b64encode(os.urandom(32)).decode()
    rotated = subprocess.run(
        [str(BINARY), "keys", "rotate", "--manifest", str(SAMPLE_MANIFEST), "--database", str(hub.database)], capture_output=True,
        text=True, cwd=ROOT, timeout=60, env=dict(os.environ, TRIBUTARY_DATA_KEY=DATA_KEY, TRIBUTARY_NEW_DATA_KEY=new_key))
    assert rotated.returncode == 0 and "re-sealed 1 secrets" in rotated.stdout, rotated.stdout + rotated.stderr
    assert stored_seed(hub) != seed and stored_seed(hub).startswith("enc:v1:")

    again = Hub(tmp_path, environment={"TRIBUTARY_DATA_KEY": new_key}).start()
    try:
        assert login(again).json()["error"] == "otp_required"
        assert login(again, totp.now()).status_code == 200
    finally:
        again.stop()
    db = sqlite3.connect(hub.database)
    assert db.execute("SELECT actor, detail FROM audit WHERE action = 'keys.rotate'").fetchone() == ("cli", "1 secrets re-sealed")
    db.close()


def test_without_a_data_key_no_second_factor_can_be_enrolled(tmp_path):
    hub = Hub(tmp_path, environment={"TRIBUTARY_DATA_KEY": ""}).start()
    try:
        requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10, json={
            "name": "Guarded", "email": "guarded@example.org", "password": PASSWORD, "role": "agent"})
        session = {"Authorization": f"Bearer {login(hub).json()['token']}"}
        refused = requests.post(hub.url("/api/v1/agents/me/totp"), headers=session, timeout=10)
        assert refused.status_code == 409 and refused.json()["error"] == "data_key_required"
    finally:
        hub.stop()
    generated = subprocess.run([str(BINARY), "keys", "generate"], capture_output=True, text=True, timeout=30)
    assert len(base64.b64decode(generated.stdout.strip())) == 32
