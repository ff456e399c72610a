"""Fuzzing every signed channel through the real binary: generated deliveries that pass verification
(encrypted by wechatpy, signed by twilio's validator, by standardwebhooks, with Shopify's and Kuaidi100's
schemes, with Telegram's secret header) go through accept, the inbox and the processing stage's decode.
The hub must answer each with a 2xx or a 4xx, never crash or hang, and leave every stored delivery
processed or failed with a reason.

FUZZ_CASES (default 10000) sets the deliveries per channel; FUZZ_SEED the generator's seed.
The long run: FUZZ_CASES=200000 python3 -m pytest -q tests/e2e/test_fuzz.py
"""
import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import random
import sqlite3
import threading
import time
import urllib.parse

import pytest
import requests
from standardwebhooks.webhooks import Webhook
from twilio.request_validator import RequestValidator
from wechatpy.crypto import WeChatCrypto

from conftest import ROOT, Hub, settled

CASES = int(os.environ.get("FUZZ_CASES", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261202"))
WORKERS = 8

WX_TOKEN = "hubtoken123"
WX_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WX_APPID = "wx1234567890abcdef"
TWILIO_TOKEN = "12345678901234567890123456789012"
TG_SECRET = "hub_tg_secret-0123456789_ABC"
SHOP_SECRET = "shpss_fuzz_secret_0123456789"
STORE_SECRET = "whsec_aHViLXRlc3Qtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY="
KD_SALT = "hubsalt42"
PUBLIC = "https://hub.test"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fuzz")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server: {{ listen: 127.0.0.1:0, public_url: {PUBLIC}, max_body_bytes: 65536 }}
# The fuzzer sends as fast as it can: the rate limit is not what it tests (test_limits.py does).
limits: {{ hooks: {{ rate: 1000000/s, burst: 1000000 }} }}
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
channels:
  - id: wx
    kind: wechat
    settings: {{ app_id: {WX_APPID}, app_secret: "${{WX_SECRET}}", token: "${{WX_TOKEN}}", encoding_aes_key: "${{WX_AES}}",
                api_base: "http://127.0.0.1:9" }}
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "http://127.0.0.1:9" }}
  - id: telegram
    kind: webhook
    plugin: {ROOT / "Plugins" / "Telegram" / "telegram.yaml"}
    settings: {{ bot_token: "${{TG_BOT}}", secret_token: "${{TG_SECRET}}", api_base: "http://127.0.0.1:9" }}
  - id: shop
    kind: marketplace
    settings: {{ shop_domain: fuzz.myshopify.com, webhook_secrets: ["${{SHOP_SECRET}}"], access_token: "${{SHOP_TOKEN}}",
                api_base: "http://127.0.0.1:9", poll_interval: 0s }}
  - id: store
    kind: webhook
    plugin: {ROOT / "Plugins" / "Commerce" / "commerce.yaml"}
    settings: {{ webhook_secret: "${{STORE_SECRET}}" }}
  - id: parcels
    kind: tracking
    settings: {{ customer: CUSTOMER0000000000000000000000AB, key: "${{KD_KEY}}", salt: "${{KD_SALT}}", api_base: "http://127.0.0.1:9" }}
""")
    running = Hub(workdir, manifest=manifest, environment={
        "WX_SECRET": "s", "WX_TOKEN": WX_TOKEN, "WX_AES": WX_AES, "TWILIO_TOKEN": TWILIO_TOKEN, "TG_BOT": "1:A",
        "TG_SECRET": TG_SECRET, "SHOP_SECRET": SHOP_SECRET, "SHOP_TOKEN": "t", "STORE_SECRET": STORE_SECRET,
        "KD_KEY": "k", "KD_SALT": KD_SALT}, log_level="warning").start()
    yield running
    running.stop()


# Values that have broken parsers before: signs, sizes, encodings, markup inside text.
NASTY_NUMBERS = ["-1", "0", "1", "-9223372036854775808", "9223372036854775807", "99999999999999999999999", "1e308", "NaN",
                 "0x10", " 7", "", "-0", "3.5", "١٢", "１２"]
NASTY_TEXT = ["", " ", "\u0000", "\ufffd", "🙂" * 50, "]]>", "<![CDATA[", "&amp;", "&#0;", "&#x110000;", "&unknown;", "%", "%zz",
              "a" * 5000, "\r\n\r\n", "订单", "\u202e", "<xml>", "\\u0000", "null", "{}", "[]", "=", "&"]


def nasty_number(rng):
    return rng.choice(NASTY_NUMBERS) if rng.random() < 0.6 else str(rng.randint(-10**12, 10**12))


def nasty_text(rng):
    if rng.random() < 0.5:
        return rng.choice(NASTY_TEXT)
    alphabet = "abc xyz 你好 订单 0123456789 <>&;\"'/\\%+=-_.:@#" + "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(8))
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))


def nasty_json_value(rng, depth=0):
    roll = rng.random()
    if roll < 0.2:
        return rng.randint(-2**63, 2**63)
    if roll < 0.3:
        return rng.choice([None, True, False, 1.5, -0.0, 1e300])
    if roll < 0.6 or depth > 2:
        return nasty_text(rng)
    if roll < 0.8:
        return [nasty_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {nasty_text(rng)[:10]: nasty_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def mutate(rng, obj, depth=0):
    """Replaces, drops or retypes fields of a realistic payload."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            roll = rng.random()
            if roll < 0.08:
                continue
            out[key] = nasty_json_value(rng) if roll < 0.25 else mutate(rng, value, depth + 1)
        if rng.random() < 0.1:
            out[nasty_text(rng)[:12]] = nasty_json_value(rng)
        return out
    if isinstance(obj, list):
        items = [mutate(rng, item, depth + 1) for item in obj if rng.random() > 0.1]
        if rng.random() < 0.1:
            items.append(nasty_json_value(rng))
        return items
    return nasty_json_value(rng) if rng.random() < 0.3 else obj


def wechat_xml(rng, index):
    kind = rng.choice(["text", "image", "voice", "video", "shortvideo", "location", "link", "event", "file", nasty_text(rng)])
    fields = {"ToUserName": "gh_1", "FromUserName": rng.choice([f"o{index}", "", nasty_text(rng)]),
              "CreateTime": str(int(time.time())) if rng.random() < 0.8 else nasty_number(rng), "MsgType": kind,
              "MsgId": str(10**15 + index) if rng.random() < 0.9 else rng.choice([nasty_number(rng), ""])}
    extra = {"Content": nasty_text(rng), "PicUrl": nasty_text(rng), "MediaId": nasty_text(rng), "Format": "amr",
             "Recognition": nasty_text(rng), "Location_X": nasty_number(rng), "Location_Y": nasty_number(rng),
             "Scale": nasty_number(rng), "Label": nasty_text(rng), "Title": nasty_text(rng), "Url": nasty_text(rng),
             "Event": rng.choice(["subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "LOCATION", nasty_text(rng)]),
             "EventKey": nasty_text(rng), "Latitude": nasty_number(rng), "Longitude": nasty_number(rng),
             "Precision": nasty_number(rng)}
    for key, value in extra.items():
        if rng.random() < 0.5:
            fields[key] = value
    for key in list(fields):
        if rng.random() < 0.05:
            del fields[key]
    parts = []
    for key, value in fields.items():
        value = value.replace("]]>", "]]]]><![CDATA[>")
        parts.append(f"<{key}><![CDATA[{value}]]></{key}>" if rng.random() < 0.95 else f"<{key}>{value}</{key}>")
    xml = "<xml>" + "".join(parts) + "</xml>"
    if rng.random() < 0.05:
        xml = xml[: rng.randint(0, len(xml))]
    if rng.random() < 0.03:
        xml = '<!DOCTYPE xml [<!ENTITY e "boom">]>' + xml
    return xml


def wechat_delivery(rng, index, crypto):
    nonce, timestamp = str(rng.randint(1, 10**9)), str(int(time.time()))
    encrypted = crypto.encrypt_message(wechat_xml(rng, index), nonce, timestamp)
    fields = {tag: encrypted.split(f"<{tag}>")[1].split(f"</{tag}>")[0] for tag in ("MsgSignature", "TimeStamp", "Nonce")}
    query = {"msg_signature": fields["MsgSignature"].replace("<![CDATA[", "").replace("]]>", ""),
             "timestamp": fields["TimeStamp"], "nonce": fields["Nonce"].replace("<![CDATA[", "").replace("]]>", ""),
             "encrypt_type": "aes"}
    # A valid plain signature too: the hub checks `signature` on every POST.
    query["signature"] = hashlib.sha1("".join(sorted([WX_TOKEN, query["timestamp"], query["nonce"]])).encode()).hexdigest()
    return "/hooks/wx?" + urllib.parse.urlencode(query), encrypted.encode(), {"Content-Type": "text/xml"}


def sms_delivery(rng, index, validator):
    params = {"MessageSid": rng.choice([f"SM{index:032d}", "", nasty_text(rng)]), "AccountSid": "AC33333333333333333333333333333333",
              "From": rng.choice(["+14155550123", "+8613800138000", "", nasty_text(rng), nasty_number(rng)]),
              "To": "+14155550100", "Body": nasty_text(rng), "NumMedia": nasty_number(rng)}
    for slot in range(rng.randint(0, 3)):
        params[f"MediaUrl{rng.choice([slot, -1, 10**6])}"] = nasty_text(rng)
        params[f"MediaContentType{slot}"] = rng.choice(["image/jpeg", "application/pdf", nasty_text(rng)])
    if rng.random() < 0.3:
        params["MessageStatus"] = rng.choice(["queued", "sent", "delivered", "undelivered", "failed", "read", nasty_text(rng)])
        params["ErrorCode"] = nasty_number(rng)
    params = {key: value for key, value in params.items() if rng.random() > 0.05}
    url = PUBLIC + "/hooks/sms"
    signature = validator.compute_signature(url, params)
    return "/hooks/sms", urllib.parse.urlencode(params).encode(), {
        "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}


SHOP_ORDER = json.loads((ROOT / "samples" / "payloads" / "shopify_order_updated.json").read_text())
SHOP_FULFILMENT = json.loads((ROOT / "samples" / "payloads" / "shopify_fulfillment_update.json").read_text())
STORE_ORDER = json.loads((ROOT / "samples" / "payloads" / "standard_webhook_order_updated.json").read_text())
TELEGRAM_UPDATE = json.loads((ROOT / "samples" / "payloads" / "telegram_update.json").read_text())


def shop_delivery(rng, index):
    topic = rng.choice(["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "fulfillments/create",
                        "fulfillments/update", "customers/create", "customers/update", "app/uninstalled",
                        "".join(rng.choice("abcxyz/_-0123456789") for _ in range(rng.randint(0, 20)))])
    base = SHOP_FULFILMENT if topic.startswith("fulfillments") else SHOP_ORDER
    body = json.dumps(mutate(rng, base), ensure_ascii=rng.random() < 0.5).encode()
    if rng.random() < 0.03:
        body = body[: rng.randint(0, len(body))]
    digest = base64.b64encode(hmac.new(SHOP_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return "/hooks/shop", body, {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": digest,
                                 "X-Shopify-Event-Id": f"fuzz-{index}", "X-Shopify-Shop-Domain": "fuzz.myshopify.com"}


def store_delivery(rng, index, webhook):
    payload = mutate(rng, STORE_ORDER)
    if isinstance(payload, dict) and rng.random() < 0.5:
        payload["type"] = rng.choice(["order.created", "order.updated", "shipment.updated", nasty_text(rng)])
    body = json.dumps(payload, ensure_ascii=False)
    if rng.random() < 0.03:
        body = body[: rng.randint(0, len(body))]
    when = datetime.datetime.now(tz=datetime.timezone.utc)
    message_id = f"msg_fuzz_{index}"
    return "/hooks/store", body.encode(), {"Content-Type": "application/json", "webhook-id": message_id,
                                           "webhook-timestamp": str(int(when.timestamp())),
                                           "webhook-signature": webhook.sign(message_id, when, body)}


def telegram_delivery(rng, index):
    update = mutate(rng, TELEGRAM_UPDATE)
    if isinstance(update, dict) and rng.random() < 0.7:
        update["update_id"] = rng.choice([index, -index, 2**70, nasty_text(rng)])
    body = json.dumps(update, ensure_ascii=rng.random() < 0.5).encode()
    return "/hooks/telegram", body, {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}


def kuaidi_delivery(rng, index):
    checkpoints = [{"context": nasty_text(rng), "time": rng.choice(["2024-01-02 03:04:05", nasty_text(rng), nasty_number(rng)]),
                    "ftime": nasty_text(rng), "status": nasty_text(rng), "areaName": nasty_text(rng)}
                   for _ in range(rng.randint(0, 4))]
    param = {"status": rng.choice(["polling", "shutdown", "abort", nasty_text(rng)]), "message": nasty_text(rng),
             "lastResult": {"message": "ok", "state": rng.choice(["0", "1", "3", "5", "14", "99", "-1", nasty_text(rng)]),
                            "status": "200", "condition": nasty_text(rng), "ischeck": rng.choice(["0", "1", nasty_text(rng)]),
                            "com": rng.choice(["shunfeng", "zhongtong", nasty_text(rng)]),
                            "nu": rng.choice([f"SF{index}", "", nasty_text(rng)]), "data": checkpoints}}
    text = json.dumps(mutate(rng, param) if rng.random() < 0.3 else param, ensure_ascii=False)
    sign = hashlib.md5((text + KD_SALT).encode()).hexdigest().upper()
    return "/hooks/parcels", urllib.parse.urlencode({"param": text, "sign": sign}).encode(), {
        "Content-Type": "application/x-www-form-urlencoded"}


def flood(hub, make):
    """Posts CASES generated deliveries from WORKERS threads; returns the status counts."""
    counts, lock, local = {}, threading.Lock(), threading.local()

    def send(index):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.rng = random.Random(SEED * 1000 + index)
        path, body, headers = make(local.rng, index)
        response = local.session.post(hub.url(path), data=body, headers=headers, timeout=30)
        with lock:
            counts[response.status_code] = counts.get(response.status_code, 0) + 1
        if response.status_code >= 400:
            assert response.headers.get("content-type", "").startswith("application/json"), response.text[:200]
            assert "error" in response.json()

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(send, index) for index in range(CASES)]:
            future.result()
    return counts


def check_survived(hub, counts, channel):
    assert hub.process.poll() is None, f"the hub died during the {channel} flood"
    assert sum(counts.values()) == CASES
    assert all(status < 500 for status in counts), f"{channel}: server errors {counts}"
    assert sum(n for status, n in counts.items() if status < 300) > CASES // 10, f"{channel}: too few accepted to fuzz decode: {counts}"
    settled(hub.database, timeout=120)
    with sqlite3.connect(hub.database) as db:
        states = dict(db.execute("SELECT state, COUNT(*) FROM inbox WHERE channel_id = ? GROUP BY state", (channel,)).fetchall())
        unexplained = db.execute(
            "SELECT COUNT(*) FROM inbox WHERE channel_id = ? AND state = 'failed' AND (last_error IS NULL OR last_error = '')",
            (channel,)).fetchone()[0]
    assert set(states) <= {"processed", "failed"}, states
    assert unexplained == 0, "every failed delivery says why"
    assert requests.get(hub.url("/healthz"), timeout=5).status_code == 200
    print(f"{channel}: {CASES} deliveries, answers {dict(sorted(counts.items()))}, inbox {states}")


def test_wechat_deliveries_encrypted_by_wechatpy(hub):
    crypto = WeChatCrypto(WX_TOKEN, WX_AES, WX_APPID)
    check_survived(hub, flood(hub, lambda rng, i: wechat_delivery(rng, i, crypto)), "wx")


def test_sms_deliveries_signed_by_twilio(hub):
    validator = RequestValidator(TWILIO_TOKEN)
    check_survived(hub, flood(hub, lambda rng, i: sms_delivery(rng, i, validator)), "sms")


def test_shopify_deliveries(hub):
    check_survived(hub, flood(hub, shop_delivery), "shop")


def test_standard_webhooks_deliveries(hub):
    webhook = Webhook(STORE_SECRET)
    check_survived(hub, flood(hub, lambda rng, i: store_delivery(rng, i, webhook)), "store")


def test_telegram_deliveries(hub):
    check_survived(hub, flood(hub, telegram_delivery), "telegram")


def test_kuaidi100_deliveries(hub):
    check_survived(hub, flood(hub, kuaidi_delivery), "parcels")
