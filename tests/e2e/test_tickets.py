"""Tickets end to end over real channels: a WeChat complaint (encrypted with wechatpy) opens a ticket
by the manifest's rule; the same customer e-mails a photo quoting the ticket number (SMTP into dovecot,
polled over IMAP), which joins it; the agent's e-mail reply meets the first response; pending stops the
clock, the customer's SMS (signed with twilio's validator) starts it again; solving sends a survey by SMS
whose answer is stored. And across a SIGKILL between the warning and the breach, the breach fires once,
on time."""
import os
import smtplib
import sqlite3
import subprocess
import time
from datetime import datetime
from email.message import EmailMessage

import pytest
import requests

from conftest import AGENT, BINARY, ROOT, Hub, settled, wait_for
from fake_providers import FakeProviders
from signed_senders import PUBLIC, TWILIO_TOKEN, WX_AES, WX_APPID, WX_TOKEN, twilio_sms, wechat_text
from mail_servers import MailServers

PHONE = "+8613912345601"
EMAIL = "wang.fang@example.com"


@pytest.fixture(scope="module")
def fake():
    providers = FakeProviders().start()
    yield providers
    providers.stop()


@pytest.fixture(scope="module")
def mail():
    servers = MailServers()
    yield servers
    servers.stop()


def manifest_text(fake, mail, with_mail=True):
    mail_channel = f"""
  - id: mail
    kind: email
    settings:
      imap_url: imap://127.0.0.1:{mail.imap_port}/INBOX
      smtp_url: smtp://127.0.0.1:{mail.smtp_port}/hub.example.com
      username: support
      password: ${{MAIL_PASSWORD}}
      from: 客服中心 <support@hub.example.com>
      poll_interval: 1s""" if with_mail else ""
    return f"""
server: {{ listen: 127.0.0.1:0, public_url: {PUBLIC} }}
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
# This shop trusts its CRM's e-mail addresses: a mail from one is that customer (by default it is only proposed).
identity: {{ default_region: CN, auto_merge: [phone, email, email_verified, wechat_unionid, shop_customer], propose: [name_phone_suffix] }}
outbox: {{ max_attempts: 3, initial_backoff: 100ms, max_backoff: 1s }}
channels:
  - id: wx
    kind: wechat
    settings:
      app_id: {WX_APPID}
      app_secret: ${{WX_SECRET}}
      token: ${{WX_TOKEN}}
      encoding_aes_key: ${{WX_AES}}
      api_base: {fake.base}{mail_channel}
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "{fake.base}" }}
teams: [{{ id: care, name: Care }}]
assist:
  enabled: true
  training_data: {ROOT / "samples" / "assist"}
  knowledge_base: {ROOT / "samples" / "assist" / "kb"}
  synonyms: {ROOT / "samples" / "assist" / "synonyms.txt"}
tickets:
  auto_create: [{{ when: {{ intent: complaint }} }}]
sla:
  - id: urgent
    match: {{ priority: [urgent] }}
    first_response: 20s
    warn_before: 10s
  - id: standard
    first_response: 30m
    next_response: 1h
    resolution: 8h
    warn_before: 10m
"""


ENVIRONMENT = {"TWILIO_TOKEN": TWILIO_TOKEN, "WX_SECRET": "wx-app-secret", "WX_TOKEN": WX_TOKEN, "WX_AES": WX_AES,
               "MAIL_PASSWORD": "support-pass"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, fake, mail):
    workdir = tmp_path_factory.mktemp("tickets")
    manifest = workdir / "hub.yaml"
    manifest.write_text(manifest_text(fake, mail))
    running = Hub(workdir, manifest=manifest, environment=ENVIRONMENT).start(timeout=120)
    running.manifest_path = manifest
    yield running
    running.stop()


def wx_post(hub, openid, text, msg_id, create_time=None):
    wechat_text(hub, openid, text, msg_id, WX_TOKEN, WX_AES, WX_APPID, create_time)


def post_sms(hub, sender, body):
    twilio_sms(hub, sender, body, TWILIO_TOKEN, PUBLIC)


def ticket(hub, number):
    response = requests.get(hub.url(f"/api/v1/tickets/{number}"), headers=AGENT, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def patch(hub, number, body):
    response = requests.patch(hub.url(f"/api/v1/tickets/{number}"), headers=AGENT, json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def events(hub, types):
    response = requests.get(hub.url("/api/v1/events"), headers=AGENT, params={"types": types, "limit": 500}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def test_a_complaint_crosses_wechat_email_and_sms_under_one_clock(hub, fake, mail, tmp_path):
    # The CRM knows one person's openid, e-mail and phone.
    crm = tmp_path / "crm.csv"
    crm.write_text(f"name,phone,email,wechat_openid\n王芳,{PHONE},{EMAIL},{WX_APPID}:oWangTicket\n")
    imported = subprocess.run([str(BINARY), "import", "customers", str(crm), "--manifest", str(hub.manifest_path),
                               "--database", str(hub.database)], capture_output=True, text=True,
                              env=dict(os.environ) | ENVIRONMENT, cwd=ROOT, timeout=60)
    assert imported.returncode == 0, imported.stderr

    # 1. A complaint on WeChat: assist reads it, the manifest's rule opens a ticket.
    wx_post(hub, "oWangTicket", "我要投诉！快递送来的花瓶碎了，盒子都压扁了，太差劲了", 990001)
    listed = wait_for(lambda: requests.get(hub.url("/api/v1/tickets"), headers=AGENT, params={"type": "complaint"},
                                           timeout=10).json()["tickets"] or None, timeout=30)
    assert len(listed) == 1
    opened = listed[0]
    number = opened["number"]
    assert (opened["channel"], opened["created_by"], opened["status"], opened["type"]) == ("wx", "rule", "new", "complaint")
    assert opened["sla"]["policy"] == "standard" and opened["sla"]["first_response"]["state"] == "running"
    assert len(opened["conversations"]) == 1
    wechat_conversation = opened["conversations"][0]

    # 2. The same customer e-mails a photo, quoting the number: it joins the ticket, and opens no other.
    photo = EmailMessage()
    photo["From"] = f"王芳 <{EMAIL}>"
    photo["To"] = "support@hub.example.com"
    photo["Subject"] = f"破损照片 {number}"
    photo["Message-ID"] = "<vase-photo@example.com>"
    photo.set_content("附上花瓶破损的照片。")
    photo.add_attachment(b"\xff\xd8\xff\xe0" + b"\x00" * 2048, maintype="image", subtype="jpeg", filename="vase.jpg")
    with smtplib.SMTP("127.0.0.1", mail.inbound_smtp_port) as client:
        client.send_message(photo)
    joined = wait_for(lambda: (lambda t: t if len(t["conversations"]) == 2 else None)(ticket(hub, number)), timeout=40)
    mail_conversation = next(c for c in joined["conversations"] if c != wechat_conversation)

    # 3. The agent answers by e-mail: the first response is met, the ticket is open.
    reply = requests.post(hub.url(f"/api/v1/conversations/{mail_conversation}/messages"), headers=AGENT, timeout=10,
                          json={"text": f"王女士您好，已收到照片，{number} 正在为您处理，补发或退款二选一。"})
    assert reply.status_code in (200, 201, 202), reply.text
    answered = wait_for(lambda: (lambda t: t if t["sla"]["first_response"]["state"] == "met" else None)(ticket(hub, number)))
    assert answered["status"] == "open"
    assert answered["sla"]["first_response"]["met_at"] <= answered["sla"]["first_response"]["due_at"]

    # 4. Waiting for the customer: the clock stops.
    pending = patch(hub, number, {"status": "pending"})
    assert pending["sla"]["resolution"]["state"] == "paused"
    assert pending["sla"]["pauses"][0]["status"] == "pending" and "to" not in pending["sla"]["pauses"][0]
    time.sleep(1.5)
    still = ticket(hub, number)["sla"]["resolution"]
    assert still["state"] == "paused" and still["remaining_seconds"] == pending["sla"]["resolution"]["remaining_seconds"]

    # 5. The customer answers by SMS, quoting the number: the ticket is open again and the clock runs.
    post_sms(hub, PHONE, f"{number} 选补发吧，明天家里有人")
    reopened = wait_for(lambda: (lambda t: t if t["status"] == "open" else None)(ticket(hub, number)), timeout=30)
    assert len(reopened["conversations"]) == 3
    assert reopened["sla"]["resolution"]["state"] == "running"
    assert "to" in reopened["sla"]["pauses"][0]
    assert reopened["sla"]["next_response"]["state"] == "running" and reopened["sla"]["next_response"]["cycle"] == 1

    # 6. Solved: a survey goes out by SMS, the customer's latest channel; the score is stored.
    sent_before = len([f for f in fake.twilio_sends if f["To"] == PHONE])
    solved = patch(hub, number, {"status": "solved"})
    assert solved["survey"]["state"] == "sent" and solved["sla"]["resolution"]["state"] == "met"
    survey = wait_for(lambda: [f["Body"] for f in fake.twilio_sends if f["To"] == PHONE][sent_before:] or None, timeout=30)[0]
    assert number in survey and "1-5" in survey
    post_sms(hub, PHONE, "4 处理得挺快，谢谢")
    rated = wait_for(lambda: (lambda t: t if t["survey"].get("score") else None)(ticket(hub, number)), timeout=30)
    assert rated["survey"]["score"] == 4 and rated["survey"]["comment"] == "处理得挺快，谢谢"
    assert rated["status"] == "solved", "a survey answer is not new work"

    # Every step is in the history and the event log.
    history = requests.get(hub.url(f"/api/v1/tickets/{number}/history"), headers=AGENT, timeout=10).json()["history"]
    moves = [(h["old"], h["new"]) for h in history if h["field"] == "status"]
    assert moves == [("new", "open"), ("open", "pending"), ("pending", "open"), ("open", "solved")]
    assert sum(1 for h in history if h["field"] == "conversation") == 3
    assert len(events(hub, "ticket.created")) == 1
    assert len(events(hub, "ticket.survey")) == 1
    # The survey answer and the timeline entry are on the customer's timeline.
    customer = rated["customer"]
    timeline = requests.get(hub.url(f"/api/v1/customers/{customer}/timeline"), headers=AGENT, params={"limit": 100},
                            timeout=10).json()
    assert any(entry.get("kind") == "survey" and "4/5" in entry["summary"] for entry in timeline["events"]), timeline


def test_bad_ticket_requests_get_clear_errors(hub):
    def call(method, path, body=None):
        return requests.request(method, hub.url(path), headers=AGENT, json=body, timeout=10)
    assert call("POST", "/api/v1/tickets", {"subject": "x"}).status_code == 400
    created = call("POST", "/api/v1/tickets", {"subject": "Missing parcel", "customer": 1, "priority": "high"})
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    for body, code in [({"status": "archived"}, "invalid_status"), ({"priority": "asap"}, "invalid_priority"),
                       ({"type": "question"}, "invalid_type"), ({"fields": {"colour": "red"}}, "invalid_ticket")]:
        refused = call("PATCH", f"/api/v1/tickets/{number}", body)
        assert refused.status_code == 400 and refused.json()["error"] == code, refused.text
    assert call("PATCH", f"/api/v1/tickets/{number}", {"status": "closed"}).status_code == 409
    assert call("GET", "/api/v1/tickets/T-999999").status_code == 404
    assert call("GET", "/api/v1/tickets", None).status_code == 200
    assert requests.get(hub.url("/api/v1/tickets?sla=late"), headers=AGENT, timeout=10).status_code == 400
    malformed = requests.post(hub.url("/api/v1/tickets"), headers=AGENT | {"Content-Type": "application/json"}, data=b"{", timeout=10)
    assert malformed.status_code == 400 and malformed.json()["error"] == "malformed_json"


def test_a_restart_between_the_warning_and_the_breach_fires_the_breach_once_on_time(tmp_path, fake, mail):
    manifest = tmp_path / "hub.yaml"
    manifest.write_text(manifest_text(fake, mail, with_mail=False))
    running = Hub(tmp_path, manifest=manifest, environment=ENVIRONMENT).start(timeout=120)
    # The customer the ticket is for writes by SMS first.
    post_sms(running, "+8613700000001", "我被扣了两次款")
    settled(running.database)
    customer = sqlite3.connect(running.database).execute("SELECT MIN(id) FROM customer").fetchone()[0]
    created = requests.post(running.url("/api/v1/tickets"), headers=AGENT, timeout=10,
                            json={"subject": "Card charged twice", "customer": customer, "priority": "urgent"})
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    assert created.json()["sla"]["policy"] == "urgent"
    wait_for(lambda: events(running, "sla.warning") or None, timeout=30)
    assert events(running, "sla.breached") == []
    running.signal(9)
    running.wait()

    restarted = Hub(tmp_path, manifest=manifest, environment=ENVIRONMENT).start(timeout=120)
    try:
        breach = wait_for(lambda: events(restarted, "sla.breached") or None, timeout=40)
        assert len(breach) == 1
        assert breach[0]["data"]["ticket"]["number"] == number and breach[0]["data"]["target"] == "first_response"
        with sqlite3.connect(restarted.database) as connection:
            due, raised = connection.execute(
                "SELECT due_at, breached_at FROM ticket_sla WHERE target = 'first_response'").fetchone()
        lateness = (datetime.fromisoformat(raised) - datetime.fromisoformat(due)).total_seconds()
        assert 0 < lateness <= 5, f"breach raised {lateness:.3f}s after the due time"
        time.sleep(2.5)
        assert len(events(restarted, "sla.breached")) == 1
        assert len(events(restarted, "sla.warning")) == 1
        assert ticket(restarted, number)["sla"]["first_response"]["state"] == "breached"
        listed = requests.get(restarted.url("/api/v1/tickets"), headers=AGENT, params={"sla": "breached"}, timeout=10).json()
        assert [t["number"] for t in listed["tickets"]] == [number]
    finally:
        restarted.stop()
