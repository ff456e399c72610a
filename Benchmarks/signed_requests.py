"""Pre-signs webhook deliveries for the ingest benchmark, with the providers' own SDKs.

    python3 Benchmarks/signed_requests.py wechat|sms|shopify COUNT PUBLIC_URL > requests.tsv

One line per request: path-with-query TAB headers ("Name: value|Name: value" or -) TAB body.
Every line is a new delivery (unique MsgId / MessageSid / event id): messages from one of 64
returning senders, or `orders/updated` versions of 2,000 orders, so the hub does the full verify,
decrypt, dedupe, store and identity work for each.
"""
import sys
import time
import uuid

kind, count, public_url = sys.argv[1], int(sys.argv[2]), sys.argv[3].rstrip("/")
out = sys.stdout

if kind == "wechat":
    import xmltodict
    from wechatpy.crypto import WeChatCrypto
    from wechatpy.utils import WeChatSigner

    token, key, appid = "hubtoken123", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx1234567890abcdef"
    crypto = WeChatCrypto(token, key, appid)
    timestamp = str(int(time.time()))
    for n in range(count):
        nonce = str(100000000 + n)
        plain = (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oBench{n % 64:02d}]]></FromUserName>"
                 f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                 f"<Content><![CDATA[订单 #{n} 到哪了？]]></Content><MsgId>{7000000000000 + n}</MsgId></xml>")
        envelope = xmltodict.parse(crypto.encrypt_message(plain, nonce, timestamp))["xml"]
        signer = WeChatSigner()
        signer.add_data(token, timestamp, nonce)
        query = (f"/hooks/wx?signature={signer.signature}&timestamp={timestamp}&nonce={nonce}&openid=oBench{n % 64:02d}"
                 f"&encrypt_type=aes&msg_signature={envelope['MsgSignature']}")
        body = f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        out.write(f"{query}\t-\t{body}\n")
elif kind == "sms":
    import urllib.parse
    from twilio.request_validator import RequestValidator

    validator = RequestValidator("demo-auth-token")
    url = f"{public_url}/hooks/sms"
    for n in range(count):
        params = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC00000000000000000000000000000000",
                  "From": f"+1415555{n % 64:04d}", "To": "+15005550006", "Body": f"Where is order #{n}?", "NumMedia": "0",
                  "SmsStatus": "received", "ApiVersion": "2010-04-01"}
        out.write(f"/hooks/sms\tX-Twilio-Signature: {validator.compute_signature(url, params)}\t{urllib.parse.urlencode(params)}\n")
elif kind == "shopify":
    import base64
    import hashlib
    import hmac
    import json

    secret = b"shpss_bench_secret"
    start = int(time.time()) - 86400
    for n in range(count):
        order_id = 5551000000000 + n % 2000
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(start + n))
        order = {"id": order_id, "name": f"#{n % 2000}", "email": f"buyer{n % 2000}@example.cn", "created_at": stamp,
                 "updated_at": stamp, "currency": "CNY", "total_price": "199.00", "financial_status": "paid",
                 "fulfillment_status": None, "customer": {"id": 7000000 + n % 2000, "phone": f"+86138{n % 2000:08d}"},
                 "line_items": [{"title": "保温杯", "sku": "CUP", "quantity": 1, "price": "199.00"}]}
        body = json.dumps(order, ensure_ascii=False, separators=(",", ":"))
        mac = base64.b64encode(hmac.new(secret, body.encode(), hashlib.sha256).digest()).decode()
        headers = f"X-Shopify-Topic: orders/updated|X-Shopify-Hmac-Sha256: {mac}|X-Shopify-Event-Id: bench-{n}"
        out.write(f"/hooks/shop\t{headers}\t{body}\n")
else:
    sys.exit(f"unknown kind {kind}")
