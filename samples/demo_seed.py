#!/usr/bin/env python3
"""Fills a fresh `make run` hub for the console: a demo admin and a demo agent (local use only, like
`demo-token`) and a few customers writing on web chat and SMS, one of them a shop buyer of the simulator.

Runs once per database: when the demo agent already exists it changes nothing. Standard library only."""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

DEMO_ACCOUNTS = [
    {"name": "Demo Admin", "email": "admin@demo.tributary", "password": "lotus-harbor-2026", "role": "admin", "teams": ["cn", "en"]},
    {"name": "李娜", "email": "agent@demo.tributary", "password": "river-lantern-2026", "role": "agent", "teams": ["cn", "en"],
     "languages": ["zh", "en", "mix"]},
]


def call(url, body=None, headers=None, form=False):
    data = None
    headers = dict(headers or {})
    if body is not None and form:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(hub, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if call(f"{hub}/readyz")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def twilio_signature(token, url, params):
    """Twilio's X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form fields, base64."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub", default="http://127.0.0.1:8080")
    parser.add_argument("--public-url", default="http://127.0.0.1:8080", help="server.public_url, which Twilio signs")
    parser.add_argument("--token", default="demo-token")
    parser.add_argument("--twilio-token", default="demo-auth-token")
    arguments = parser.parse_args()
    if not wait_ready(arguments.hub):
        sys.exit("demo seed: the hub never became ready")
    bearer = {"Authorization": f"Bearer {arguments.token}"}
    created = 0
    for account in DEMO_ACCOUNTS:
        status, body = call(f"{arguments.hub}/api/v1/agents", account, bearer)
        if status == 201:
            created += 1
        elif not (status == 400 and b"duplicate_email" in body):
            sys.exit(f"demo seed: creating {account['email']} failed: {status} {body[:200]!r}")
    if created == 0:
        print("demo seed: already seeded")
        return

    # A shop buyer of the simulator (Buyer 1, +8613800000001) writes by SMS: the phone makes them one customer.
    sms = {"MessageSid": "SMdemo0000000000000000000000000001", "AccountSid": "AC00000000000000000000000000000000",
           "From": "+8613800000001", "To": "+15005550006", "Body": "我上周买的东西还没到，能帮我查一下吗？", "NumMedia": "0",
           "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    signature = twilio_signature(arguments.twilio_token, f"{arguments.public_url}/hooks/sms", sms)
    call(f"{arguments.hub}/hooks/sms", sms, {"X-Twilio-Signature": signature}, form=True)
    # Web chat visitors; the second gives Buyer 2's e-mail, which is only proposed as a merge (it is not verified).
    for visitor in [
        {"text": "你好，优惠券怎么用？", "name": "王小明"},
        {"text": "Hi, can I still change the delivery address of my order?", "name": "Emma", "email": "buyer2@example.cn"},
        {"text": "The mug arrived broken. I want a refund, this is the second time!", "name": "Tom"},
    ]:
        call(f"{arguments.hub}/chat/web/messages", visitor)
    print("demo seed: console at /console; admin@demo.tributary / lotus-harbor-2026, agent@demo.tributary / river-lantern-2026")


if __name__ == "__main__":
    main()
