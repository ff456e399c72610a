"""People at work, through the real binary: agent accounts and sessions, roles checked against
README's matrix on every route of openapi.yaml, TOTP checked with pyotp, routing of an SMS customer
to the right agent, reopening, wait notices on the customer's channel, and racing claims."""
import concurrent.futures
import re
import subprocess
import time

import pyotp
import websocket
import pytest
import requests
import yaml

from conftest import BINARY, ROOT, Hub, wait_for
from signed_senders import twilio_sms

TWILIO_TOKEN = "12345678901234567890123456789012"
PUBLIC = "https://hub.test"
PASSWORD = "long enough secret 42"
SPEC = ROOT / "Sources" / "HubServer" / "Resources" / "openapi.yaml"
ROLES = ["admin", "supervisor", "agent", "auditor"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory, fake):
    workdir = tmp_path_factory.mktemp("agents")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server:
  listen: 127.0.0.1:0
  public_url: {PUBLIC}
agents:
  - {{ name: integration, token: "${{FULL_TOKEN:-full-access-token}}" }}
  - {{ name: reader, token: "${{READ_TOKEN:-read-only-token}}", scopes: [customers.read, conversations.read] }}
identity: {{ default_region: US }}
outbox: {{ max_attempts: 3, initial_backoff: 100ms, max_backoff: 1s }}
channels:
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "{fake.base}" }}
  - id: web
    kind: webchat
teams:
  - {{ id: cn, name: 中文组 }}
  - {{ id: en, name: English desk }}
routing:
  reopen_window: 1h
  presence_grace: 2s
  queues:
    - {{ id: race, match: {{ channels: [web] }}, policy: manual }}
    - {{ id: zh, team: cn, match: {{ languages: [zh] }}, answer_within: 30s }}
    - {{ id: rest }}
""")
    # The first admin comes from the command line, as README's quick start does it.
    database = workdir / "data" / "tributary.sqlite"
    database.parent.mkdir(parents=True, exist_ok=True)
    created = subprocess.run(
        [str(BINARY), "agents", "add", "--manifest", str(manifest), "--database", str(database), "--email", "root@example.com",
         "--name", "Root", "--role", "admin"],
        env={"TRIBUTARY_PASSWORD": PASSWORD, "TWILIO_TOKEN": TWILIO_TOKEN, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, cwd=ROOT)
    assert created.returncode == 0, created.stderr
    assert "created admin Root (agent 1)" in created.stdout
    running = Hub(workdir, manifest=manifest, environment={"TWILIO_TOKEN": TWILIO_TOKEN}).start()
    yield running
    running.stop()


def login(hub, email, password=PASSWORD, otp=None):
    body = {"email": email, "password": password}
    if otp is not None:
        body["otp"] = otp
    return requests.post(hub.url("/api/v1/auth/login"), json=body, timeout=30)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def admin(hub):
    response = login(hub, "root@example.com")
    assert response.status_code == 200, response.text
    assert response.json()["token"].startswith("tbs_")
    return bearer(response.json()["token"])


def make_agent(hub, admin, email, role="agent", teams=(), languages=(), capacity=None):
    body = {"name": email.split("@")[0], "email": email, "role": role, "password": PASSWORD, "teams": list(teams),
            "languages": list(languages), "channels": [], "topics": [], "capacity": capacity or {"chat": 5, "async": 20}}
    response = requests.post(hub.url("/api/v1/agents"), json=body, headers=admin, timeout=30)
    assert response.status_code == 201, response.text
    session = login(hub, email)
    assert session.status_code == 200, session.text
    return response.json(), bearer(session.json()["token"])


def presence(hub, headers, status):
    response = requests.put(hub.url("/api/v1/agents/me/presence"), json={"status": status}, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["presence"] == status


def post_sms(hub, sender, body):
    twilio_sms(hub, sender, body, TWILIO_TOKEN, PUBLIC)


def conversation_of(hub, admin, channel, predicate=lambda item: True):
    def find():
        items = requests.get(hub.url("/api/v1/conversations"), params={"channel": channel}, headers=admin, timeout=10).json()
        return next((item for item in items["conversations"] if predicate(item)), None)
    return wait_for(find)


def test_accounts_refuse_weak_passwords_duplicates_and_unknown_teams(hub, admin):
    base = {"name": "x", "email": "weak@example.com", "role": "agent", "password": "short"}
    weak = requests.post(hub.url("/api/v1/agents"), json=base, headers=admin, timeout=10)
    assert weak.status_code == 400 and weak.json()["error"] == "weak_password"
    unknown = requests.post(hub.url("/api/v1/agents"), json={**base, "password": PASSWORD, "teams": ["nope"]}, headers=admin, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_team"
    twice = requests.post(hub.url("/api/v1/agents"), json={**base, "email": "ROOT@example.com", "password": PASSWORD}, headers=admin,
                          timeout=30)
    assert twice.status_code == 400 and twice.json()["error"] == "duplicate_email"
    wrong = login(hub, "root@example.com", "not the password at all")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_credentials"
    # Only the hash of a session token is stored, and the password is a slow salted hash.
    import sqlite3
    with sqlite3.connect(hub.database) as connection:
        hashes = [row[0] for row in connection.execute("SELECT token_hash FROM agent_session")]
        stored = connection.execute("SELECT password_hash FROM agent WHERE email = 'root@example.com'").fetchone()[0]
    assert admin["Authorization"].split(" ")[1] not in hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    assert stored.startswith("pbkdf2-sha256$600000$") and PASSWORD not in stored


def test_logout_ends_the_session_and_repeated_failures_slow_logins_down(hub, admin):
    _, headers = make_agent(hub, admin, "leaver@example.com")
    assert requests.get(hub.url("/api/v1/agents/me"), headers=headers, timeout=10).status_code == 200
    assert requests.post(hub.url("/api/v1/auth/logout"), headers=headers, timeout=10).status_code == 200
    after = requests.get(hub.url("/api/v1/agents/me"), headers=headers, timeout=10)
    assert after.status_code == 401 and after.json()["error"] == "invalid_token"
    for _ in range(5):
        assert login(hub, "leaver@example.com", "wrong password 123").status_code == 401
    throttled = login(hub, "leaver@example.com", PASSWORD)
    assert throttled.status_code == 429 and throttled.json()["error"] == "login_throttled"
    assert int(throttled.headers["Retry-After"]) >= 1


def test_totp_second_factor_with_pyotp(hub, admin):
    _, headers = make_agent(hub, admin, "careful@example.com")
    enrolment = requests.post(hub.url("/api/v1/agents/me/totp"), headers=headers, timeout=10).json()
    assert enrolment["uri"].startswith("otpauth://totp/")
    totp = pyotp.TOTP(enrolment["secret"])
    wrong = requests.post(hub.url("/api/v1/agents/me/totp/confirm"), json={"otp": "000000" if totp.now() != "000000" else "111111"},
                          headers=headers, timeout=10)
    assert wrong.status_code == 400
    confirmed = requests.post(hub.url("/api/v1/agents/me/totp/confirm"), json={"otp": totp.now()}, headers=headers, timeout=10)
    assert confirmed.status_code == 200, confirmed.text
    without = login(hub, "careful@example.com")
    assert without.status_code == 401 and without.json()["error"] == "otp_required"
    assert login(hub, "careful@example.com", otp="12345").json()["error"] == "invalid_otp"
    with_code = login(hub, "careful@example.com", otp=totp.now())
    assert with_code.status_code == 200 and with_code.json()["agent"]["totp_enabled"] is True


def readme_matrix():
    """README's role matrix: permission -> the roles that have it."""
    text = (ROOT / "README.md").read_text()
    section = text.split("<!-- role matrix -->")[1]
    matrix = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`") and cells[0].endswith("`"):
            matrix[cells[0].strip("`")] = {role for role, cell in zip(ROLES, cells[1:5]) if cell == "✓"}
        elif matrix and not line.startswith("|"):
            break
    return matrix


def test_every_route_checks_its_permission_for_every_role(hub, admin):
    matrix = readme_matrix()
    assert len(matrix) >= 17
    sessions = {"admin": admin}
    for role in ROLES[1:]:
        _, sessions[role] = make_agent(hub, admin, f"matrix-{role}@example.com", role=role)
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    checked = 0
    for path, item in paths.items():
        if not path.startswith("/api/v1/") or path == "/api/v1/stream":
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            permission = operation.get("x-permission")
            if path.startswith("/api/v1/auth/"):
                continue
            assert permission in matrix, f"{method} {path}: x-permission {permission!r} is not in README's matrix"
            url = hub.url(re.sub(r"\{[^}]+\}", "999999", path))
            for role, headers in sessions.items():
                if method == "put" and path.endswith("/presence"):
                    body = {"status": "offline"}
                else:
                    body = {}
                response = requests.request(method.upper(), url, json=body, headers=headers, timeout=30)
                if role in matrix[permission]:
                    assert response.status_code != 403, f"{role} {method} {path}: {response.text}"
                else:
                    assert response.status_code == 403, f"{role} {method} {path} answered {response.status_code}"
                    assert permission in response.json()["message"]
                checked += 1
    assert checked >= 4 * 40
    # A scoped integration token is limited to its scopes; an unscoped one keeps full access.
    reader = {"Authorization": "Bearer read-only-token"}
    assert requests.get(hub.url("/api/v1/customers"), headers=reader, timeout=10).status_code == 200
    refused = requests.get(hub.url("/api/v1/outbox"), headers=reader, timeout=10)
    assert refused.status_code == 403 and "ops.read" in refused.json()["message"]
    assert requests.get(hub.url("/api/v1/outbox"), headers={"Authorization": "Bearer full-access-token"}, timeout=10).status_code == 200


def test_sms_customer_is_routed_to_the_online_zh_agent_reopens_to_them_and_waits_when_nobody_is_online(hub, admin, fake):
    offline, offline_headers = make_agent(hub, admin, "offline-zh@example.com", teams=["cn"], languages=["zh"])
    online, online_headers = make_agent(hub, admin, "online-zh@example.com", teams=["cn"], languages=["zh"])
    english, english_headers = make_agent(hub, admin, "en-only@example.com", teams=["en"], languages=["en"])
    presence(hub, online_headers, "online")
    presence(hub, english_headers, "online")
    customer = "+14155550177"
    post_sms(hub, customer, "你好，我要找人工客服，订单一直没发货")
    item = conversation_of(hub, admin, "sms", lambda c: c["status"] == "open")
    assert item["assignee"] == online["id"] and item["queue"] == "zh" and item["team"] == "cn" and item["language"] == "zh"
    # The offline agent and the English agent were passed over; the agent sees it in their own view.
    mine = requests.get(hub.url("/api/v1/conversations"), params={"view": "mine"}, headers=online_headers, timeout=10).json()
    assert [c["id"] for c in mine["conversations"]] == [item["id"]]
    hidden = requests.get(hub.url(f"/api/v1/conversations/{item['id']}"), headers=english_headers, timeout=10)
    assert hidden.status_code == 404
    # Nor does the customer's timeline show that agent another team's conversation.
    def timeline(headers):
        return requests.get(hub.url(f"/api/v1/customers/{item['customer']}/timeline"), headers=headers, timeout=10).json()["events"]
    assert any(event.get("conversation") == item["id"] for event in timeline(online_headers))
    assert not any(event.get("conversation") == item["id"] for event in timeline(english_headers))
    reply = requests.post(hub.url(f"/api/v1/conversations/{item['id']}/messages"), json={"text": "您好，我帮您查一下"},
                          headers=online_headers, timeout=10)
    assert reply.status_code == 201
    wait_for(lambda: any(s["To"] == customer and s["Body"] == "您好，我帮您查一下" for s in fake.twilio_sends))
    note = requests.post(hub.url(f"/api/v1/conversations/{item['id']}/notes"), json={"text": "仓库说明天发"}, headers=online_headers,
                         timeout=10)
    assert note.status_code == 201
    bad = requests.patch(hub.url(f"/api/v1/conversations/{item['id']}"), json={"status": "bot"}, headers=online_headers, timeout=10)
    assert bad.status_code == 409 and bad.json()["error"] == "invalid_transition"
    resolved = requests.patch(hub.url(f"/api/v1/conversations/{item['id']}"), json={"status": "resolved", "labels": ["shipping"]},
                              headers=online_headers, timeout=10)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    # Within the reopen window the customer's next message reopens it to the same agent.
    post_sms(hub, customer, "还有，能改地址吗")
    reopened = conversation_of(hub, admin, "sms", lambda c: c["id"] == item["id"] and c["status"] == "open")
    assert reopened["assignee"] == online["id"]
    events = requests.get(hub.url("/api/v1/events"), params={"types": "conversation.status,conversation.assigned,conversation.note"},
                          headers=admin, timeout=10).json()["events"]
    kinds = [(e["type"], e["data"]["conversation"]["id"]) for e in events]
    assert ("conversation.note", item["id"]) in kinds and ("conversation.assigned", item["id"]) in kinds
    # When the agent goes offline, what they owe goes back to the queue, and the customer is told their place.
    presence(hub, online_headers, "offline")
    queued = conversation_of(hub, admin, "sms", lambda c: c["id"] == item["id"] and c["status"] == "queued")
    assert "assignee" not in queued
    notice = wait_for(lambda: next((s for s in fake.twilio_sends if s["To"] == customer and "您" in s["Body"] and "位" in s["Body"]), None))
    assert "没有客服在线" in notice["Body"]
    queues = requests.get(hub.url("/api/v1/queues"), headers=admin, timeout=10).json()["queues"]
    zh = next(q for q in queues if q["id"] == "zh")
    assert zh["waiting"] >= 1 and zh["agents_online"] == 0
    # Back online, the agent takes it on demand from the queue.
    presence(hub, online_headers, "online")
    taken = wait_for(lambda: requests.get(hub.url(f"/api/v1/conversations/{item['id']}"), headers=admin, timeout=10)
                     .json()["work"].get("assignee") == online["id"])
    assert taken


def test_fifty_racing_claims_of_one_conversation_have_exactly_one_winner(hub, admin):
    sessions = []
    for index in range(50):
        _, headers = make_agent(hub, admin, f"racer{index}@example.com")
        presence(hub, headers, "online")
        sessions.append(headers)
    response = requests.post(hub.url("/chat/web/messages"), json={"text": "anyone there?", "client_id": "race-1"}, timeout=10)
    assert response.status_code in (200, 201), response.text
    conversation = response.json()["conversation"]
    wait_for(lambda: requests.get(hub.url(f"/api/v1/conversations/{conversation}"), headers=admin, timeout=10)
             .json()["work"]["status"] == "queued")

    def claim(headers):
        return requests.post(hub.url(f"/api/v1/conversations/{conversation}/claim"), headers=headers, timeout=30)

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(claim, sessions))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(200) == 1 and statuses.count(409) == 49, statuses
    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    losers = {answer.json()["error"] for answer in answers if answer.status_code == 409}
    assert losers == {"already_assigned"}
    detail = requests.get(hub.url(f"/api/v1/conversations/{conversation}"), headers=admin, timeout=10).json()["work"]
    assert detail["assignee"] == winner["assignee"] and detail["status"] == "open"


def test_canned_responses_render_the_conversations_variables(hub, admin):
    created = requests.post(hub.url("/api/v1/canned"), json={"shortcut": "hello", "text": "Hi {{customer.name}}, {{agent.name}} here."},
                            headers=admin, timeout=10)
    assert created.status_code == 201
    conversation = requests.get(hub.url("/api/v1/conversations"), headers=admin, timeout=10).json()["conversations"][0]["id"]
    rendered = requests.post(hub.url(f"/api/v1/canned/{created.json()['id']}/render"), json={"conversation": conversation},
                             headers=admin, timeout=10)
    assert rendered.status_code == 200 and rendered.json()["text"].endswith("Root here.") and "{{" not in rendered.json()["text"]


def test_an_agent_whose_console_socket_stays_away_past_the_grace_counts_as_away(hub, admin):
    agent, headers = make_agent(hub, admin, "console@example.com")
    presence(hub, headers, "online")
    token = headers["Authorization"].split(" ")[1]
    socket = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/api/v1/stream?token={token}&types=agent.presence", timeout=10)
    time.sleep(3.5)
    # While the console is open the agent stays online, past the grace.
    assert requests.get(hub.url(f"/api/v1/agents/{agent['id']}"), headers=admin, timeout=10).json()["presence"] == "online"
    socket.close()
    time.sleep(1)
    assert requests.get(hub.url(f"/api/v1/agents/{agent['id']}"), headers=admin, timeout=10).json()["presence"] == "online"
    wait_for(lambda: requests.get(hub.url(f"/api/v1/agents/{agent['id']}"), headers=admin, timeout=10).json()["presence"] == "away",
             timeout=10)
