"""Outbound webhooks: events from the log delivered to integrators' endpoints, signed as Standard
Webhooks (checked with the standardwebhooks SDK), retried with backoff when an endpoint fails, dead-lettered
after give_up_after, listed and replayed through the API; a dead or slow endpoint holds up no other."""
import http.server
import json
import socket
import threading
import time

import pytest
import requests
from standardwebhooks.webhooks import Webhook

from conftest import AGENT, Hub, post_chat, wait_for

SECRET = "whsec_aHViLXRlc3Qtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY="


class Receiver:
    """An integrator's endpoint: /flaky fails the first two attempts of each message, /slow never answers in time."""

    def __init__(self):
        self.attempts = {}  # webhook-id -> list of (status, headers, body)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/slow":
                    time.sleep(3)
                message_id = self.headers.get("webhook-id", "")
                with receiver.lock:
                    seen = receiver.attempts.setdefault((self.path, message_id), [])
                    status = 500 if self.path == "/flaky" and len(seen) < 2 else 204
                    seen.append((status, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of(self, path):
        with self.lock:
            return {key[1]: list(value) for key, value in self.attempts.items() if key[0] == path}

    def stop(self):
        self.server.shutdown()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, receiver):
    workdir = tmp_path_factory.mktemp("webhooks")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server: {{ listen: 127.0.0.1:0 }}
agents:
  - {{ name: ada, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
webhooks:
  - {{ id: crm, url: "http://127.0.0.1:{receiver.port}/flaky", events: [message.received], secret: "${{CRM_SECRET}}",
      first_retry: 1s }}
  - {{ id: gone, url: "http://127.0.0.1:{closed_port()}/hooks", secret: "${{CRM_SECRET}}", first_retry: 200ms, give_up_after: 1s }}
  - {{ id: slow, url: "http://127.0.0.1:{receiver.port}/slow", events: [message.received], secret: "${{CRM_SECRET}}",
      timeout: 500ms, first_retry: 1s, give_up_after: 1h }}
channels:
  - id: web
    kind: webchat
    settings: {{ allowed_origins: ["*"] }}
""")
    running = Hub(workdir, manifest=manifest, environment={"CRM_SECRET": SECRET}).start()
    yield running
    running.stop()


def deliveries(hub, webhook, state=None):
    params = {"state": state} if state else {}
    response = requests.get(hub.url(f"/api/v1/webhooks/{webhook}/deliveries"), params=params, headers=AGENT, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]


def test_a_failing_endpoint_gets_signed_retries_until_it_answers(hub, receiver):
    sent = [post_chat(hub, {"id": f"w-{n}-5d0c3a8e1f7b4c2e", "text": f"hello {n}"}).json() for n in range(3)]
    flaky = wait_for(lambda: (lambda seen: seen if len(seen) == 3 and all(len(a) == 3 for a in seen.values()) else None)(
        receiver.of("/flaky")), timeout=30)
    verifier = Webhook(SECRET)
    texts, customers = [], set()
    for message_id, attempts in flaky.items():
        assert [status for status, _, _ in attempts] == [500, 500, 204]
        for _, headers, body in attempts:
            # The SDK checks the signature over id, timestamp and the exact body.
            payload = verifier.verify(body.decode(), {k.lower(): v for k, v in headers.items()})
            assert headers["webhook-id"] == message_id == f"evt_{payload['seq']}"
            assert payload["type"] == "message.received"
        first, second, third = (float(a[1]["webhook-timestamp"]) for a in attempts)
        assert second - first >= 0.5 and third - second >= 3, "waits grow: about 1 s, then 5 s"
        texts.append(payload["data"]["message"]["text"])
        customers.add(payload["data"]["customer"])
    assert sorted(texts) == ["hello 0", "hello 1", "hello 2"]
    assert customers == {m["customer"] for m in sent}, "each event carries its message's customer"

    listed = deliveries(hub, "crm")
    assert len(listed) == 3 and all(d["state"] == "delivered" and d["attempts"] == 3 and d["last_status"] == 204 for d in listed)
    assert all(d["type"] == "message.received" for d in listed)
    # Only the types asked for: no customer.created or conversation.opened went to crm.
    assert len(receiver.of("/flaky")) == 3


def test_a_dead_endpoint_is_dead_lettered_and_replayable_and_slow_ones_hold_up_nobody(hub, receiver):
    post_chat(hub, {"id": "dead-1-5d0c3a8e1f7b4c2e", "text": "for everyone"})
    dead = wait_for(lambda: deliveries(hub, "gone", "dead"), timeout=30)
    assert all(d["attempts"] >= 2 and "CURLE_COULDNT_CONNECT" in d["last_error"] for d in dead)
    # Every event type goes to an endpoint without an events filter.
    assert {"customer.created", "conversation.opened", "message.received"} <= {d["type"] for d in deliveries(hub, "gone")}
    replay = requests.post(hub.url(f"/api/v1/webhooks/gone/deliveries/{dead[0]['id']}/replay"), headers=AGENT, timeout=10)
    assert replay.status_code == 202, replay.text
    assert replay.json()["state"] == "pending" and replay.json()["attempts"] == 0
    again = requests.post(hub.url(f"/api/v1/webhooks/gone/deliveries/{dead[0]['id']}/replay"), headers=AGENT, timeout=10)
    assert again.status_code in (202, 409)
    missing = requests.post(hub.url("/api/v1/webhooks/gone/deliveries/999999/replay"), headers=AGENT, timeout=10)
    assert missing.status_code == 404 and missing.json()["error"] == "unknown_delivery"
    assert requests.get(hub.url("/api/v1/webhooks/nope/deliveries"), headers=AGENT, timeout=10).status_code == 404

    # The slow endpoint times out and is retried, while crm got this message at once.
    slow = wait_for(lambda: [d for d in deliveries(hub, "slow") if d["attempts"] >= 1 and d.get("last_error")], timeout=30)
    assert "CURLE_OPERATION_TIMEDOUT" in slow[0]["last_error"]
    wait_for(lambda: any(json.loads(a[0][2])["data"]["message"]["text"] == "for everyone" for a in receiver.of("/flaky").values()),
             timeout=5)
