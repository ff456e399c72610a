"""Process-level tests: they run the built `tributary` binary on 127.0.0.1 with a real SQLite file."""
import base64
import os
import pathlib
import signal
import sqlite3
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "tributary"
SAMPLE_MANIFEST = ROOT / "samples" / "hub.yaml"
AGENT = {"Authorization": "Bearer demo-token"}
# One data key for every hub of a test run (restored backups start with it too).
DATA_KEY = base64.b64encode(os.urandom(32)).decode()


class Hub:
    """One `tributary serve` process; start, stop and kill it like an operator would."""

    def __init__(self, workdir: pathlib.Path, manifest: pathlib.Path = SAMPLE_MANIFEST, log_level: str = "info",
                 environment: dict = None, extra_arguments: list = None):
        self.extra_arguments = extra_arguments or []
        self.log_level = log_level
        self.environment = environment or {}
        self.workdir = workdir
        self.manifest = manifest
        self.database = workdir / "data" / "tributary.sqlite"
        self.process = None
        self.port = None
        self.log = workdir / "hub.log"

    def start(self, timeout: float = 30.0):
        env = dict(os.environ)
        env.pop("TRIBUTARY_DEMO_TOKEN", None)
        # Tests of other features run the sample manifest without its bot (test_bot.py declares its own).
        env["TRIBUTARY_BOT"] = "false"
        # Secrets at rest (TOTP seeds) are sealed with it; tests that need another key set their own.
        env["TRIBUTARY_DATA_KEY"] = DATA_KEY
        # Tests that send chat in bursts are not testing the widget's rate limit (test_limits.py does).
        env["TRIBUTARY_CHAT_RATE"], env["TRIBUTARY_CHAT_BURST"] = "100000/s", "100000"
        env.update(self.environment)
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--manifest", str(self.manifest), "--port", "0", "--database", str(self.database),
             "--log-level", self.log_level, *self.extra_arguments],
            stdout=subprocess.PIPE, stderr=open(self.log, "a"), text=True, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("tributary listening on port "):
                self.port = int(line.rsplit(" ", 1)[1])
                return self
            if self.process.poll() is not None:
                break
        raise RuntimeError(f"hub did not start; log:\n{self.log.read_text()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def signal(self, sig):
        self.process.send_signal(sig)

    def wait(self, timeout: float = 20.0) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def fake():
    """A fake provider API (WeChat, Twilio, Telegram) speaking the real wire formats, for one test module."""
    from fake_providers import FakeProviders
    providers = FakeProviders().start()
    yield providers
    providers.stop()


@pytest.fixture
def hub(tmp_path):
    running = Hub(tmp_path).start()
    yield running
    running.stop()


def wait_for(predicate, timeout=20.0):
    """Polls `predicate` until it returns something truthy, which is returned; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def post_chat(hub, body, timeout=10):
    return requests.post(hub.url("/chat/web/messages"), json=body, timeout=timeout)


def conversation_texts(hub, token):
    response = requests.get(hub.url("/chat/web/messages"), params={"visitor": token}, timeout=10)
    response.raise_for_status()
    return [m["text"] for m in response.json()["messages"]]


def settled(database, timeout=20.0):
    """Waits until the processing stage has taken every stored delivery (it runs after the acknowledgement)."""
    def idle():
        with sqlite3.connect(database) as connection:
            return connection.execute("SELECT COUNT(*) FROM inbox WHERE state IN ('pending', 'processing')").fetchone()[0] == 0
    return wait_for(idle, timeout)
