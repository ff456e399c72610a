"""Pre-signs webhook deliveries for the ingest benchmark, with the providers' own SDKs.

    python3 Benchmarks/signed_requests.py wechat|sms COUNT PUBLIC_URL > requests.tsv

One line per request: path-with-query TAB signature-header-value TAB body. Every line is a new
message (unique MsgId / MessageSid) from one of 64 returning senders, so the hub does the full
verify, decrypt, dedupe, store and identity work for each.
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
        out.write(f"/hooks/sms\t{validator.compute_signature(url, params)}\t{urllib.parse.urlencode(params)}\n")
else:
    sys.exit(f"unknown kind {kind}")
