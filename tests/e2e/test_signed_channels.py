"""WeChat, SMS and declarative channels end to end: traffic signed and encrypted by the providers'
own SDKs (wechatpy, twilio, standardwebhooks), replies sent by the hub through libcurl to a fake
provider API that speaks the real wire format."""
import datetime
import json
import sqlite3
import time
import uuid

import pytest
import requests
import xmltodict
from standardwebhooks.webhooks import Webhook
from twilio.request_validator import RequestValidator
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from conftest import AGENT, ROOT, Hub, settled, wait_for

WX_TOKEN = "hubtoken123"
WX_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WX_APPID = "wx1234567890abcdef"
TWILIO_TOKEN = "12345678901234567890123456789012"
TG_SECRET = "hub_tg_secret-0123456789_ABC"
SW_SECRET = "whsec_aHViLXRlc3Qtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY="
PUBLIC = "https://hub.test"


@pytest.fixture(scope="module")
def hub(tmp_path_factory, fake):
    workdir = tmp_path_factory.mktemp("signed")
    plugin = workdir / "shop-chat.yaml"
    plugin.write_text("""
name: shopchat
settings: { secret: secret }
inbound:
  auth: { scheme: standard_webhooks, secret: "{{settings.secret}}", tolerance: 5m }
  map: { conversation: /data/customer_id, text: /data/text, sender_name: /data/name, sender_phone: /data/phone }
""")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server:
  listen: 127.0.0.1:0
  public_url: {PUBLIC}
  max_body_bytes: 65536
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
identity: {{ default_region: US }}
outbox: {{ max_attempts: 4, initial_backoff: 100ms, max_backoff: 1s }}
channels:
  - id: wx
    kind: wechat
    settings:
      app_id: {WX_APPID}
      app_secret: ${{WX_SECRET}}
      token: ${{WX_TOKEN}}
      encoding_aes_key: ${{WX_AES}}
      api_base: {fake.base}
      welcome_reply: 欢迎关注 Tributary
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "{fake.base}", help_reply: "Tributary: reply STOP to opt out." }}
  - id: telegram
    kind: webhook
    plugin: {ROOT / "Plugins" / "Telegram" / "telegram.yaml"}
    settings: {{ bot_token: "${{TG_BOT}}", secret_token: "${{TG_SECRET}}", api_base: "{fake.base}" }}
  - id: shop-chat
    kind: webhook
    plugin: shop-chat.yaml
    settings: {{ secret: "${{SW_SECRET}}" }}
""")
    running = Hub(workdir, manifest=manifest, environment={
        "WX_SECRET": "wx-app-secret", "WX_TOKEN": WX_TOKEN, "WX_AES": WX_AES, "TWILIO_TOKEN": TWILIO_TOKEN,
        "TG_BOT": "123:ABC", "TG_SECRET": TG_SECRET, "SW_SECRET": SW_SECRET}).start()
    yield running
    running.stop()


def db(hub):
    """The hub's database, once processing has caught up with what was acknowledged."""
    settled(hub.database)
    connection = sqlite3.connect(hub.database)
    connection.row_factory = sqlite3.Row
    return connection


def messages(hub, channel, thread=None):
    with db(hub) as connection:
        sql = ("SELECT m.*, c.thread_key FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.channel_id = ?"
               + (" AND c.thread_key = ?" if thread else "") + " ORDER BY m.id")
        return [dict(row) for row in connection.execute(sql, (channel, thread) if thread else (channel,))]


def conversation_id(hub, channel, thread):
    with db(hub) as connection:
        return connection.execute("SELECT id FROM conversation WHERE channel_id = ? AND thread_key = ?", (channel, thread)).fetchone()[0]


def opted_out(hub, channel, thread):
    """Read through `db`, so the STOP or START acknowledged before has been applied (the reply API does not wait)."""
    with db(hub) as connection:
        row = connection.execute("SELECT opted_out FROM channel_contact WHERE channel_id = ? AND thread_key = ?", (channel, thread)).fetchone()
        return bool(row and row[0])


def reply(hub, conversation, text):
    return requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), json={"text": text}, headers=AGENT, timeout=10)




# ---------------------------------------------------------------- WeChat

def wx_query(nonce="1320562132", timestamp=None):
    timestamp = str(timestamp or int(time.time()))
    signer = WeChatSigner()
    signer.add_data(WX_TOKEN, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce}


def wx_text(openid, text, msg_id, create_time=None):
    return (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def post_wx(hub, plain_xml, crypto=None, appid=WX_APPID):
    """Encrypts with wechatpy exactly as WeChat's servers do in safe mode, then posts."""
    crypto = crypto or WeChatCrypto(WX_TOKEN, WX_AES, appid)
    nonce = str(uuid.uuid4().int % 10**9)
    timestamp = str(int(time.time()))
    envelope = xmltodict.parse(crypto.encrypt_message(plain_xml, nonce, timestamp))["xml"]
    query = wx_query(nonce, timestamp) | {"openid": "x", "encrypt_type": "aes", "msg_signature": envelope["MsgSignature"]}
    body = f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
    return requests.post(hub.url("/hooks/wx"), params=query, data=body.encode(), headers={"Content-Type": "text/xml"}, timeout=10)


def test_wechat_url_check_echoes_only_for_the_right_token(hub):
    query = wx_query() | {"echostr": "6428732847289384711"}
    response = requests.get(hub.url("/hooks/wx"), params=query, timeout=10)
    assert response.status_code == 200 and response.text == "6428732847289384711"
    query["signature"] = "0" * 40
    assert requests.get(hub.url("/hooks/wx"), params=query, timeout=10).status_code == 401


def test_wechat_safe_mode_message_is_stored_once_and_acknowledged_with_success(hub):
    response = post_wx(hub, wx_text("oAlice", "我的订单到哪了？", 9001))
    assert response.status_code == 200 and response.text == "success"
    again = post_wx(hub, wx_text("oAlice", "我的订单到哪了？", 9001))
    assert again.status_code == 200 and again.text == "success"
    stored = messages(hub, "wx", "oAlice")
    assert [m["provider_message_id"] for m in stored] == ["9001"]
    assert json.loads(stored[0]["parts"])[0]["text"] == "我的订单到哪了？"


def test_wechat_wrong_key_or_appid_is_refused_and_nothing_stored(hub):
    before = len(messages(hub, "wx"))
    wrong_key = WeChatCrypto(WX_TOKEN, "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut", WX_APPID)
    assert post_wx(hub, wx_text("oMallory", "hi", 9100), crypto=wrong_key).status_code in (400, 401)
    wrong_app = WeChatCrypto(WX_TOKEN, WX_AES, "wxOTHER0000000000")
    response = post_wx(hub, wx_text("oMallory", "hi", 9101), crypto=wrong_app)
    assert response.status_code == 401 and response.json()["error"] == "wrong_appid"
    plain = requests.post(hub.url("/hooks/wx"), params=wx_query(), data=wx_text("oMallory", "hi", 9102).encode(), timeout=10)
    assert plain.status_code == 401
    assert len(messages(hub, "wx")) == before


def test_wechat_follow_gets_an_encrypted_welcome_that_wechatpy_decrypts(hub):
    crypto = WeChatCrypto(WX_TOKEN, WX_AES, WX_APPID)
    event = (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oBob]]></FromUserName>"
             f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
             f"<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_store42]]></EventKey></xml>")
    response = post_wx(hub, event)
    assert response.status_code == 200
    envelope = xmltodict.parse(response.text)["xml"]
    plain = crypto.decrypt_message(response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    welcome = parse_message(plain)
    assert welcome.type == "text" and welcome.content == "欢迎关注 Tributary"
    assert welcome.target == "oBob" and welcome.source == "gh_0123456789ab"
    with db(hub) as connection:
        kinds = [row[0] for row in connection.execute("SELECT kind FROM timeline_event WHERE channel_id = 'wx' AND kind LIKE 'wechat.%'")]
    assert "wechat.subscribe" in kinds
    assert not [m for m in messages(hub, "wx") if m["thread_key"] == "oBob"], "an event is not a chat message"


def test_wechat_reply_refreshes_an_expired_token_once_and_honours_the_quota(hub, fake):
    post_wx(hub, wx_text("oCarol", "hello", 9200))
    conversation = conversation_id(hub, "wx", "oCarol")
    fake.expire_next_token = True
    assert reply(hub, conversation, "您好，马上为您查询").status_code == 201
    sent = wait_for(lambda: [s for s in fake.wechat_sends if s[1]["touser"] == "oCarol"])
    assert sent[0][1] == {"touser": "oCarol", "msgtype": "text", "text": {"content": "您好，马上为您查询"}}
    assert fake.token_fetches == 2, "one refresh after 42001, not one per send"
    for number in range(4):
        assert reply(hub, conversation, f"follow-up {number}").status_code == 201
    refused = reply(hub, conversation, "a sixth reply")
    assert refused.status_code == 409 and refused.json()["error"] == "reply_quota_exhausted"
    wait_for(lambda: len([s for s in fake.wechat_sends if s[1]["touser"] == "oCarol"]) == 5)
    assert fake.token_fetches == 2


def test_wechat_outside_the_48_hour_window_is_refused_before_sending(hub):
    post_wx(hub, wx_text("oDave", "old question", 9300, create_time=int(time.time()) - 49 * 3600))
    refused = reply(hub, conversation_id(hub, "wx", "oDave"), "too late")
    assert refused.status_code == 409 and refused.json()["error"] == "outside_reply_window"
    assert "48 hours" in refused.json()["message"]


def test_wechat_45015_from_the_provider_fails_the_send_without_retrying(hub, fake):
    fake.wechat_errors["oErin"] = 45015
    post_wx(hub, wx_text("oErin", "hi", 9400))
    assert reply(hub, conversation_id(hub, "wx", "oErin"), "are you there?").status_code == 201
    failed = wait_for(lambda: [m for m in messages(hub, "wx", "oErin") if m["direction"] == "out" and m["status"] == "failed"])
    assert "45015" in failed[0]["delivery_detail"]
    time.sleep(0.5)
    assert len([s for s in fake.wechat_sends if s[1]["touser"] == "oErin"]) == 1


def test_wechat_malformed_and_oversized_bodies(hub):
    response = requests.post(hub.url("/hooks/wx"), params=wx_query() | {"encrypt_type": "aes", "msg_signature": "x"},
                             data=b"<xml><Encrypt>", timeout=10)
    assert response.status_code == 400 and response.json()["error"] == "malformed_xml"
    huge = requests.post(hub.url("/hooks/wx"), params=wx_query(), data=b"x" * 70000, timeout=10)
    assert huge.status_code == 413


# ---------------------------------------------------------------- SMS

def post_sms(hub, params, token=TWILIO_TOKEN):
    url = f"{PUBLIC}/hooks/sms"
    signature = RequestValidator(token).compute_signature(url, params)
    return requests.post(hub.url("/hooks/sms"), data=params, headers={"X-Twilio-Signature": signature}, timeout=10)


def sms(sender, body, sid=None):
    return {"MessageSid": sid or f"SM{uuid.uuid4().hex}", "AccountSid": "AC33333333333333333333333333333333", "From": sender,
            "To": "+14155550100", "Body": body, "NumMedia": "0", "SmsStatus": "received", "ApiVersion": "2010-04-01"}


def test_sms_signed_by_the_twilio_sdk_is_accepted_and_a_wrong_token_is_not(hub):
    response = post_sms(hub, sms("+14155550123", "Where is my order?", "SMaaa"))
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/xml")
    assert "<Response/>" in response.text
    assert post_sms(hub, sms("+14155550123", "Where is my order?", "SMaaa")).status_code == 200
    assert post_sms(hub, sms("+14155550123", "forged", "SMbbb"), token="0" * 32).status_code == 401
    stored = messages(hub, "sms", "+14155550123")
    assert [m["provider_message_id"] for m in stored] == ["SMaaa"]


def test_sms_reply_retries_5xx_then_status_callbacks_only_move_forward(hub, fake):
    post_sms(hub, sms("+14155550124", "hello"))
    fake.twilio_failures = [(503, {"code": 20500, "message": "busy"}), (500, {"message": "oops"})]
    assert reply(hub, conversation_id(hub, "sms", "+14155550124"), "Your parcel ships today").status_code == 201
    sent = wait_for(lambda: [m for m in messages(hub, "sms", "+14155550124") if m["direction"] == "out" and m["provider_message_id"]])
    attempts = [f for f in fake.twilio_sends if f["To"] == "+14155550124"]
    assert len(attempts) == 3
    assert attempts[-1]["From"] == "+14155550100" and attempts[-1]["Body"] == "Your parcel ships today"
    assert attempts[-1]["StatusCallback"] == f"{PUBLIC}/hooks/sms"
    sid = sent[0]["provider_message_id"]
    callback = {"MessageSid": sid, "AccountSid": "AC33333333333333333333333333333333", "To": "+14155550124", "From": "+14155550100"}
    for status in ["delivered", "sent", "delivered", "queued"]:
        assert post_sms(hub, callback | {"MessageStatus": status, "SmsStatus": status}).status_code == 200
    final = [m for m in messages(hub, "sms", "+14155550124") if m["provider_message_id"] == sid][0]
    assert final["status"] == "delivered" and final["delivery_detail"] == "delivered"


def test_sms_stop_blocks_replies_until_start_and_21610_is_not_retried(hub, fake):
    post_sms(hub, sms("+14155550125", "hi"))
    conversation = conversation_id(hub, "sms", "+14155550125")
    post_sms(hub, sms("+14155550125", "STOP"))
    assert opted_out(hub, "sms", "+14155550125")
    refused = reply(hub, conversation, "promo")
    assert refused.status_code == 409 and refused.json()["error"] == "recipient_opted_out"
    help_reply = post_sms(hub, sms("+14155550125", "HELP"))
    assert "<Message>Tributary: reply STOP to opt out.</Message>" in help_reply.text
    post_sms(hub, sms("+14155550125", "START"))
    assert not opted_out(hub, "sms", "+14155550125")
    assert reply(hub, conversation, "welcome back").status_code == 201

    fake.twilio_opted_out.add("+14155550126")
    post_sms(hub, sms("+14155550126", "hi"))
    assert reply(hub, conversation_id(hub, "sms", "+14155550126"), "hello?").status_code == 201
    failed = wait_for(lambda: [m for m in messages(hub, "sms", "+14155550126") if m["direction"] == "out" and m["status"] == "failed"])
    assert "21610" in failed[0]["delivery_detail"]
    time.sleep(0.5)
    assert len([f for f in fake.twilio_sends if f["To"] == "+14155550126"]) == 1


# ---------------------------------------------------------------- Telegram and Standard Webhooks

def test_telegram_plugin_receives_dedupes_and_replies(hub, fake):
    update = json.loads((ROOT / "samples" / "payloads" / "telegram_update.json").read_text())
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    response = requests.post(hub.url("/hooks/telegram"), json=update, headers=headers, timeout=10)
    assert response.status_code == 200 and response.text == ""
    assert requests.post(hub.url("/hooks/telegram"), json=update, headers=headers, timeout=10).status_code == 200
    wrong = requests.post(hub.url("/hooks/telegram"), json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}, timeout=10)
    assert wrong.status_code == 401
    stored = messages(hub, "telegram", "5566778899")
    assert len(stored) == 1 and stored[0]["author_name"] == "San Zhang"
    assert reply(hub, conversation_id(hub, "telegram", "5566778899"), "It ships tomorrow").status_code == 201
    path, body = wait_for(lambda: fake.telegram_sends)[0]
    assert path == "/bot123:ABC/sendMessage" and body == {"chat_id": "5566778899", "text": "It ships tomorrow"}
    wait_for(lambda: [m for m in messages(hub, "telegram") if m["provider_message_id"] == "9001"])


def test_standard_webhooks_channel_accepts_sdk_signatures_and_refuses_replays(hub):
    body = json.dumps({"type": "chat.message", "data": {"customer_id": "c-77", "text": "Is #1042 paid?", "name": "Lin",
                                                        "phone": "+14155550177"}})
    signer = Webhook(SW_SECRET)
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    headers = {"webhook-id": "msg_e2e_1", "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": signer.sign("msg_e2e_1", now, body), "Content-Type": "application/json"}
    assert requests.post(hub.url("/hooks/shop-chat"), data=body, headers=headers, timeout=10).status_code == 200
    replay = requests.post(hub.url("/hooks/shop-chat"), data=body, headers=headers, timeout=10)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed"
    later = now + datetime.timedelta(seconds=2)
    retry = headers | {"webhook-timestamp": str(int(later.timestamp())), "webhook-signature": signer.sign("msg_e2e_1", later, body)}
    assert requests.post(hub.url("/hooks/shop-chat"), data=body, headers=retry, timeout=10).json()["status"] == "duplicate"
    stale = now - datetime.timedelta(minutes=10)
    old = headers | {"webhook-id": "msg_e2e_2", "webhook-timestamp": str(int(stale.timestamp())),
                     "webhook-signature": signer.sign("msg_e2e_2", stale, body)}
    assert requests.post(hub.url("/hooks/shop-chat"), data=body, headers=old, timeout=10).status_code == 401
    wrong = Webhook("whsec_" + "d3Jvbmcta2V5LTAxMjM0NTY3ODlhYmNkZWY=")
    forged = headers | {"webhook-id": "msg_e2e_3", "webhook-signature": wrong.sign("msg_e2e_3", now, body)}
    assert requests.post(hub.url("/hooks/shop-chat"), data=body, headers=forged, timeout=10).status_code == 401
    assert len(messages(hub, "shop-chat")) == 1
