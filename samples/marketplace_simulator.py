#!/usr/bin/env python3
"""A Shopify-compatible shop for demos and tests: the REST orders API with cursor pagination,
the call-limit header and 429s, and signed webhooks pushed to the hub. It also plays a
Kuaidi100-style tracking provider: subscriptions (POST /poll), realtime queries
(POST /poll/query.do) and signed push callbacks.

    python3 samples/marketplace_simulator.py --port 8090 --orders 50 --hub http://127.0.0.1:8080/hooks/shop

Control endpoints (JSON) let tests script the shop:
    POST /_sim/seed        {"count": 2000, "phone_prefix": "+86138"}   create orders
    POST /_sim/orders/ID   {"financial_status": "refunded", ...}       change an order (a new version)
    POST /_sim/fulfil/ID   {"tracking_number": "SF1", "shipment_status": "in_transit"}
    POST /_sim/webhook     {"order_id": ID, "version": N, "topic": "orders/updated"}   push a signed delivery
    POST /_sim/track/NUM   {"state": "1", "context": "已揽收", "status": "揽收", "repeat": false}
                           add a scan and push the trace to the subscriber (twice with repeat)
    POST /_sim/config      {"throttle_pages": [3], "retry_after": 0.2, "fail_pages": {"5": 401}, "fail_actions": 1,
                            "hub": "http://127.0.0.1:8080/hooks/shop"}
                           answer 429 (or the given status) once on those page numbers; refuse the next
                           N order actions with a 500

The bot's order actions, Shopify's Admin REST wire format (X-Shopify-Access-Token):
    POST /admin/api/VERSION/orders/ID/cancel.json   cancel an unfulfilled order (422 once fulfilled)
    PUT  /admin/api/VERSION/orders/ID.json          {"order": {"id": ID, "shipping_address": {...}}}
Each change is pushed to the hub as a signed orders/cancelled or orders/updated webhook.
    GET  /_sim/stats
"""
import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Tracker:
    """Kuaidi100's wire format: MD5 signatures in upper-case hex, China-time scans, newest first."""

    def __init__(self, key, customer):
        self.key, self.customer = key, customer
        self.lock = threading.Lock()
        self.subscriptions = {}   # number -> {callbackurl, salt, company, phone}
        self.traces = {}          # number -> {"state", "data": [...]}
        self.stats = {"subscribed": 0, "queries": 0, "pushes": 0}
        # A reverse proxy's view: the public callback prefix and where it really goes.
        self.rewrites = {}

    @staticmethod
    def md5(text):
        return hashlib.md5(text.encode()).hexdigest().upper()

    def subscribe(self, param):
        with self.lock:
            number = param["number"]
            if number in self.subscriptions:
                return {"result": False, "returnCode": "501", "message": "重复订阅"}
            if param.get("key") != self.key:
                return {"result": False, "returnCode": "600", "message": "您不是合法的订阅者"}
            self.subscriptions[number] = dict(param.get("parameters", {}), company=param.get("company"))
            self.stats["subscribed"] += 1
            return {"result": True, "returnCode": "200", "message": "提交成功"}

    def trace(self, number):
        entry = self.traces.get(number, {"state": "0", "data": []})
        company = self.subscriptions.get(number, {}).get("company") or "shunfeng"
        return {"message": "ok", "state": entry["state"], "status": "200", "condition": "F00",
                "ischeck": "1" if entry["state"].startswith("3") else "0", "com": company, "nu": number, "data": entry["data"]}

    def query(self, form):
        with self.lock:
            self.stats["queries"] += 1
            if self.md5(form.get("param", "") + self.key + self.customer) != form.get("sign") or form.get("customer") != self.customer:
                return {"result": False, "returnCode": "601", "message": "sign error"}
            return self.trace(json.loads(form["param"])["num"])

    def scan(self, number, state, context, status):
        with self.lock:
            entry = self.traces.setdefault(number, {"state": state, "data": []})
            stamp = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
            stamp = max(stamp, datetime.datetime.strptime(entry["data"][0]["ftime"], "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=stamp.tzinfo) + datetime.timedelta(seconds=1)) if entry["data"] else stamp
            text = stamp.strftime("%Y-%m-%d %H:%M:%S")
            entry["state"] = state
            entry["data"].insert(0, {"context": context, "time": text, "ftime": text, "status": status, "statusCode": state,
                                     "areaName": "广东,深圳市"})
            return self.trace(number)

    def push(self, number):
        subscription = self.subscriptions.get(number)
        if not subscription:
            return None
        finished = self.traces.get(number, {}).get("state", "0").startswith("3")
        param = json.dumps({"status": "shutdown" if finished else "polling", "billstatus": "", "message": "", "autoCheck": "0",
                            "comOld": "", "comNew": "", "lastResult": self.trace(number)}, ensure_ascii=False, separators=(",", ":"))
        body = urllib.parse.urlencode({"param": param, "sign": self.md5(param + subscription.get("salt", ""))}).encode()
        target = subscription["callbackurl"]
        for public, internal in self.rewrites.items():
            if target.startswith(public):
                target = internal + target[len(public):]
        request = urllib.request.Request(target, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.stats["pushes"] += 1
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class Shop:
    def __init__(self, secret, token, domain="hub-demo.myshopify.com"):
        self.secret, self.token, self.domain = secret, token, domain
        self.lock = threading.Lock()
        self.orders = {}          # id -> current order dict
        self.versions = {}        # id -> [(event_id, order dict)] every version ever
        self.clock = int(time.time()) - 86400
        self.next_id = 5551000000000
        self.throttle_pages = set()
        self.fail_pages = {}      # page number -> HTTP status answered once
        self.retry_after = 0.2
        self.fail_actions = 0
        self.hub_url = None       # where action webhooks go, when set by /_sim/config {"hub": URL}
        self.stats = {"requests": 0, "pages": 0, "throttled": 0, "webhooks": 0, "orders_served": 0, "actions": 0}
        # Shopify's REST limit is a leaky bucket: standard plans hold 40 calls and leak 2 a second.
        self.bucket_size, self.leak_rate = 40, 2.0
        self.level, self.leaked_at = 0.0, time.monotonic()

    def tick(self):
        # Every change gets a later updated_at (second resolution, like Shopify).
        self.clock = max(self.clock + 1, int(time.time()))
        return self.clock

    def seed(self, count, phone_prefix="+86138", email_domain="example.cn"):
        with self.lock:
            created = []
            for _ in range(count):
                self.next_id += 1
                oid = self.next_id
                n = oid % 100000000
                ts = self.tick()
                phone = f"{phone_prefix}{n:08d}"[-14:]
                order = {
                    "id": oid, "name": f"#{oid % 100000}", "order_number": oid % 100000,
                    "email": f"buyer{n}@{email_domain}", "phone": phone,
                    "created_at": iso(ts), "updated_at": iso(ts), "cancelled_at": None,
                    "currency": "CNY", "total_price": f"{100 + n % 900}.00",
                    "financial_status": "paid", "fulfillment_status": None,
                    "customer": {"id": 7000000000000 + n, "email": f"buyer{n}@{email_domain}", "phone": phone,
                                 "first_name": "Buyer", "last_name": str(n), "verified_email": True},
                    "shipping_address": {"name": f"Buyer {n}", "phone": phone},
                    "line_items": [{"id": oid * 10, "title": "保温杯 500ml", "sku": "CUP-500", "quantity": 1,
                                    "price": f"{100 + n % 900}.00"}],
                    "fulfillments": [],
                }
                self._store(order)
                created.append(oid)
            return created

    def _store(self, order):
        self.orders[order["id"]] = order
        self.versions.setdefault(order["id"], []).append((str(uuid.uuid4()), copy.deepcopy(order)))

    def change(self, oid, changes):
        with self.lock:
            order = copy.deepcopy(self.orders[oid])
            order.update(changes)
            order["updated_at"] = iso(self.tick())
            self._store(order)
            return order

    def fulfil(self, oid, fields):
        with self.lock:
            order = copy.deepcopy(self.orders[oid])
            ts = self.tick()
            existing = order["fulfillments"][0] if order["fulfillments"] else None
            shipment = existing or {"id": 4400000000000 + oid % 100000000, "order_id": oid, "status": "success",
                                    "name": order["name"] + ".1", "created_at": iso(ts)}
            shipment.update({"tracking_company": fields.get("tracking_company", "SF Express"),
                             "tracking_number": fields.get("tracking_number", f"SF{oid % 10**10:010d}"),
                             "tracking_url": fields.get("tracking_url"),
                             "shipment_status": fields.get("shipment_status", "confirmed"), "updated_at": iso(ts)})
            order["fulfillments"] = [shipment]
            order["fulfillment_status"] = "fulfilled"
            order["updated_at"] = iso(ts)
            self._store(order)
            return order

    def act(self, oid, kind, payload):
        """A bot action: (status, body). Fulfilled orders can be neither cancelled nor readdressed."""
        with self.lock:
            self.stats["actions"] += 1
            if self.fail_actions > 0:
                self.fail_actions -= 1
                return 500, {"errors": "simulated failure"}
            if oid not in self.orders:
                return 404, {"errors": "Not Found"}
            order = copy.deepcopy(self.orders[oid])
            if order["cancelled_at"]:
                return 422, {"errors": {"base": ["The order has already been cancelled"]}}
            if order["fulfillments"]:
                return 422, {"errors": {"base": ["Cannot change an order that has been fulfilled"]}}
            ts = self.tick()
            if kind == "cancel":
                order["cancelled_at"] = iso(ts)
                order["cancel_reason"] = payload.get("reason", "customer")
                if order["financial_status"] == "paid":
                    order["financial_status"] = "refunded"
            else:
                address = dict(order.get("shipping_address") or {})
                address.update(payload.get("order", {}).get("shipping_address", {}))
                order["shipping_address"] = address
            order["updated_at"] = iso(ts)
            self._store(order)
            return 200, {"order": order}

    def page(self, query, base):
        """One page of GET orders.json, Shopify's cursor rules: page_info only with limit/fields."""
        with self.lock:
            self.stats["pages"] += 1
            limit = min(int(query.get("limit", 50)), 250)
            if "page_info" in query:
                if set(query) - {"page_info", "limit", "fields"}:
                    return 400, {}, {"errors": "page_info cannot be passed with other filters"}
                state = json.loads(base64.urlsafe_b64decode(query["page_info"] + "=="))
            else:
                since = parse_iso(query["updated_at_min"]) if "updated_at_min" in query else 0
                state = {"since": since, "after": None, "page": 1}
            rows = sorted(self.orders.values(), key=lambda o: (parse_iso(o["updated_at"]), o["id"]))
            rows = [o for o in rows if parse_iso(o["updated_at"]) >= state["since"]]
            if state["after"]:
                after = tuple(state["after"])
                rows = [o for o in rows if (parse_iso(o["updated_at"]), o["id"]) > after]
            page_rows, rest = rows[:limit], rows[limit:]
            headers = {}
            if rest:
                last = page_rows[-1]
                token = base64.urlsafe_b64encode(json.dumps(
                    {"since": state["since"], "after": [parse_iso(last["updated_at"]), last["id"]], "page": state["page"] + 1}
                ).encode()).decode().rstrip("=")
                headers["Link"] = f'<{base}?limit={limit}&page_info={token}>; rel="next"'
            self.stats["orders_served"] += len(page_rows)
            return 200, headers, {"orders": copy.deepcopy(page_rows)}, state["page"]

    def sign(self, body):
        return base64.b64encode(hmac.new(self.secret.encode(), body, hashlib.sha256).digest()).decode()

    def push(self, hub_url, oid, version=None, topic="orders/updated"):
        with self.lock:
            event_id, order = self.versions[oid][-1 if version is None else version]
        body = json.dumps(order, ensure_ascii=False, separators=(",", ":")).encode()
        request = urllib.request.Request(hub_url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": self.sign(body),
            "X-Shopify-Shop-Domain": self.domain, "X-Shopify-API-Version": "2025-01",
            "X-Shopify-Webhook-Id": str(uuid.uuid4()), "X-Shopify-Event-Id": event_id,
            "X-Shopify-Triggered-At": order["updated_at"]})
        self.stats["webhooks"] += 1
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def make_handler(shop, hub_url, tracker):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, payload, headers=None):
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def body(self):
            length = int(self.headers.get("Content-Length", 0))
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            shop.stats["requests"] += 1
            if url.path == "/_sim/stats":
                return self.send(200, shop.stats | {"tracking": tracker.stats})
            if url.path.startswith("/_sim/track/"):
                return self.send(200, tracker.subscriptions.get(url.path.rsplit("/", 1)[1]) or {})
            if url.path.startswith("/_sim/orders/"):
                return self.send(200, shop.orders[int(url.path.rsplit("/", 1)[1])])
            if url.path.startswith("/admin/api/") and url.path.endswith("/orders.json"):
                if self.headers.get("X-Shopify-Access-Token") != shop.token:
                    return self.send(401, {"errors": "[API] Invalid API key or access token"})
                with shop.lock:
                    now = time.monotonic()
                    shop.level = max(0.0, shop.level - (now - shop.leaked_at) * shop.leak_rate)
                    shop.leaked_at = now
                    if shop.level + 1 > shop.bucket_size:
                        shop.stats["throttled"] += 1
                        wait = (shop.level + 1 - shop.bucket_size) / shop.leak_rate
                        return self.send(429, {"errors": "Exceeded 2 calls per second for api client."},
                                         {"Retry-After": f"{wait:.1f}"})
                    shop.level += 1
                    level = shop.level
                base = f"http://{self.headers.get('Host')}{url.path}"
                outcome = shop.page(query, base)
                if outcome[0] != 200:
                    return self.send(outcome[0], outcome[2])
                status, headers, payload, page_number = outcome
                if page_number in shop.fail_pages:
                    return self.send(shop.fail_pages.pop(page_number), {"errors": "simulated failure"})
                if page_number in shop.throttle_pages:
                    shop.throttle_pages.discard(page_number)
                    shop.stats["throttled"] += 1
                    return self.send(429, {"errors": "Exceeded 2 calls per second for api client."},
                                     {"Retry-After": str(shop.retry_after)})
                headers["X-Shopify-Shop-Api-Call-Limit"] = f"{int(level + 0.999)}/{shop.bucket_size}"
                return self.send(status, payload, headers)
            self.send(404, {"errors": "Not Found"})

        def authorised(self):
            if self.headers.get("X-Shopify-Access-Token") != shop.token:
                self.send(401, {"errors": "[API] Invalid API key or access token"})
                return False
            return True

        def action(self, oid, kind, payload, topic):
            status, body = shop.act(oid, kind, payload)
            self.send(status, body)
            if status == 200:
                # Like Shopify, the change also arrives as a webhook, a moment later.
                threading.Thread(target=lambda: (time.sleep(0.05), shop.push(shop.hub_url or hub_url, oid, None, topic)),
                                 daemon=True).start()

        def do_PUT(self):
            url = urllib.parse.urlparse(self.path)
            parts = url.path.strip("/").split("/")
            if len(parts) == 5 and parts[:2] == ["admin", "api"] and parts[3] == "orders" and parts[4].endswith(".json"):
                if not self.authorised():
                    return
                return self.action(int(parts[4][:-5]), "address", self.body(), "orders/updated")
            self.send(404, {"errors": "Not Found"})

        def form(self):
            length = int(self.headers.get("Content-Length", 0))
            return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))

        def do_POST(self):
            url = urllib.parse.urlparse(self.path)
            if url.path == "/poll":
                return self.send(200, tracker.subscribe(json.loads(self.form()["param"])))
            if url.path == "/poll/query.do":
                return self.send(200, tracker.query(self.form()))
            parts = url.path.strip("/").split("/")
            if len(parts) == 6 and parts[:2] == ["admin", "api"] and parts[3] == "orders" and parts[5] == "cancel.json":
                payload = self.body()
                if not self.authorised():
                    return
                return self.action(int(parts[4]), "cancel", payload, "orders/cancelled")
            data = self.body()
            if url.path.startswith("/_sim/track/"):
                number = url.path.rsplit("/", 1)[1]
                trace = tracker.scan(number, str(data.get("state", "0")), data.get("context", "运输中"), data.get("status", "在途"))
                pushes = [tracker.push(number) for _ in range(2 if data.get("repeat") else 1)] if data.get("push", True) else []
                return self.send(200, {"trace": trace, "pushes": pushes})
            if url.path == "/_sim/seed":
                return self.send(200, {"created": shop.seed(int(data.get("count", 1)), data.get("phone_prefix", "+86138"))})
            if url.path.startswith("/_sim/orders/"):
                return self.send(200, shop.change(int(url.path.rsplit("/", 1)[1]), data))
            if url.path.startswith("/_sim/fulfil/"):
                return self.send(200, shop.fulfil(int(url.path.rsplit("/", 1)[1]), data))
            if url.path == "/_sim/webhook":
                status, text = shop.push(data.get("hub_url", hub_url), int(data["order_id"]), data.get("version"),
                                         data.get("topic", "orders/updated"))
                return self.send(200, {"hub_status": status, "hub_body": text})
            if url.path == "/_sim/config":
                shop.throttle_pages = set(data.get("throttle_pages", []))
                shop.fail_pages = {int(k): v for k, v in data.get("fail_pages", {}).items()}
                shop.retry_after = float(data.get("retry_after", shop.retry_after))
                shop.fail_actions = int(data.get("fail_actions", shop.fail_actions))
                shop.hub_url = data.get("hub", shop.hub_url)
                tracker.rewrites = data.get("rewrite_callbacks", tracker.rewrites)
                return self.send(200, {"ok": True})
            self.send(404, {"errors": "Not Found"})

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--orders", type=int, default=25)
    parser.add_argument("--secret", default="shpss_demo_webhook_secret")
    parser.add_argument("--token", default="shpat_demo_access_token")
    parser.add_argument("--hub", default="http://127.0.0.1:8080/hooks/shop", help="where signed webhooks go")
    parser.add_argument("--bucket", type=int, default=40, help="API call bucket size (Shopify Plus: 400)")
    parser.add_argument("--leak", type=float, default=2.0, help="calls the bucket leaks a second (Shopify Plus: 20)")
    parser.add_argument("--kd-key", default="KEYEXAMPLE12345", help="the tracking provider's key")
    parser.add_argument("--kd-customer", default="CUSTOMER0000000000000000000000AB")
    parser.add_argument("--live", type=float, default=0, help="every N seconds change a random order and push its webhook")
    args = parser.parse_args()
    shop = Shop(args.secret, args.token)
    shop.bucket_size, shop.leak_rate = args.bucket, args.leak
    shop.seed(args.orders)
    tracker = Tracker(args.kd_key, args.kd_customer)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(shop, args.hub, tracker))
    print(f"marketplace simulator on http://127.0.0.1:{server.server_address[1]} with {args.orders} orders", flush=True)
    if args.live:
        def live():
            import random
            while True:
                time.sleep(args.live)
                oid = random.choice(list(shop.orders))
                shop.fulfil(oid, {"shipment_status": random.choice(["in_transit", "out_for_delivery", "delivered"])})
                try:
                    shop.push(args.hub, oid)
                except OSError:
                    pass
        threading.Thread(target=live, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
