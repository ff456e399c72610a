"""The marketplace channel against the simulator in samples/: signed webhooks, polling sync through libcurl
with pagination, a 429 and a failed page, newest-wins versions, and the same person across WeChat and the shop."""
import re
import sqlite3
import subprocess
import time

import pytest
import requests
from wechatpy.utils import WeChatSigner

from shop_simulator import running_simulator
from conftest import AGENT, BINARY, ROOT, Hub, settled, wait_for

SECRET = "shpss_hub_test_client_secret_0123456789"
TOKEN = "shpat_test_token"
WX_TOKEN = "hubtoken123"
WX_APPID = "wx1234567890abcdef"
STORE_SECRET = "whsec_aHViLXRlc3Qtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY="


@pytest.fixture(scope="module")
def simulator():
    with running_simulator(SECRET, TOKEN) as base:
        yield base


@pytest.fixture(scope="module")
def hub(tmp_path_factory, simulator):
    workdir = tmp_path_factory.mktemp("marketplace")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server:
  listen: 127.0.0.1:0
  public_url: https://hub.test
  database: {workdir / "data" / "not-this-one.sqlite"}  # serve and sync both get --database
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
identity: {{ default_region: CN }}
channels:
  - id: shop
    kind: marketplace
    settings:
      shop_domain: hub-demo.myshopify.com
      webhook_secrets: ["${{SHOP_OLD_SECRET}}", "${{SHOP_SECRET}}"]
      access_token: ${{SHOP_TOKEN}}
      api_base: {simulator}
      poll_interval: 0s
      page_size: 250
  - id: store
    kind: webhook
    plugin: {ROOT / "Plugins" / "Commerce" / "commerce.yaml"}
    settings: {{ webhook_secret: "${{STORE_SECRET}}" }}
  - id: parcels
    kind: tracking
    settings:
      customer: CUSTOMER0000000000000000000000AB
      key: ${{KD_KEY}}
      salt: ${{KD_SALT}}
      api_base: {simulator}
      query_carriers: [zhongtong]
      query_interval: 1s
  - id: wx
    kind: wechat
    settings: {{ app_id: {WX_APPID}, app_secret: "${{WX_SECRET}}", token: "${{WX_TOKEN}}", api_base: "http://127.0.0.1:9" }}
""")
    environment = {"SHOP_OLD_SECRET": "shpss_retired_secret", "SHOP_SECRET": SECRET, "SHOP_TOKEN": TOKEN, "WX_SECRET": "s",
                   "WX_TOKEN": WX_TOKEN, "KD_KEY": "KEYEXAMPLE12345", "KD_SALT": "hubsalt42",
                   "STORE_SECRET": STORE_SECRET}
    running = Hub(workdir, manifest=manifest, environment=environment).start()
    running.manifest_path = manifest
    running.environment = environment
    # The simulator reaches the hub's public URL the way a reverse proxy would.
    sim(simulator, "/_sim/config", {"rewrite_callbacks": {"https://hub.test": f"http://127.0.0.1:{running.port}"}})
    yield running
    running.stop()


def sim(simulator, path, payload=None):
    response = requests.post(simulator + path, json=payload or {}, timeout=30)
    response.raise_for_status()
    return response.json()


def sync(hub, *args):
    import os
    env = dict(os.environ) | hub.environment
    return subprocess.run([str(BINARY), "sync", "shop", "--manifest", str(hub.manifest_path), "--database", str(hub.database), *args],
                          capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def summary(output):
    return {key: int(value) for key, value in re.findall(r"^\s+(\w+)\s+(\d+)$", output, re.M)}


def db(hub):
    """The hub's database, once processing has caught up with what was acknowledged."""
    settled(hub.database)
    return sqlite3.connect(hub.database)


def push(simulator, hub, order_id, version=None, topic="orders/updated"):
    return sim(simulator, "/_sim/webhook", {"order_id": order_id, "version": version, "topic": topic, "hub_url": hub.url("/hooks/shop")})


def test_sync_2000_orders_across_pages_through_a_429_and_a_failed_page(hub, simulator):
    sim(simulator, "/_sim/seed", {"count": 2000, "phone_prefix": "+86139"})
    sim(simulator, "/_sim/config", {"throttle_pages": [3], "retry_after": 0.3, "fail_pages": {"6": 401}})
    failed = sync(hub)
    assert failed.returncode == 1 and "HTTP 401" in failed.stderr
    with db(hub) as connection:
        assert connection.execute("SELECT COUNT(*) FROM shop_order").fetchone()[0] == 5 * 250
    status = requests.get(hub.url("/api/v1/channels/shop/status"), headers=AGENT, timeout=10).json()
    assert status["resuming_page"] is True and "401" in status["last_error"]

    resumed = sync(hub)
    assert resumed.returncode == 0, resumed.stderr
    counts = summary(resumed.stdout)
    assert counts["pages"] == 3 and counts["created"] == 750 and counts["errors"] == 0
    with db(hub) as connection:
        assert connection.execute("SELECT COUNT(*) FROM shop_order").fetchone()[0] == 2000
        polled = connection.execute("SELECT COUNT(*) FROM inbox WHERE topic = 'orders/poll'").fetchone()[0]
        assert polled == 2000, "every order version stored once, the refetched page only as duplicates"
    stats = requests.get(simulator + "/_sim/stats", timeout=10).json()
    assert stats["throttled"] == 1

    again = summary(sync(hub).stdout)
    assert again["created"] == 0 and again["updated"] == 0 and again["unchanged"] >= 1
    status = requests.get(hub.url("/api/v1/channels/shop/status"), headers=AGENT, timeout=10).json()
    assert status["resuming_page"] is False and status["last_poll_succeeded_at"] and status["watermark"]


def test_late_retry_of_version_2_never_overwrites_version_3(hub, simulator):
    order_id = sim(simulator, "/_sim/seed", {"count": 1})["created"][0]
    sim(simulator, f"/_sim/orders/{order_id}", {"financial_status": "partially_refunded"})
    sim(simulator, f"/_sim/orders/{order_id}", {"financial_status": "refunded"})
    assert push(simulator, hub, order_id, version=2)["hub_status"] == 200
    assert push(simulator, hub, order_id, version=1)["hub_status"] == 200
    with db(hub) as connection:
        customer, status = connection.execute("SELECT customer_id, financial_status FROM shop_order WHERE order_id = ?",
                                              (str(order_id),)).fetchone()
    assert status == "refunded"
    orders = requests.get(hub.url(f"/api/v1/customers/{customer}/orders"), headers=AGENT, timeout=10).json()["orders"]
    assert [o["financial_status"] for o in orders if o["order_id"] == str(order_id)] == ["refunded"]


def test_webhook_bad_input(hub, simulator):
    body = b'{"id":1,"updated_at":"2024-01-01T00:00:00Z"}'
    forged = requests.post(hub.url("/hooks/shop"), data=body, headers={"X-Shopify-Topic": "orders/updated",
                                                                        "X-Shopify-Hmac-Sha256": "AAAA"}, timeout=10)
    assert forged.status_code == 401
    import base64, hashlib, hmac
    def signed(payload, topic):
        mac = base64.b64encode(hmac.new(SECRET.encode(), payload, hashlib.sha256).digest()).decode()
        return requests.post(hub.url("/hooks/shop"), data=payload, headers={"X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": mac,
                                                                             "X-Shopify-Event-Id": str(time.time())}, timeout=10)
    missing = signed(b'{"name":"#9","updated_at":"2024-01-01T00:00:00Z"}', "orders/create")
    assert missing.status_code == 400 and missing.json()["error"] == "missing_order_id"
    unknown = signed(b'{"id":5}', "app/uninstalled")
    assert unknown.status_code == 202 and unknown.json()["status"] == "ignored"
    with db(hub) as connection:
        assert connection.execute("SELECT COUNT(*) FROM shop_order WHERE order_id IN ('1', '9')").fetchone()[0] == 0


def test_the_wechat_follower_with_the_same_phone_sees_the_shop_order_and_its_shipment(hub, simulator, tmp_path):
    # The CRM knows the follower's openid and phone; the shop knows the phone.
    crm = tmp_path / "crm.csv"
    crm.write_text(f"name,phone,wechat_openid\n王芳,13912345678,{WX_APPID}:oWangFang\n")
    import os
    imported = subprocess.run([str(BINARY), "import", "customers", str(crm), "--manifest", str(hub.manifest_path),
                               "--database", str(hub.database)],
                              capture_output=True, text=True, env=dict(os.environ) | hub.environment, cwd=ROOT, timeout=60)
    assert imported.returncode == 0, imported.stderr
    timestamp, nonce = str(int(time.time())), "424242"
    signer = WeChatSigner()
    signer.add_data(WX_TOKEN, timestamp, nonce)
    xml = (f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oWangFang]]></FromUserName>"
           f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我的订单到哪了？]]></Content>"
           f"<MsgId>777001</MsgId></xml>")
    assert requests.post(hub.url("/hooks/wx"), params={"signature": signer.signature, "timestamp": timestamp, "nonce": nonce},
                         data=xml.encode(), timeout=10).text == "success"
    with db(hub) as connection:
        follower = connection.execute("SELECT c.root_id FROM identity i JOIN customer c ON c.id = i.customer_id "
                                      "WHERE i.kind = 'wechat_openid' AND i.value = ?", (f"{WX_APPID}:oWangFang",)).fetchone()[0]

    order_id = sim(simulator, "/_sim/seed", {"count": 1})["created"][0]
    sim(simulator, f"/_sim/orders/{order_id}", {"phone": "+8613912345678", "customer": None,
                                                "shipping_address": {"name": "王芳", "phone": "+86 139 1234 5678"}})
    assert push(simulator, hub, order_id, topic="orders/create")["hub_status"] == 200
    sim(simulator, f"/_sim/fulfil/{order_id}", {"tracking_number": "SF7700001", "shipment_status": "in_transit"})
    assert push(simulator, hub, order_id)["hub_status"] == 200
    sim(simulator, f"/_sim/fulfil/{order_id}", {"tracking_number": "SF7700001", "shipment_status": "delivered"})
    assert push(simulator, hub, order_id)["hub_status"] == 200
    assert push(simulator, hub, order_id)["hub_status"] == 200, "a duplicate delivery is acknowledged"

    settled(hub.database)
    orders = requests.get(hub.url(f"/api/v1/customers/{follower}/orders"), headers=AGENT, timeout=10).json()
    assert [o["order_id"] for o in orders["orders"]] == [str(order_id)]
    assert orders["orders"][0]["fulfillments"][0]["shipment_status"] == "delivered"
    timeline = requests.get(hub.url(f"/api/v1/customers/{follower}/timeline"), headers=AGENT, timeout=10).json()
    kinds = [event["kind"] for event in timeline["events"]]
    assert "message" in kinds and "order.created" in kinds
    assert kinds.count("shipment.in_transit") == 1 and kinds.count("shipment.delivered") == 1




def timeline_kinds(hub, customer):
    events = requests.get(hub.url(f"/api/v1/customers/{customer}/timeline"), params={"limit": 200}, headers=AGENT, timeout=10).json()
    return [event["kind"] for event in events["events"]]


def test_a_parcel_is_followed_from_pickup_to_delivery_and_a_duplicate_push_adds_nothing(hub, simulator):
    order_id = sim(simulator, "/_sim/seed", {"count": 1})["created"][0]
    sim(simulator, f"/_sim/fulfil/{order_id}", {"tracking_company": "SF Express", "tracking_number": "SF9900001",
                                                "shipment_status": "confirmed"})
    assert push(simulator, hub, order_id, topic="orders/fulfilled")["hub_status"] == 200
    subscription = wait_for(lambda: requests.get(simulator + "/_sim/track/SF9900001", timeout=5).json())
    assert subscription["callbackurl"] == "https://hub.test/hooks/parcels" and subscription["salt"] == "hubsalt42"
    assert subscription["company"] == "shunfeng"
    for state, context, status, repeat in [("1", "顺丰速运 已收取快件", "揽收", False), ("0", "快件已到达【深圳南山集散中心】", "在途", False),
                                           ("3", "已签收，签收人：本人", "签收", True)]:
        answer = sim(simulator, "/_sim/track/SF9900001", {"state": state, "context": context, "status": status, "repeat": repeat})
        assert all(code == 200 and '"returnCode":"200"' in body for code, body in answer["pushes"])
    with db(hub) as connection:
        customer = connection.execute("SELECT customer_id FROM shop_order WHERE order_id = ?", (str(order_id),)).fetchone()[0]
    kinds = timeline_kinds(hub, customer)
    assert kinds.count("tracking.picked_up") == 1 and kinds.count("tracking.in_transit") == 1 and kinds.count("tracking.delivered") == 1
    orders = requests.get(hub.url(f"/api/v1/customers/{customer}/orders"), headers=AGENT, timeout=10).json()["orders"]
    latest = orders[0]["fulfillments"][0]["latest_event"]
    assert latest["stage"] == "delivered" and latest["text"] == "已签收，签收人：本人"
    forged = requests.post(hub.url("/hooks/parcels"), data={"param": '{"lastResult":{"nu":"SF9900001"}}', "sign": "0" * 32}, timeout=10)
    assert forged.status_code == 401


def test_a_carrier_without_push_is_queried(hub, simulator):
    order_id = sim(simulator, "/_sim/seed", {"count": 1})["created"][0]
    sim(simulator, "/_sim/track/ZT5500001", {"state": "1", "context": "中通快递 已揽收", "status": "揽收", "push": False})
    sim(simulator, f"/_sim/fulfil/{order_id}", {"tracking_company": "ZTO Express", "tracking_number": "ZT5500001",
                                                "shipment_status": "confirmed"})
    assert push(simulator, hub, order_id, topic="orders/fulfilled")["hub_status"] == 200
    with db(hub) as connection:
        customer = connection.execute("SELECT customer_id FROM shop_order WHERE order_id = ?", (str(order_id),)).fetchone()[0]
    wait_for(lambda: "tracking.picked_up" in timeline_kinds(hub, customer))
    sim(simulator, "/_sim/track/ZT5500001", {"state": "5", "context": "快件正在派送中", "status": "派件", "push": False})
    wait_for(lambda: "tracking.out_for_delivery" in timeline_kinds(hub, customer))
    assert requests.get(simulator + "/_sim/stats", timeout=5).json()["tracking"]["queries"] >= 2
    assert requests.get(simulator + "/_sim/track/ZT5500001", timeout=5).json() == {}, "queried, never subscribed"


def post_store(hub, event_id, payload, when=None):
    import datetime
    import json as json_module
    from standardwebhooks.webhooks import Webhook
    when = when or datetime.datetime.now(tz=datetime.timezone.utc)
    body = json_module.dumps(payload, ensure_ascii=False)
    headers = {"webhook-id": event_id, "webhook-timestamp": str(int(when.timestamp())),
               "webhook-signature": Webhook(STORE_SECRET).sign(event_id, when, body), "Content-Type": "application/json"}
    return requests.post(hub.url("/hooks/store"), data=body.encode(), headers=headers, timeout=10)


def test_a_standard_webhooks_shop_feeds_orders_and_shipments_newest_wins(hub):
    order = {"order_id": "ST-77", "name": "#ST-77", "payment_status": "paid", "status": "unfulfilled", "currency": "CNY",
             "total": "88.00", "customer": {"id": "c-9", "phone": "+8613700001111", "name": "李雷"}}
    assert post_store(hub, "evt_1", {"type": "order.created", "timestamp": "2024-05-01T10:00:00Z", "data": order}).status_code == 200
    newer = order | {"payment_status": "refunded"}
    assert post_store(hub, "evt_3", {"type": "order.updated", "timestamp": "2024-05-01T12:00:00Z", "data": newer}).status_code == 200
    late = order | {"payment_status": "partially_refunded"}
    assert post_store(hub, "evt_2", {"type": "order.updated", "timestamp": "2024-05-01T11:00:00Z", "data": late}).status_code == 200
    shipped = {"order_id": "ST-77", "shipment_id": "SH-1", "status": "in_transit", "tracking_number": "YT100200", "carrier": "YTO"}
    assert post_store(hub, "evt_4", {"type": "shipment.updated", "timestamp": "2024-05-01T13:00:00Z", "data": shipped}).status_code == 200
    # The sender's retry is a new attempt: same webhook-id, a later webhook-timestamp.
    import datetime
    later = datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(seconds=5)
    retry = post_store(hub, "evt_4", {"type": "shipment.updated", "timestamp": "2024-05-01T13:00:00Z", "data": shipped}, when=later)
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    ignored = post_store(hub, "evt_5", {"type": "refund.created", "timestamp": "2024-05-01T14:00:00Z", "data": {}})
    assert ignored.status_code == 202
    missing = post_store(hub, "evt_6", {"type": "order.created", "timestamp": "2024-05-01T14:00:00Z", "data": {"total": "1"}})
    assert missing.status_code == 400 and missing.json()["error"] == "missing_order_id"
    with db(hub) as connection:
        customer, status = connection.execute("SELECT customer_id, financial_status FROM shop_order WHERE channel_id = 'store'").fetchone()
    assert status == "refunded"
    orders = requests.get(hub.url(f"/api/v1/customers/{customer}/orders"), headers=AGENT, timeout=10).json()["orders"]
    store_orders = [o for o in orders if o["channel"] == "store"]
    assert store_orders[0]["fulfillments"][0]["shipment_status"] == "in_transit"
    assert store_orders[0]["fulfillments"][0]["tracking_number"] == "YT100200"
