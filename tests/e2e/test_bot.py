"""The bot end to end over real channels: a shop order arrives by a signed webhook with the customer's
phone; the same phone writes by SMS (signed with twilio's validator) and the bot answers with the carrier
and the latest scan; it cancels a second, unshipped order at the shop simulator after a confirmation; an
angry message hands off to routing's queue with a summary for the agent, and the bot then stays quiet.
The same person on WeChat (encrypted with wechatpy) gets their parcel, and the 48-hour rule holds."""
import json
import re
import sqlite3
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from shop_simulator import running_simulator
from conftest import AGENT, BINARY, ROOT, Hub, settled, wait_for
from fake_providers import FakeProviders
from signed_senders import PUBLIC, TWILIO_TOKEN, WX_AES, WX_APPID, WX_TOKEN, twilio_sms, wechat_text

SECRET = "shpss_bot_test_secret_0123456789"
TOKEN = "shpat_bot_token"
PHONE = "+8613800138111"


@pytest.fixture(scope="module")
def fake():
    providers = FakeProviders().start()
    yield providers
    providers.stop()


class FakeWriter:
    """An OpenAI-compatible /v1/chat/completions: it rewords the bot's answers as scripted (`phrase`,
    or a 500 when None) and answers the intent classifier with a word that is no label."""

    def __init__(self):
        self.phrase = None
        self.requests = []
        writer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                rewording = body["messages"][0]["content"].startswith("You are the customer service assistant")
                if rewording:
                    writer.requests.append(body)
                if rewording and writer.phrase is None:
                    self.send_response(500)
                    self.end_headers()
                    return
                content = writer.phrase if rewording else "unsure"
                payload = json.dumps({"id": "c1", "object": "chat.completion", "model": body["model"], "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture(scope="module")
def writer():
    fake = FakeWriter()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def simulator():
    with running_simulator(SECRET, TOKEN) as base:
        yield base


@pytest.fixture(scope="module")
def hub(tmp_path_factory, simulator, fake, writer):
    workdir = tmp_path_factory.mktemp("bot")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server:
  listen: 127.0.0.1:0
  public_url: {PUBLIC}
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
identity: {{ default_region: CN }}
outbox: {{ max_attempts: 3, initial_backoff: 100ms, max_backoff: 1s }}
channels:
  - id: shop
    kind: marketplace
    settings:
      shop_domain: hub-demo.myshopify.com
      webhook_secrets: ["${{SHOP_SECRET}}"]
      access_token: ${{SHOP_TOKEN}}
      api_base: {simulator}
      poll_interval: 0s
  - id: parcels
    kind: tracking
    settings: {{ customer: CUSTOMER0000000000000000000000AB, key: "${{KD_KEY}}", salt: "${{KD_SALT}}", api_base: "{simulator}" }}
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "{fake.base}" }}
    bot: {{ enabled: true, mode: first, languages: [zh, en], max_failed_turns: 2 }}
  - id: wx
    kind: wechat
    settings:
      app_id: {WX_APPID}
      app_secret: ${{WX_SECRET}}
      token: ${{WX_TOKEN}}
      encoding_aes_key: ${{WX_AES}}
      api_base: {fake.base}
    bot: {{ enabled: true, greeting: "您好，我是智能客服小T。" }}
routing:
  queues: [{{ id: care, match: {{ languages: [zh, en, mix] }} }}]
assist:
  enabled: true
  training_data: {ROOT / "samples" / "assist"}
  knowledge_base: {ROOT / "samples" / "assist" / "kb"}
  synonyms: {ROOT / "samples" / "assist" / "synonyms.txt"}
  llm: {{ base_url: "{writer.base}", model: writer-1, api_key: "${{LLM_KEY}}", timeout: 2s }}
""")
    environment = {"SHOP_SECRET": SECRET, "SHOP_TOKEN": TOKEN, "KD_KEY": "KEYEXAMPLE12345", "KD_SALT": "hubsalt42",
                   "TWILIO_TOKEN": TWILIO_TOKEN, "WX_SECRET": "wx-app-secret", "WX_TOKEN": WX_TOKEN, "WX_AES": WX_AES,
                   "LLM_KEY": "sk-writer"}
    running = Hub(workdir, manifest=manifest, environment=environment).start(timeout=120)
    running.manifest_path, running.environment = manifest, environment
    sim(simulator, "/_sim/config", {"rewrite_callbacks": {PUBLIC: f"http://127.0.0.1:{running.port}"},
                                    "hub": f"http://127.0.0.1:{running.port}/hooks/shop"})
    # An agent account, away: routing then queues hand-offs and tells the customer their place.
    created = requests.post(running.url("/api/v1/agents"), headers=AGENT, timeout=10,
                            json={"name": "Lin", "email": "lin@example.cn", "password": "correct horse battery", "role": "agent"})
    assert created.status_code == 201, created.text
    yield running
    running.stop()


def sim(simulator, path, payload=None):
    response = requests.post(simulator + path, json=payload or {}, timeout=30)
    response.raise_for_status()
    return response.json()


def push(simulator, hub, order_id, topic="orders/updated"):
    return sim(simulator, "/_sim/webhook", {"order_id": order_id, "topic": topic, "hub_url": hub.url("/hooks/shop")})


def shop_order(simulator, phone, title, price):
    """An order of `phone` in the shop, delivered to the hub by its signed orders/create webhook."""
    order_id = sim(simulator, "/_sim/seed", {"count": 1})["created"][0]
    order = sim(simulator, f"/_sim/orders/{order_id}", {
        "phone": phone, "email": None, "customer": None, "total_price": price,
        "line_items": [{"id": order_id * 10, "title": title, "quantity": 1, "price": price}]})
    return order_id, order["name"]


def post_sms(hub, sender, body):
    twilio_sms(hub, sender, body, TWILIO_TOKEN, PUBLIC)


def sms_to(fake, number):
    return [form["Body"] for form in fake.twilio_sends if form["To"] == number]


def next_sms(fake, number, seen):
    """The text of the next SMS sent to `number` after the `seen` first ones."""
    return wait_for(lambda: sms_to(fake, number)[seen] if len(sms_to(fake, number)) > seen else None, timeout=30)


def db(hub):
    settled(hub.database)
    connection = sqlite3.connect(hub.database)
    connection.row_factory = sqlite3.Row
    return connection


def test_sms_where_is_my_order_then_a_confirmed_cancellation_then_an_angry_hand_off(hub, simulator, fake):
    towels, towels_name = shop_order(simulator, PHONE, "Bath towel set", "129.00")
    lamp, lamp_name = shop_order(simulator, PHONE, "Desk lamp", "89.00")
    for order_id in (towels, lamp):
        assert push(simulator, hub, order_id, topic="orders/create")["hub_status"] == 200
    sim(simulator, f"/_sim/fulfil/{towels}", {"tracking_company": "ZTO Express", "tracking_number": "ZT5500009",
                                              "shipment_status": "in_transit"})
    assert push(simulator, hub, towels, topic="orders/fulfilled")["hub_status"] == 200
    wait_for(lambda: requests.get(simulator + "/_sim/track/ZT5500009", timeout=5).json())
    answer = sim(simulator, "/_sim/track/ZT5500009", {"state": "0", "context": "快件已到达【北京顺义集散中心】", "status": "在途"})
    assert all(code == 200 for code, _ in answer["pushes"])
    settled(hub.database)

    # 1. Where is my order: the shipped one, with its carrier, tracking number and latest scan.
    post_sms(hub, PHONE, "where is my order")
    first = next_sms(fake, PHONE, 0)
    assert towels_name in first and "ZTO Express" in first and "ZT5500009" in first and "北京顺义集散中心" in first
    assert lamp_name not in first, "only the order asked about"
    assert not re.search(r"\b\d{1,2} ?(am|pm)\b|\d+ hours?", first), "the bot never promises an hour"

    # 2. Cancel the unshipped one: a confirmation turn, then the shop's API, then the hub's copy.
    post_sms(hub, PHONE, "please cancel the desk lamp order")
    question = next_sms(fake, PHONE, 1)
    assert lamp_name in question and "yes" in question.lower() and "89.00" in question
    assert requests.get(f"{simulator}/_sim/orders/{lamp}", timeout=5).json()["cancelled_at"] is None, "not before the yes"
    post_sms(hub, PHONE, "yes")
    done = next_sms(fake, PHONE, 2)
    assert lamp_name in done and "cancelled" in done.lower()
    assert requests.get(f"{simulator}/_sim/orders/{lamp}", timeout=5).json()["cancelled_at"] is not None
    assert requests.get(simulator + "/_sim/stats", timeout=5).json()["actions"] == 1
    with db(hub) as connection:
        wait_for(lambda: sqlite3.connect(hub.database).execute(
            "SELECT cancelled_at FROM shop_order WHERE order_id = ?", (str(lamp),)).fetchone()[0] is not None)
        action = json.loads(connection.execute("SELECT data FROM event WHERE type = 'bot.action'").fetchone()[0])
        assert action["outcome"] == "done" and action["action"]["kind"] == "cancel" and action["action"]["order"] == str(lamp)
        customer = connection.execute("SELECT c.root_id FROM identity i JOIN customer c ON c.id = i.customer_id "
                                      "WHERE i.kind = 'phone' AND i.value = ?", (PHONE,)).fetchone()[0]
    timeline = requests.get(hub.url(f"/api/v1/customers/{customer}/timeline"), params={"limit": 200}, headers=AGENT, timeout=10).json()
    assert any(event["kind"] == "bot_action" and lamp_name in event["summary"] for event in timeline["events"])

    # 3. Swearing: a hand-off, the customer's place in the queue, and the summary for the agent.
    post_sms(hub, PHONE, "THIS IS RIDICULOUS!!! you are all useless, get me someone who can actually help")
    next_sms(fake, PHONE, 4)
    handoff, place = sorted(sms_to(fake, PHONE)[3:5], key=lambda text: "next in line" in text)
    assert "colleague" in handoff.lower(), handoff
    assert "next in line" in place, place
    with db(hub) as connection:
        conversation, status, priority = connection.execute(
            "SELECT id, status, priority FROM conversation WHERE channel_id = 'sms' AND thread_key = ?", (PHONE,)).fetchone()
    assert status == "queued"
    notes = requests.get(hub.url(f"/api/v1/conversations/{conversation}/notes"), headers=AGENT, timeout=10).json()["notes"]
    summary = notes[-1]["text"]
    assert notes[-1]["author"] == "bot" and "Bot hand-off" in summary and towels_name in summary and "RIDICULOUS" in summary

    # 4. Once people have it, the bot stays quiet; handed back, it answers again.
    post_sms(hub, PHONE, "where is my order")
    time.sleep(1.5)
    assert not any("ZT5500009" in text for text in sms_to(fake, PHONE)[5:]), "no bot answer after the hand-off"
    handed = requests.patch(hub.url(f"/api/v1/conversations/{conversation}"), json={"status": "bot"}, headers=AGENT, timeout=10)
    assert handed.status_code == 200 and handed.json()["status"] == "bot", handed.text
    seen = len(sms_to(fake, PHONE))
    post_sms(hub, PHONE, "where is my parcel?")
    assert "ZT5500009" in next_sms(fake, PHONE, seen)


def wx_post(hub, openid, text, msg_id, create_time=None):
    wechat_text(hub, openid, text, msg_id, WX_TOKEN, WX_AES, WX_APPID, create_time)


def wx_sent(fake, openid):
    return [body["text"]["content"] for _, body in fake.wechat_sends if body["touser"] == openid]


def test_wechat_follower_with_the_shop_phone_gets_the_parcel_and_the_48_hour_rule_holds(hub, simulator, fake, tmp_path):
    # The CRM knows the follower's openid and phone; the shop knows the phone.
    crm = tmp_path / "crm.csv"
    crm.write_text(f"name,phone,wechat_openid\n王芳,13912345600,{WX_APPID}:oWangFang\n")
    import os
    imported = subprocess.run([str(BINARY), "import", "customers", str(crm), "--manifest", str(hub.manifest_path),
                               "--database", str(hub.database)], capture_output=True, text=True,
                              env=dict(os.environ) | hub.environment, cwd=ROOT, timeout=60)
    assert imported.returncode == 0, imported.stderr
    cup, cup_name = shop_order(simulator, "+8613912345600", "保温杯 500ml", "99.00")
    assert push(simulator, hub, cup, topic="orders/create")["hub_status"] == 200
    sim(simulator, f"/_sim/fulfil/{cup}", {"tracking_company": "顺丰速运", "tracking_number": "SF1400000000077",
                                           "shipment_status": "in_transit"})
    assert push(simulator, hub, cup, topic="orders/fulfilled")["hub_status"] == 200
    wait_for(lambda: requests.get(simulator + "/_sim/track/SF1400000000077", timeout=5).json())
    sim(simulator, "/_sim/track/SF1400000000077", {"state": "5", "context": "【杭州市】快件交给小哥派送中", "status": "派件"})
    settled(hub.database)

    wx_post(hub, "oWangFang", "亲，我的快递到哪了", 880001)
    reply = wait_for(lambda: wx_sent(fake, "oWangFang"), timeout=30)[0]
    assert reply.startswith("您好，我是智能客服小T。"), "the channel's greeting opens the first answer"
    assert cup_name in reply and "顺丰速运" in reply and "SF1400000000077" in reply and "派送中" in reply

    # The rest of the flow on WeChat: a confirmed cancellation of a second, unshipped order, then a hand-off.
    lamp, lamp_name = shop_order(simulator, "+8613912345600", "护眼台灯", "129.00")
    assert push(simulator, hub, lamp, topic="orders/create")["hub_status"] == 200
    settled(hub.database)
    wx_post(hub, "oWangFang", "帮我把台灯那个订单取消了", 880003)
    question = wait_for(lambda: wx_sent(fake, "oWangFang")[1] if len(wx_sent(fake, "oWangFang")) > 1 else None, timeout=30)
    assert lamp_name in question and "是" in question and "129.00" in question and cup_name not in question
    wx_post(hub, "oWangFang", "是的", 880004)
    done = wait_for(lambda: wx_sent(fake, "oWangFang")[2] if len(wx_sent(fake, "oWangFang")) > 2 else None, timeout=30)
    assert lamp_name in done and "已取消" in done
    assert requests.get(f"{simulator}/_sim/orders/{lamp}", timeout=5).json()["cancelled_at"] is not None
    wx_post(hub, "oWangFang", "你们什么破服务！！！再这样我就投诉到12315", 880005)
    wait_for(lambda: len(wx_sent(fake, "oWangFang")) > 4, timeout=30)
    handoff, place = sorted(wx_sent(fake, "oWangFang")[3:5], key=lambda text: "下一位" in text or "前面还有" in text)
    assert "人工" in handoff and ("下一位" in place or "前面还有" in place), (handoff, place)
    with db(hub) as connection:
        conversation, status = connection.execute(
            "SELECT id, status FROM conversation WHERE channel_id = 'wx' AND thread_key = 'oWangFang'").fetchone()
    assert status == "queued"
    notes = requests.get(hub.url(f"/api/v1/conversations/{conversation}/notes"), headers=AGENT, timeout=10).json()["notes"]
    assert "Bot hand-off" in notes[-1]["text"] and lamp_name in notes[-1]["text"]

    # A message written more than 48 hours ago: the bot decides, but nothing is sent outside the window.
    wx_post(hub, "oOldFollower", "我的快递到哪了", 880002, create_time=int(time.time()) - 49 * 3600)
    with db(hub) as connection:
        message = connection.execute("SELECT m.id FROM message m JOIN conversation c ON c.id = m.conversation_id "
                                     "WHERE c.thread_key = 'oOldFollower' AND m.direction = 'in'").fetchone()[0]
    wait_for(lambda: sqlite3.connect(hub.database).execute("SELECT 1 FROM bot_turn WHERE message_id = ?", (message,)).fetchone())
    time.sleep(1)
    assert wx_sent(fake, "oOldFollower") == []
    with db(hub) as connection:
        assert connection.execute("SELECT reply_message_id FROM bot_turn WHERE message_id = ?", (message,)).fetchone()[0] is None


def test_preview_answers_without_sending_and_a_failed_action_hands_off(hub, simulator, fake):
    phone = "+8613800138222"
    kettle, kettle_name = shop_order(simulator, phone, "Electric kettle", "159.00")
    assert push(simulator, hub, kettle, topic="orders/create")["hub_status"] == 200
    settled(hub.database)
    with db(hub) as connection:
        customer = connection.execute("SELECT customer_id FROM shop_order WHERE order_id = ?", (str(kettle),)).fetchone()[0]
    preview = requests.post(hub.url("/api/v1/assist/preview"), headers=AGENT, timeout=10, json={
        "customer": customer, "channel": "sms", "turns": [{"role": "customer", "text": "cancel my order please"}]}).json()
    assert preview["intent"] == "cancel_order" and preview["handoff"] is False and kettle_name in preview["reply"]
    assert preview["grounding"]["passed"] and preview.get("action") is None
    confirmed = requests.post(hub.url("/api/v1/assist/preview"), headers=AGENT, timeout=10, json={
        "customer": customer, "turns": [{"role": "customer", "text": "cancel my order please"},
                                        {"role": "bot", "text": preview["reply"]}, {"role": "customer", "text": "yes"}]}).json()
    assert confirmed["action"] == {"kind": "cancel", "order": kettle_name} and "cancelled" in confirmed["reply"]
    assert requests.get(f"{simulator}/_sim/orders/{kettle}", timeout=5).json()["cancelled_at"] is None, "a preview runs nothing"
    assert requests.post(hub.url("/api/v1/assist/preview"), headers=AGENT, json={"turns": []}, timeout=10).status_code == 400
    assert requests.post(hub.url("/api/v1/assist/preview"), headers=AGENT, data="{", timeout=10).status_code == 400

    # The shop refuses the cancellation: the bot says so plainly and hands off.
    sim(simulator, "/_sim/config", {"fail_actions": 1})
    post_sms(hub, phone, "cancel my order please")
    wait_for(lambda: len(sms_to(fake, phone)) >= 1, timeout=30)
    post_sms(hub, phone, "yes")
    next_sms(fake, phone, 2)
    failure = next(text for text in sms_to(fake, phone)[1:] if "in line" not in text)
    assert kettle_name in failure and "couldn't cancel" in failure and "colleague" in failure
    assert requests.get(f"{simulator}/_sim/orders/{kettle}", timeout=5).json()["cancelled_at"] is None
    with db(hub) as connection:
        status = connection.execute("SELECT status FROM conversation WHERE channel_id = 'sms' AND thread_key = ?", (phone,)).fetchone()[0]
        outcome = connection.execute("SELECT action_outcome FROM bot_turn WHERE action IS NOT NULL ORDER BY message_id DESC").fetchone()[0]
    assert status == "queued" and outcome.startswith("failed")


def shipped_customer(hub, simulator, phone, title, tracking):
    order_id, name = shop_order(simulator, phone, title, "59.00")
    assert push(simulator, hub, order_id, topic="orders/create")["hub_status"] == 200
    sim(simulator, f"/_sim/fulfil/{order_id}", {"tracking_company": "ZTO Express", "tracking_number": tracking,
                                                "shipment_status": "in_transit"})
    assert push(simulator, hub, order_id, topic="orders/fulfilled")["hub_status"] == 200
    settled(hub.database)
    with db(hub) as connection:
        customer = connection.execute("SELECT customer_id FROM shop_order WHERE order_id = ?", (str(order_id),)).fetchone()[0]
    return customer, name


def test_a_language_model_may_reword_an_answer_only_when_every_fact_stays_grounded(hub, simulator, writer):
    customer, name = shipped_customer(hub, simulator, "+8613800138333", "Yoga mat", "ZT5500042")
    ask = {"customer": customer, "turns": [{"role": "customer", "text": "where is my parcel?"}]}
    writer.phrase = None
    template = requests.post(hub.url("/api/v1/assist/preview"), json=ask, headers=AGENT, timeout=10).json()
    assert template["phrasing"] == "template" and "ZT5500042" in template["reply"]
    sent = writer.requests[-1]["messages"][1]["content"]
    assert "ZT5500042" in sent and "where is my parcel?" in sent, "the model gets the bot's answer and the question"
    assert "Desk lamp" not in sent and "Bath towel set" not in sent, "and nothing of anyone else"

    writer.phrase = f"Good news: your yoga mat (order {name}) is on its way with ZTO Express, tracking number ZT5500042."
    reworded = requests.post(hub.url("/api/v1/assist/preview"), json=ask, headers=AGENT, timeout=10).json()
    assert reworded["phrasing"] == "llm" and reworded["reply"] == writer.phrase and reworded["grounding"]["passed"]

    writer.phrase = f"Your order {name} arrives tomorrow by 18:00, and here is a ¥20 coupon for the wait."
    guarded = requests.post(hub.url("/api/v1/assist/preview"), json=ask, headers=AGENT, timeout=10).json()
    assert guarded["phrasing"] == "template" and "18:00" not in guarded["reply"] and "ZT5500042" in guarded["reply"]
    assert guarded["handoff"] is False, "whether to answer never depends on the model"
    writer.phrase = None


def test_the_action_awaiting_a_yes_survives_a_restart(hub, simulator, fake):
    phone = "+8613800138444"
    order_id, name = shop_order(simulator, phone, "Tea set", "199.00")
    assert push(simulator, hub, order_id, topic="orders/create")["hub_status"] == 200
    settled(hub.database)
    post_sms(hub, phone, "I want to cancel my order")
    question = next_sms(fake, phone, 0)
    assert name in question and "yes" in question.lower()
    hub.stop()
    hub.start(timeout=120)
    sim(simulator, "/_sim/config", {"rewrite_callbacks": {PUBLIC: f"http://127.0.0.1:{hub.port}"},
                                    "hub": f"http://127.0.0.1:{hub.port}/hooks/shop"})
    post_sms(hub, phone, "yes")
    done = next_sms(fake, phone, 1)
    assert name in done and "cancelled" in done.lower()
    assert requests.get(f"{simulator}/_sim/orders/{order_id}", timeout=5).json()["cancelled_at"] is not None

