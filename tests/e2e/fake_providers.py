"""A local stand-in for the WeChat, Twilio and Telegram APIs, speaking their wire formats.

Tests script its answers (expired tokens, 45015, 503s, 21610) and read what the hub sent.
"""
import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProviders:
    def __init__(self):
        self.lock = threading.Lock()
        self.token_fetches = 0
        self.valid_tokens = set()
        self.expire_next_token = False
        self.wechat_sends = []          # (token, json body) the hub posted
        self.wechat_errors = {}         # openid -> errcode to answer
        self.twilio_sends = []          # form dicts the hub posted
        self.twilio_failures = []       # queued (status, json) answers before success
        self.twilio_opted_out = set()   # numbers answered with 21610
        self.telegram_sends = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, payload):
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self):
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/cgi-bin/token":
                    if query.get("appid") != "wx1234567890abcdef" or query.get("secret") != "wx-app-secret":
                        return self.reply(200, {"errcode": 40013, "errmsg": "invalid appid"})
                    with fake.lock:
                        fake.token_fetches += 1
                        token = f"TOKEN{fake.token_fetches}"
                        # The first token is handed out already revoked when the test asks for it.
                        if not fake.expire_next_token:
                            fake.valid_tokens.add(token)
                        fake.expire_next_token = False
                    return self.reply(200, {"access_token": token, "expires_in": 7200})
                self.reply(404, {"error": "not found"})

            def do_POST(self):
                url = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                raw = self.body()
                if url.path == "/cgi-bin/message/custom/send":
                    message = json.loads(raw)
                    with fake.lock:
                        token = query.get("access_token")
                        if token not in fake.valid_tokens:
                            return self.reply(200, {"errcode": 42001, "errmsg": "access_token expired"})
                        fake.wechat_sends.append((token, message))
                        code = fake.wechat_errors.get(message["touser"])
                    if code:
                        return self.reply(200, {"errcode": code, "errmsg": "response out of time limit or subscription is canceled"})
                    return self.reply(200, {"errcode": 0, "errmsg": "ok"})
                if url.path.startswith("/2010-04-01/Accounts/") and url.path.endswith("/Messages.json"):
                    expected = "Basic " + base64.b64encode(b"AC33333333333333333333333333333333:12345678901234567890123456789012").decode()
                    if self.headers.get("Authorization") != expected:
                        return self.reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    form = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
                    with fake.lock:
                        fake.twilio_sends.append(form)
                        if form["To"] in fake.twilio_opted_out:
                            return self.reply(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient",
                                                    "status": 400})
                        if fake.twilio_failures:
                            status, payload = fake.twilio_failures.pop(0)
                            return self.reply(status, payload)
                        sid = f"SM{len(fake.twilio_sends):032d}"
                    return self.reply(201, {"sid": sid, "status": "queued", "to": form["To"], "body": form.get("Body")})
                if url.path.startswith("/bot") and url.path.endswith("/sendMessage"):
                    message = json.loads(raw)
                    with fake.lock:
                        fake.telegram_sends.append((url.path, message))
                        number = 9000 + len(fake.telegram_sends)
                    return self.reply(200, {"ok": True, "result": {"message_id": number, "chat": {"id": int(message["chat_id"])},
                                                                 "text": message["text"]}})
                self.reply(404, {"error": "not found"})

        return Handler
