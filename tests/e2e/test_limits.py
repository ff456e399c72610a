"""Limits of the running binary, over real sockets: token buckets answer 429 with Retry-After per token and
address on /api, per channel on /hooks, per address on logins and per address and channel on the public chat
(its socket answers an error frame and stays open), and serve again after the wait; a head with
a control character gets 400 and a closed connection; half a request, or a kept-alive connection left idle, is
closed after its timeout; an address over its connection cap is turned away while others are served."""
import json
import socket
import threading
import time

import pytest
import requests
import websocket

from conftest import AGENT, Hub, wait_for

LIMITS = {
    "TRIBUTARY_API_RATE": "5/s", "TRIBUTARY_API_BURST": "5",
    "TRIBUTARY_HOOK_RATE": "2/s", "TRIBUTARY_HOOK_BURST": "3",
    "TRIBUTARY_LOGIN_RATE": "1/m", "TRIBUTARY_LOGIN_BURST": "2",
    "TRIBUTARY_HEADER_TIMEOUT": "2s", "TRIBUTARY_IDLE_TIMEOUT": "2s",
    "TRIBUTARY_CONNECTIONS_PER_ADDRESS": "20",
    # One waiting entry is an overload here, so that a burst of chat shows the degraded mode.
    "TRIBUTARY_OVERLOAD_BACKLOG": "1",
}
CHAT_LIMITS = {"TRIBUTARY_CHAT_RATE": "2/s", "TRIBUTARY_CHAT_BURST": "3"}


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    running = Hub(tmp_path_factory.mktemp("limits"), environment=LIMITS).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def chat_limited(tmp_path_factory):
    running = Hub(tmp_path_factory.mktemp("chat-limits"), environment=CHAT_LIMITS).start()
    yield running
    running.stop()


def exchange(hub, data: bytes, wait: float = 5.0):
    """Sends raw bytes and reads until the server closes (b'...<closed>') or `wait` passes (b'...<open>')."""
    connection = socket.create_connection(("127.0.0.1", hub.port))
    connection.settimeout(wait)
    connection.sendall(data)
    received = b""
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return received + b"<closed>"
            received += chunk
    except ConnectionResetError:
        # Closed with the request unread: the kernel answers with a reset rather than a FIN.
        return received + b"<closed>"
    except socket.timeout:
        return received + b"<open>"
    finally:
        connection.close()


def test_a_burst_on_the_api_gets_429_with_retry_after_and_service_resumes_after_the_wait(limited):
    with requests.Session() as client:
        answers = [client.get(limited.url("/api/v1/channels"), headers=AGENT, timeout=10) for _ in range(12)]
    codes = [a.status_code for a in answers]
    assert codes[:5] == [200] * 5 and 429 in codes[5:], codes
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1
    # Another token from the same address has a bucket of its own.
    assert requests.get(limited.url("/api/v1/channels"), headers={"Authorization": "Bearer another"}, timeout=10).status_code == 401
    time.sleep(int(refused.headers["Retry-After"]) + 0.2)
    assert requests.get(limited.url("/api/v1/channels"), headers=AGENT, timeout=10).status_code == 200


def test_hooks_are_limited_per_channel_and_logins_per_address(limited):
    with requests.Session() as client:
        codes = [client.post(limited.url("/hooks/telegram"), data=b"{}", timeout=10).status_code for _ in range(6)]
    assert 429 in codes and codes[:3].count(429) == 0, codes
    # The web chat's channel is another bucket (its POST answers with its own validation).
    assert requests.get(limited.url("/hooks/shop"), timeout=10).status_code != 429
    with requests.Session() as client:
        logins = [client.post(limited.url("/api/v1/auth/login"), json={"email": "x@example.com", "password": "wrong-password-1"},
                              timeout=10) for _ in range(4)]
    assert [r.status_code for r in logins][:2] == [401, 401] and logins[-1].status_code == 429
    assert int(logins[-1].headers["Retry-After"]) > 1


def test_the_public_chat_is_limited_per_address_over_http_and_on_its_socket(chat_limited):
    with requests.Session() as client:
        answers = [client.post(chat_limited.url("/chat/web/messages"), json={"text": f"spam {n}"}, timeout=10) for n in range(6)]
    codes = [a.status_code for a in answers]
    assert codes[:3] == [201] * 3 and codes[-1] == 429, codes
    assert answers[-1].json()["error"] == "rate_limited" and int(answers[-1].headers["Retry-After"]) >= 1
    # The socket shares the bucket: a message over it gets an error frame, the socket stays open, a ping is answered.
    socket_ = websocket.create_connection(chat_limited.url("/chat/web").replace("http", "ws"), timeout=10)
    try:
        assert json.loads(socket_.recv())["type"] == "welcome"
        socket_.send(json.dumps({"type": "message", "id": "over-1", "text": "one more"}))
        refused = json.loads(socket_.recv())
        assert refused == {"type": "error", "error": "rate_limited", "id": "over-1", "message": refused["message"]}, refused
        socket_.send(json.dumps({"type": "ping"}))
        assert json.loads(socket_.recv())["type"] == "pong"
        time.sleep(1.2)
        socket_.send(json.dumps({"type": "message", "id": "later-1", "text": "after the wait"}))
        assert json.loads(socket_.recv())["type"] == "ack"
    finally:
        socket_.close()
    # Only the accepted messages were stored.
    stored = requests.get(chat_limited.url("/api/v1/conversations"), headers=AGENT, params={"limit": 50}, timeout=10).json()
    assert len(stored["conversations"]) == 4, stored


def test_a_control_character_in_a_header_gets_400_and_the_connection_is_closed(limited):
    answer = exchange(limited, b"GET /healthz HTTP/1.1\r\nHost: hub\r\nX-Note: a\x01b\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.endswith(b"<closed>"), answer
    body = answer.split(b"\r\n\r\n", 1)[1].removesuffix(b"<closed>")
    assert json.loads(body)["error"] == "malformed_request"
    # A bare CR inside the head is refused the same way; a well-formed request on the next connection is served.
    assert exchange(limited, b"GET /healthz HTTP/1.1\rHost: hub\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert exchange(limited, b"GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200 ")


def test_half_a_request_and_an_idle_kept_alive_connection_are_closed_after_their_timeouts(limited):
    started = time.monotonic()
    assert exchange(limited, b"POST /api/v1/auth/login HTTP/1.1\r\nHost: hub\r\nContent-Le", wait=10) == b"<closed>"
    assert 1.5 < time.monotonic() - started < 6
    started = time.monotonic()
    assert exchange(limited, b"", wait=10) == b"<closed>"
    assert 1.5 < time.monotonic() - started < 6
    # A served request on a kept-alive connection, then nothing: closed after the idle timeout.
    started = time.monotonic()
    answer = exchange(limited, b"GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n", wait=10)
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"<closed>")
    assert 1.5 < time.monotonic() - started < 8


def test_an_address_over_its_connection_cap_is_turned_away_and_admitted_again_once_one_closes(limited):
    held = [socket.create_connection(("127.0.0.1", limited.port)) for _ in range(20)]
    try:
        time.sleep(0.3)
        assert exchange(limited, b"GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n", wait=3) == b"<closed>"
        held.pop().close()
        time.sleep(0.3)
        assert exchange(limited, b"GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200 ")
    finally:
        for connection in held:
            connection.close()
    assert "too many from one address" in limited.log.read_text()


def test_under_overload_hooks_keep_acknowledging_and_readyz_says_degraded_with_the_reason(limited):
    stop, answers, readiness = threading.Event(), [], []

    def send():
        with requests.Session() as client:
            while not stop.is_set():
                answers.append(client.post(limited.url("/chat/web/messages"), json={"text": "is my parcel coming?"}, timeout=10).status_code)

    def watch():
        with requests.Session() as client:
            while not stop.is_set():
                answer = client.get(limited.url("/readyz"), timeout=10)
                readiness.append((answer.status_code, answer.json()))
                time.sleep(0.05)

    threads = [threading.Thread(target=send) for _ in range(16)] + [threading.Thread(target=watch)]
    for thread in threads:
        thread.start()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    assert answers and set(answers) == {201}, set(answers)
    degraded = [body for status, body in readiness if body["status"] == "degraded"]
    assert degraded and all(status == 200 for status, _ in readiness), readiness[:5]
    assert degraded[0]["reason"].startswith("inbox backlog ")
    assert wait_for(lambda: requests.get(limited.url("/readyz"), timeout=10).json() == {"status": "ready"}, timeout=15)
    assert "overloaded: degrading" in limited.log.read_text() and "load back to normal" in limited.log.read_text()
