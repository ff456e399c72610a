#!/usr/bin/env python3
"""The agent console, measured in headless Chromium against a release hub on loopback:

1. from a provider's 2xx (a Twilio-signed SMS webhook) to the message rendered on the open timeline, p50 and
   p99 over N messages, next to a bare WebSocket client reading the same event stream in the same run;
2. the first load: bytes transferred and time to interactive (lists loaded and the stream open), cold and
   with the browser's cache (ETags answer 304);
3. the timeline of a customer with 5,000 events: the first page, and every page down to the first event.

    python3 Benchmarks/console_bench.py [--messages 1000] [--events 5000] [--binary .build/release/tributary]
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse

import requests
import websocket
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[1]
TOKEN = {"Authorization": "Bearer demo-token"}
TWILIO = "demo-auth-token"
PASSWORD = "copper-kettle-lantern"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def sms(base, public, sender, body, session):
    params = {"MessageSid": f"SM{os.urandom(16).hex()}", "AccountSid": "AC00000000000000000000000000000000", "From": sender,
              "To": "+15005550006", "Body": body, "NumMedia": "0", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    payload = f"{public}/hooks/sms" + "".join(f"{k}{params[k]}" for k in sorted(params))
    signature = base64.b64encode(hmac.new(TWILIO.encode(), payload.encode(), hashlib.sha1).digest()).decode()
    response = session.post(f"{base}/hooks/sms", data=params, headers={"X-Twilio-Signature": signature}, timeout=10)
    assert response.status_code == 200, response.text
    return time.time() * 1000


def start_hub(binary, work):
    env = dict(os.environ, TRIBUTARY_BOT="false", TRIBUTARY_ASSIST="false", TRIBUTARY_PUBLIC_URL="http://127.0.0.1:8080")
    env.pop("TRIBUTARY_DEMO_TOKEN", None)
    process = subprocess.Popen([binary, "serve", "--manifest", str(ROOT / "samples" / "hub.yaml"), "--port", "0", "--database",
                                str(work / "hub.sqlite"), "--log-level", "error"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env, cwd=ROOT)
    for line in process.stdout:
        if line.startswith("tributary listening on port "):
            return process, f"http://127.0.0.1:{int(line.rsplit(' ', 1)[1])}"
    raise RuntimeError("the hub did not start")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def log_in(driver, base, email):
    driver.get(f"{base}/console")
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "login-email").is_displayed())
    driver.find_element(By.ID, "login-email").send_keys(email)
    driver.find_element(By.ID, "login-password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.tributaryConsole?.stream?.socket?.readyState") == 1)


def open_conversation(driver, conversation):
    driver.execute_script("window.tributaryConsole.open(arguments[0])", conversation)
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry.message") and
                                    d.find_elements(By.ID, "composer-text"))


def conversation_of(base, channel):
    items = requests.get(f"{base}/api/v1/conversations", params={"channel": channel, "limit": 200}, headers=TOKEN, timeout=10)
    return items.json()["conversations"][0]["id"]


def latency(driver, base, public, count):
    session = requests.Session()
    sender = "+8613900000001"
    sms(base, public, sender, "hello", session)
    time.sleep(0.5)
    conversation = conversation_of(base, "sms")
    open_conversation(driver, conversation)
    # A bare client of the same stream, for the ratio: what the console adds on top of the log itself.
    arrivals = {}
    socket = websocket.create_connection(f"{base.replace('http', 'ws')}/api/v1/stream?after=0&types=message.received&token=demo-token")

    def read():
        try:
            while True:
                event = json.loads(socket.recv())
                arrivals[event["data"]["message"]["text"]] = time.time() * 1000
        except Exception:
            return
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    acknowledged = {}
    for index in range(count):
        text = f"bench {index}"
        acknowledged[text] = sms(base, public, sender, text, session)
        time.sleep(0.01)
    WebDriverWait(driver, 120).until(
        lambda d: d.execute_script("return window.tributaryConsole.timeline.shown.filter(r => r.text.startsWith('bench ')).length") >= count)
    shown_at = driver.execute_script("return window.tributaryConsole.timeline.shown")
    rendered = {r["text"]: r["at"] for r in shown_at}
    received = {r["text"]: r["received"] for r in shown_at}
    deadline = time.time() + 30
    while len([t for t in acknowledged if t in arrivals]) < count and time.time() < deadline:
        time.sleep(0.1)
    socket.close()
    console = [rendered[t] - acknowledged[t] for t in acknowledged]
    on_socket = [received[t] - acknowledged[t] for t in acknowledged]
    print(f"  of which 2xx -> off the console's socket p50 {percentile(on_socket, 0.5):.1f} ms, p99 {percentile(on_socket, 0.99):.1f} ms; "
          f"socket -> on screen p50 {percentile([rendered[t] - received[t] for t in acknowledged], 0.5):.1f} ms")
    bare = [arrivals[t] - acknowledged[t] for t in acknowledged if t in arrivals]
    shown = driver.execute_script("return document.querySelectorAll('#timeline .entry.message.inbound').length")
    return console, bare, shown


def first_load(driver, base):
    def measure():
        driver.get(f"{base}/console")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.tributaryConsole?.readyAt"))
        return driver.execute_script("""
            const navigation = performance.getEntriesByType('navigation')[0];
            const resources = performance.getEntriesByType('resource');
            const files = resources.filter((r) => r.name.includes('/console/'));
            const api = resources.filter((r) => r.name.includes('/api/v1/'));
            const sum = (list, key) => list.reduce((n, r) => n + (r[key] || 0), 0);
            return { interactive: window.tributaryConsole.readyAt, domContentLoaded: navigation.domContentLoadedEventEnd,
                     pageBytes: navigation.transferSize, fileBytes: sum(files, 'transferSize'), fileBodyBytes: sum(files, 'decodedBodySize'),
                     apiBytes: sum(api, 'transferSize'), files: files.length + 1, apiCalls: api.length };""")
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    cold = measure()
    warm = measure()
    return cold, warm


def long_timeline(driver, base, public, events):
    session = requests.Session()
    sender = "+8613900000002"
    threads = []
    per_thread = events // 8

    def send(offset):
        local = requests.Session()
        for index in range(offset, offset + per_thread):
            sms(base, public, sender, f"history {index}", local)
    sms(base, public, sender, "history start", session)
    for worker in range(8):
        threads.append(threading.Thread(target=send, args=(worker * per_thread,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    conversation = None
    deadline = time.time() + 180
    while conversation is None and time.time() < deadline:
        items = requests.get(f"{base}/api/v1/conversations", params={"channel": "sms", "limit": 200}, headers=TOKEN, timeout=10).json()
        conversation = next((i["id"] for i in items["conversations"] if i["unread"] >= events + 1), None)
        time.sleep(0.5)
    assert conversation is not None, "the hub never stored the history"
    started = time.time()
    open_conversation(driver, conversation)
    first_page = (time.time() - started) * 1000
    all_pages = driver.execute_async_script("""
        const done = arguments[0];
        const t0 = performance.now();
        window.tributaryConsole.timeline.loadAll().then(() => requestAnimationFrame(() => done([performance.now() - t0,
          document.querySelectorAll('#timeline .entry').length])));""")
    return first_page, all_pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "tributary"))
    arguments = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp())
    hub, base = start_hub(arguments.binary, work)
    public = "http://127.0.0.1:8080"
    driver = browser()
    try:
        created = requests.post(f"{base}/api/v1/agents", headers=TOKEN, timeout=10,
                                json={"name": "Bench", "email": "bench@example.cn", "password": PASSWORD, "role": "admin"})
        assert created.status_code == 201, created.text
        log_in(driver, base, "bench@example.cn")

        console, bare, shown = latency(driver, base, public, arguments.messages)
        print(f"2xx -> rendered in the console, {len(console)} SMS webhooks: p50 {percentile(console, 0.5):.1f} ms, "
              f"p99 {percentile(console, 0.99):.1f} ms, max {max(console):.1f} ms ({shown} messages on the timeline)")
        print(f"2xx -> frame at a bare stream client (same run):  p50 {percentile(bare, 0.5):.1f} ms, "
              f"p99 {percentile(bare, 0.99):.1f} ms; console / bare p50 {percentile(console, 0.5) / max(percentile(bare, 0.5), 0.001):.2f}")

        cold, warm = first_load(driver, base)
        for name, load in [("cold", cold), ("cached", warm)]:
            print(f"first load ({name}): interactive at {load['interactive']:.0f} ms (DOMContentLoaded {load['domContentLoaded']:.0f} ms); "
                  f"page + {load['files'] - 1} files {load['pageBytes'] + load['fileBytes']} bytes transferred "
                  f"({load['fileBodyBytes']} bytes of modules and CSS), API {load['apiBytes']} bytes in {load['apiCalls']} calls")

        first_page, (every_page, entries) = long_timeline(driver, base, public, arguments.events)
        print(f"timeline of a customer with {arguments.events + 1} messages: open to first page {first_page:.0f} ms; "
              f"every older page ({entries} entries in the DOM) {every_page:.0f} ms")
    finally:
        driver.quit()
        hub.terminate()
        hub.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
