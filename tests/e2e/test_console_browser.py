"""The agent console in headless Chromium, against a hub with WeChat (wechatpy encrypts), SMS, web chat and the
shop simulator: one agent's whole journey, the customer panel's merges, 100 dropped sockets under 500 messages,
who else is replying, CSRF, both languages, and axe-core's accessibility rules. Screenshots go to screenshots/."""
import json
import os
import sqlite3
import subprocess
import threading
import time

import pytest
import requests
import websocket
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from shop_simulator import running_simulator
from conftest import AGENT, BINARY, ROOT, Hub, wait_for
from console_pages import PASSWORD, browser, log_in, screenshot, until  # noqa: F401 (browser is a fixture)
from signed_senders import PUBLIC, TWILIO_TOKEN, WX_AES, WX_APPID, WX_TOKEN, wechat_text

SHOP_SECRET = "shpss_console_test_secret_0123456789"
SHOP_TOKEN = "shpat_console_token"
ENVIRONMENT = {"SHOP_SECRET": SHOP_SECRET, "SHOP_TOKEN": SHOP_TOKEN, "TWILIO_TOKEN": TWILIO_TOKEN, "WX_SECRET": "wx-app-secret",
               "WX_TOKEN": WX_TOKEN, "WX_AES": WX_AES}


@pytest.fixture(scope="module")
def simulator():
    with running_simulator(SHOP_SECRET, SHOP_TOKEN) as base:
        yield base


@pytest.fixture(scope="module")
def hub(tmp_path_factory, simulator, fake):
    workdir = tmp_path_factory.mktemp("console")
    manifest = workdir / "hub.yaml"
    manifest.write_text(f"""
server: {{ listen: 127.0.0.1:0, public_url: {PUBLIC} }}
agents:
  - {{ name: ops, token: "${{TRIBUTARY_DEMO_TOKEN:-demo-token}}" }}
identity: {{ default_region: CN, auto_merge: [phone, email_verified, wechat_unionid, shop_customer], propose: [email] }}
outbox: {{ max_attempts: 3, initial_backoff: 100ms, max_backoff: 1s }}
channels:
  - id: web
    kind: webchat
    settings: {{ allowed_origins: ["*"] }}
  - id: wx
    kind: wechat
    settings:
      app_id: {WX_APPID}
      app_secret: ${{WX_SECRET}}
      token: ${{WX_TOKEN}}
      encoding_aes_key: ${{WX_AES}}
      api_base: {fake.base}
  - id: sms
    kind: sms
    settings: {{ account_sid: AC33333333333333333333333333333333, auth_token: "${{TWILIO_TOKEN}}", from: "+14155550100",
                api_base: "{fake.base}" }}
  - id: shop
    kind: marketplace
    settings:
      shop_domain: hub-demo.myshopify.com
      webhook_secrets: ["${{SHOP_SECRET}}"]
      access_token: ${{SHOP_TOKEN}}
      api_base: {simulator}
      poll_interval: 0s
teams: [{{ id: care, name: Care }}]
routing:
  # Agents pull from this queue (claim, claim next); routing assigns nothing by itself.
  queues: [{{ id: care, team: care, policy: manual, match: {{ languages: [zh, en, mix] }} }}]
assist:
  enabled: true
  training_data: {ROOT / "samples" / "assist"}
  knowledge_base: {ROOT / "samples" / "assist" / "kb"}
  synonyms: {ROOT / "samples" / "assist" / "synonyms.txt"}
tickets:
  fields: [{{ id: parcel_photo, type: boolean }}, {{ id: refund_amount, type: number }}]
sla:
  - id: standard
    first_response: 30m
    resolution: 8h
    warn_before: 10m
""")
    running = Hub(workdir, manifest=manifest, environment=ENVIRONMENT).start(timeout=120)
    running.manifest_path = manifest
    requests.post(simulator + "/_sim/config", json={"hub": running.url("/hooks/shop")}, timeout=10).raise_for_status()
    for name, email, role in [("Li Na", "li@example.cn", "agent"), ("Ada", "ada@example.cn", "supervisor"),
                              ("Root", "root@example.cn", "admin")]:
        created = requests.post(running.url("/api/v1/agents"), headers=AGENT, timeout=10,
                                json={"name": name, "email": email, "password": PASSWORD, "role": role, "teams": ["care"]})
        assert created.status_code == 201, created.text
    canned = requests.post(running.url("/api/v1/canned"), headers=AGENT, timeout=10,
                           json={"shortcut": "thanks", "text": "{{customer.name}}您好，我是{{agent.name}}，马上为您查询。"})
    assert canned.status_code == 201, canned.text
    yield running
    running.stop()


def rows(driver):
    return {int(e.get_attribute("data-conversation")): e for e in driver.find_elements(By.CSS_SELECTOR, "#list li.row")}


def conversation_of(hub, channel, thread):
    def lookup():
        answer = requests.get(hub.url("/api/v1/conversations"), headers=AGENT, params={"channel": channel, "limit": 200}, timeout=10).json()
        for item in answer["conversations"]:
            detail = requests.get(hub.url(f"/api/v1/conversations/{item['id']}"), headers=AGENT, params={"limit": 1}, timeout=10).json()
            if detail["conversation"]["thread"] == thread:
                return item
        return None
    return wait_for(lookup, timeout=30)


def wx_sent(fake, openid):
    return [body for _, body in fake.wechat_sends if body.get("touser") == openid]


def axe_violations(driver):
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")], axe


def test_one_agent_handles_a_wechat_customer_whose_shop_order_is_on_the_timeline(hub, browser, fake, simulator, tmp_path):
    phone = "+8613800138123"
    # The CRM knows this follower's phone; the shop has an order of that phone.
    crm = tmp_path / "crm.csv"
    crm.write_text(f"name,phone,wechat_openid\n陈静,{phone},{WX_APPID}:oChenJing\n")
    imported = subprocess.run([str(BINARY), "import", "customers", str(crm), "--manifest", str(hub.manifest_path),
                               "--database", str(hub.database)], capture_output=True, text=True,
                              env=dict(os.environ) | ENVIRONMENT, cwd=ROOT, timeout=60)
    assert imported.returncode == 0, imported.stderr
    order_id = requests.post(simulator + "/_sim/seed", json={"count": 1}, timeout=30).json()["created"][0]
    order = requests.post(simulator + f"/_sim/orders/{order_id}", timeout=30, json={
        "phone": phone, "email": None, "customer": None, "total_price": "129.00",
        "line_items": [{"id": order_id * 10, "title": "陶瓷花瓶", "quantity": 1, "price": "129.00"}]}).json()
    requests.post(simulator + "/_sim/webhook", json={"order_id": order_id, "topic": "orders/create", "hub_url": hub.url("/hooks/shop")},
                  timeout=30).raise_for_status()

    log_in(browser, hub, "li@example.cn")
    browser.execute_script("window.loadedOnce = 'yes'")
    browser.find_element(By.ID, "view-unassigned").click()

    # A WeChat message, encrypted by wechatpy, appears in the list without a reload.
    wechat_text(hub, "oChenJing", "你好，我的花瓶什么时候发货？", 880001, WX_TOKEN, WX_AES, WX_APPID)
    conversation = conversation_of(hub, "wx", "oChenJing")["id"]
    row = until(browser, lambda d: rows(d).get(conversation))
    assert "陈静" in row.text and browser.execute_script("return window.loadedOnce") == "yes"
    until(browser, lambda d: rows(d)[conversation].get_attribute("data-unread") == "1")
    row.click()

    # The timeline of the merged customer has the shop order of the same phone, with its items and total.
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#timeline .entry.message[data-conversation='{conversation}']"))
    card = until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry[data-kind^='order.'] .order-card"))[0]
    assert order["name"] in card.text and "陶瓷花瓶" in card.text and "129.00" in card.text
    assert order["name"] in browser.find_element(By.ID, "customer").text
    assert any("花瓶什么时候发货" in e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.inbound"))
    # The queue's notice to the customer used one of WeChat's five replies.
    constraints = until(browser, lambda d: d.find_element(By.ID, "composer-constraints").text)
    assert "4 replies left" in constraints and "Reply window open until" in constraints

    # Online, then claim it.
    Select(browser.find_element(By.ID, "presence")).select_by_value("online")
    until(browser, lambda d: d.execute_script("return window.tributaryConsole.presence") == "online")
    browser.find_element(By.ID, "claim").click()
    until(browser, lambda d: d.find_element(By.ID, "conversation-status").text == "open")

    # A canned response rendered for this customer, then the reply.
    text_area = browser.find_element(By.ID, "composer-text")
    text_area.send_keys("/than")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#canned-list li[data-shortcut='thanks']"))
    browser.find_element(By.CSS_SELECTOR, "#canned-list li[data-shortcut='thanks']").click()
    until(browser, lambda d: "马上为您查询" in d.find_element(By.ID, "composer-text").get_attribute("value"))
    rendered = browser.find_element(By.ID, "composer-text").get_attribute("value")
    assert rendered.startswith("陈静您好，我是Li Na"), rendered
    text_area.send_keys(Keys.CONTROL, Keys.ENTER)

    # The fake WeChat API receives it, and the delivery tick shows on the timeline.
    sent = wait_for(lambda: [b for b in wx_sent(fake, "oChenJing") if b["text"]["content"] == rendered])
    assert sent[0]["msgtype"] == "text"
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.outbound[data-status='sent'] .tick-sent"))
    until(browser, lambda d: "3 replies left" in d.find_element(By.ID, "composer-constraints").text)

    # A private note, from the keyboard, then resolve with e.
    browser.find_element(By.ID, "timeline").click()
    browser.find_element(By.TAG_NAME, "body").send_keys("n")
    until(browser, lambda d: d.find_element(By.ID, "note-toggle").get_attribute("aria-pressed") == "true")
    browser.find_element(By.ID, "composer-text").send_keys("客户说花瓶是送人的，请加急")
    browser.find_element(By.ID, "send").click()
    until(browser, lambda d: any("请加急" in e.text for e in d.find_elements(By.CSS_SELECTOR, "#timeline .entry.note")))
    assert len(wx_sent(fake, "oChenJing")) == 2, "the queue notice and the reply; a note never goes to the customer"
    screenshot(browser, "console-journey.png")
    browser.find_element(By.ID, "timeline").click()
    browser.find_element(By.TAG_NAME, "body").send_keys("e")
    until(browser, lambda d: d.find_element(By.ID, "conversation-status").text == "resolved")
    state = requests.get(hub.url(f"/api/v1/conversations/{conversation}"), headers=AGENT, params={"limit": 1}, timeout=10).json()["work"]
    assert state["status"] == "resolved" and state["assignee_name"] == "Li Na"


def test_a_draft_survives_a_reload_and_a_refused_channel_is_refused_before_sending(hub, browser, fake):
    wechat_text(hub, "oDraft", "请问可以开发票吗？", 880101, WX_TOKEN, WX_AES, WX_APPID, create_time=int(time.time()))
    conversation = conversation_of(hub, "wx", "oDraft")["id"]
    log_in(browser, hub, "ada@example.cn")
    browser.find_element(By.ID, "view-all").click()
    until(browser, lambda d: rows(d).get(conversation)).click()
    text_area = until(browser, lambda d: d.find_element(By.ID, "composer-text"))
    text_area.send_keys("可以的，请提供抬头")
    # The composer saves 600 ms after the last keystroke, on the server.
    wait_for(lambda: sqlite3.connect(hub.database).execute("SELECT text FROM draft WHERE conversation_id = ?", (conversation,)).fetchone()
             == ("可以的，请提供抬头",))
    browser.refresh()
    until(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    browser.find_element(By.ID, "view-all").click()
    until(browser, lambda d: rows(d).get(conversation)).click()
    until(browser, lambda d: d.find_element(By.ID, "composer-text").get_attribute("value") == "可以的，请提供抬头")

    # WeChat takes at most 5 replies after a customer message: the sixth is refused here, with the reason.
    # (The queue's notice took one of them.)
    sent = 0
    while True:
        answer = requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), headers=AGENT, json={"text": f"第{sent}条"}, timeout=10)
        if answer.status_code != 201:
            assert answer.json()["error"] == "reply_quota_exhausted"
            break
        sent += 1
    assert sent == 4
    until(browser, lambda d: d.find_element(By.ID, "send").get_attribute("disabled") is not None)
    problem = browser.find_element(By.ID, "composer-problem").text
    assert "would refuse" in problem and "5 replies" in problem, problem
    before = len(wx_sent(fake, "oDraft"))
    browser.find_element(By.ID, "composer-text").send_keys(Keys.CONTROL, Keys.ENTER)
    time.sleep(0.5)
    assert len(wx_sent(fake, "oDraft")) == before


def test_sms_segments_match_the_hubs_count(hub, browser):
    log_in(browser, hub, "ada@example.cn")
    cases = {"a" * 160: [1, "GSM-7"], "a" * 161: [2, "GSM-7"], "a" * 306: [2, "GSM-7"], "a" * 307: [3, "GSM-7"],
             "€" * 80: [1, "GSM-7"], "€" * 81: [2, "GSM-7"], "你" * 70: [1, "UCS-2"], "你" * 71: [2, "UCS-2"], "你" * 134: [2, "UCS-2"],
             "你" * 135: [3, "UCS-2"], "a😀": [1, "UCS-2"]}
    counted = browser.execute_async_script("""
        const [cases, done] = arguments;
        import('/console/composer.js').then((m) => done(Object.fromEntries(Object.keys(cases).map((text) => {
          const count = m.smsSegments(text); return [text, [count.segments, count.encoding]]; }))));
    """, cases)
    assert counted == cases


def test_the_customer_panel_accepts_a_merge_proposal_and_undoes_the_merge(hub, browser):
    # Two web chat visitors give the same (unverified) e-mail: a proposal, not a merge.
    first = requests.post(hub.url("/chat/web/messages"), json={"text": "Is the blue kettle in stock?", "email": "mei@example.com",
                                                                "name": "Mei"}, timeout=10).json()
    second = requests.post(hub.url("/chat/web/messages"), json={"text": "Do you ship to Macau?", "email": "mei@example.com",
                                                                 "name": "Mei"}, timeout=10).json()
    proposal = wait_for(lambda: [p for p in requests.get(hub.url("/api/v1/merge-proposals"), headers=AGENT, timeout=10).json()["proposals"]
                                 if set(p["customers"]) == {first["customer"], second["customer"]}])[0]
    log_in(browser, hub, "root@example.cn")
    until(browser, lambda d: rows(d).get(second["conversation"])).click()
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#customer li[data-proposal='{proposal['id']}']"))
    timeline_texts = lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.inbound .text")]
    assert timeline_texts(browser) == ["Do you ship to Macau?"]

    browser.find_element(By.CSS_SELECTOR, f"#customer li[data-proposal='{proposal['id']}'] button.accept").click()
    until(browser, lambda d: timeline_texts(d) == ["Is the blue kettle in stock?", "Do you ship to Macau?"])
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .merge-entry[data-kind='merge']"))
    screenshot(browser, "console-merged.png")

    browser.find_element(By.CSS_SELECTOR, "#customer li[data-state='active'] button.undo").click()
    until(browser, lambda d: len(timeline_texts(d)) == 1)
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .merge-entry[data-kind='unmerge']"))
    merges = requests.get(hub.url(f"/api/v1/customers/{second['customer']}/merges"), headers=AGENT, timeout=10).json()["merges"]
    assert [m["state"] for m in merges] == ["undone"]


def test_a_hundred_dropped_sockets_under_five_hundred_messages_lose_and_repeat_nothing(hub, browser):
    opened = requests.post(hub.url("/chat/web/messages"), json={"text": "message 0"}, timeout=10).json()
    visitor, conversation = opened["visitor"], opened["conversation"]
    log_in(browser, hub, "root@example.cn")
    until(browser, lambda d: rows(d).get(conversation)).click()
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.inbound"))

    def send_all():
        session = requests.Session()
        for index in range(1, 500):
            answer = session.post(hub.url("/chat/web/messages"), json={"text": f"message {index}", "visitor": visitor,
                                                                      "id": f"burst-{index}"}, timeout=10)
            assert answer.status_code == 201, answer.text
            time.sleep(0.02)  # spread the arrivals over the drops
    sender = threading.Thread(target=send_all)
    sender.start()
    for _ in range(100):
        # Each drop hits an open socket: the console must have reconnected since the last one.
        until(browser, lambda d: d.execute_script("return window.tributaryConsole.stream.socket.readyState") == 1)
        browser.execute_script("window.tributaryConsole.stream.drop()")
        time.sleep(0.02)
    sender.join()
    assert browser.execute_script("return window.tributaryConsole.stream.reconnects") >= 100

    def shown(d):
        return [int(e.get_attribute("data-message")) for e in d.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.inbound")]
    until(browser, lambda d: len(shown(d)) >= 500, timeout=60)
    time.sleep(1)
    ids = shown(browser)
    assert len(ids) == 500 and len(set(ids)) == 500 and ids == sorted(ids)
    texts = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline .entry.message.inbound .text")]
    assert texts == [f"message {index}" for index in range(500)]
    # The row's unread count is the hub's, exactly.
    until(browser, lambda d: rows(d)[conversation].get_attribute("data-unread") == "500")


def test_two_agents_on_one_conversation_see_each_other_and_get_a_soft_warning(hub, browser):
    opened = requests.post(hub.url("/chat/web/messages"), json={"text": "Anyone there?"}, timeout=10).json()
    conversation = opened["conversation"]
    log_in(browser, hub, "li@example.cn")
    browser.find_element(By.ID, "view-unassigned").click()
    until(browser, lambda d: rows(d).get(conversation)).click()
    until(browser, lambda d: d.find_element(By.ID, "composer-text"))

    # Ada has the same conversation open in her console and starts typing.
    token = requests.post(hub.url("/api/v1/auth/login"), json={"email": "ada@example.cn", "password": PASSWORD}, timeout=10).json()["token"]
    head = requests.get(hub.url("/api/v1/auth/session"), headers={"Authorization": f"Bearer {token}"}, timeout=10).json()["seq"]
    socket = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/api/v1/stream?after={head}",
                                         header=[f"Authorization: Bearer {token}"], timeout=10)
    try:
        socket.send(json.dumps({"type": "watch", "conversation": conversation, "typing": False}))
        until(browser, lambda d: "Ada viewing" in d.find_element(By.ID, "presence-line").text)
        frame = json.loads(socket.recv())
        assert frame == {"type": "presence", "conversation": conversation, "agents": [{"id": frame["agents"][0]["id"], "name": "Li Na", "typing": False}]}
        socket.send(json.dumps({"type": "watch", "conversation": conversation, "typing": True}))
        until(browser, lambda d: "Ada replying…" in d.find_element(By.ID, "presence-line").text)

        browser.find_element(By.ID, "composer-text").send_keys("I'm on it")
        browser.find_element(By.ID, "send").click()
        until(browser, lambda d: "Ada is replying too" in d.find_element(By.ID, "composer-problem").text)
        time.sleep(0.3)
        replies = lambda: [m for m in requests.get(hub.url(f"/api/v1/conversations/{conversation}"), headers=AGENT, timeout=10).json()["messages"]
                           if m["author"]["role"] == "agent"]
        assert replies() == [], "the first click only warns"
        # Li's typing reached Ada's socket too.
        seen = []
        while not any(f.get("type") == "presence" and any(a["typing"] for a in f["agents"]) for f in seen):
            seen.append(json.loads(socket.recv()))
        browser.find_element(By.ID, "send").click()
        wait_for(lambda: [m for m in replies() if m["text"] == "I'm on it"])
    finally:
        socket.close()
    until(browser, lambda d: d.find_element(By.ID, "presence-line").text == "")


def test_writes_need_the_csrf_token_and_a_live_session(hub):
    login = requests.post(hub.url("/api/v1/auth/login"), json={"email": "li@example.cn", "password": PASSWORD}, timeout=10)
    assert login.status_code == 200
    # The hub's public URL is https, so the cookie is Secure; it is sent here by hand over loopback HTTP.
    cookie = {"tributary_session": login.cookies["tributary_session"]}
    set_cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Secure" in set_cookie
    opened = requests.post(hub.url("/chat/web/messages"), json={"text": "csrf check"}, timeout=10).json()
    path = f"/api/v1/conversations/{opened['conversation']}/notes"
    refused = requests.post(hub.url(path), json={"text": "no token"}, cookies=cookie, timeout=10)
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_required"
    forged = requests.post(hub.url(path), json={"text": "wrong token"}, headers={"X-CSRF-Token": "0" * 64}, cookies=cookie, timeout=10)
    assert forged.status_code == 403 and forged.json()["error"] == "csrf_invalid"
    csrf = login.json()["csrf_token"]
    accepted = requests.post(hub.url(path), json={"text": "with token"}, headers={"X-CSRF-Token": csrf}, cookies=cookie, timeout=10)
    assert accepted.status_code == 201
    logout = requests.post(hub.url("/api/v1/auth/logout"), headers={"X-CSRF-Token": csrf}, cookies=cookie, timeout=10)
    assert logout.status_code == 200
    after = requests.post(hub.url(path), json={"text": "after logout"}, headers={"X-CSRF-Token": csrf}, cookies=cookie, timeout=10)
    assert after.status_code == 401
    notes = requests.get(hub.url(path), headers=AGENT, timeout=10).json()["notes"]
    assert [n["text"] for n in notes] == ["with token"]


def test_sign_out_in_the_browser_ends_the_session(hub, browser):
    log_in(browser, hub, "li@example.cn")
    browser.find_element(By.ID, "logout").click()
    until(browser, lambda d: d.find_element(By.ID, "login-email").is_displayed())
    status = browser.execute_async_script("""
        const done = arguments[0];
        fetch('/api/v1/auth/session', {credentials: 'same-origin'}).then((r) => done(r.status));""")
    assert status == 401


def test_the_console_speaks_chinese_from_one_table(hub, browser):
    requests.post(hub.url("/chat/web/messages"), json={"text": "你好，在吗？"}, timeout=10)
    log_in(browser, hub, "ada@example.cn", language="zh")
    assert browser.find_element(By.ID, "view-mine").text == "我的"
    assert browser.find_element(By.ID, "logout").text == "退出"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    keys = browser.execute_async_script("const done = arguments[0]; import('/console/i18n.js').then((m) => done(m.keys));")
    assert sorted(keys["en"]) == sorted(keys["zh"]) and len(keys["en"]) > 100
    browser.find_element(By.ID, "view-all").click()
    first = until(browser, lambda d: list(rows(d).values()))[0]
    first.click()
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry"))
    screenshot(browser, "console-zh.png")
    # Switching back is one control.
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    until(browser, lambda d: d.find_element(By.ID, "view-mine").text == "Mine")


def test_keyboard_help_and_j_k_move_through_the_list(hub, browser):
    for text in ["first for keys", "second for keys"]:
        requests.post(hub.url("/chat/web/messages"), json={"text": text}, timeout=10)
    log_in(browser, hub, "root@example.cn")
    until(browser, lambda d: len(rows(d)) >= 2)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    first = until(browser, lambda d: browser.execute_script("return window.tributaryConsole.state.selected"))
    body.send_keys("j")
    second = until(browser, lambda d: (s := browser.execute_script("return window.tributaryConsole.state.selected")) != first and s)
    body.send_keys("k")
    until(browser, lambda d: browser.execute_script("return window.tributaryConsole.state.selected") == first)
    order = browser.execute_script("return window.tributaryConsole.list.conversationIDs()")
    assert order.index(second) == order.index(first) + 1
    body.send_keys("?")
    dialog = until(browser, lambda d: d.find_element(By.ID, "help"))
    assert dialog.get_attribute("open") is not None and "Ctrl+Enter" in dialog.text
    screenshot(browser, "console-help.png")


@pytest.mark.parametrize("view", ["login", "conversation", "queues", "agents", "tickets", "reports"])
def test_axe_finds_no_serious_or_critical_violations(hub, browser, view):
    if view == "login":
        browser.get(hub.url("/console"))
        until(browser, lambda d: d.find_element(By.ID, "login-email").is_displayed())
    else:
        requests.post(hub.url("/chat/web/messages"), json={"text": "Is the lamp in stock?", "name": "Axe"}, timeout=10)
        log_in(browser, hub, "root@example.cn")
        if view == "conversation":
            until(browser, lambda d: list(rows(d).values()))[0].click()
            until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .entry") and d.find_elements(By.ID, "composer-text"))
            time.sleep(0.5)
        else:
            browser.find_element(By.ID, f"view-{view}").click()
            until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#supervisor table, #supervisor figure, #list li"))
            time.sleep(0.5)
    screenshot(browser, f"console-{view}.png")
    serious, axe = axe_violations(browser)
    assert not serious, axe.report(serious)


def test_a_follow_up_coming_due_is_a_live_notification(hub, browser):
    opened = requests.post(hub.url("/chat/web/messages"), json={"text": "Please call me back tomorrow"}, timeout=10).json()
    ada = next(a for a in requests.get(hub.url("/api/v1/agents"), headers=AGENT, timeout=10).json()["agents"] if a["name"] == "Ada")
    ticket = requests.post(hub.url("/api/v1/tickets"), headers=AGENT, json={"conversation": opened["conversation"]}, timeout=10).json()
    assert requests.patch(hub.url(f"/api/v1/tickets/{ticket['id']}"), headers=AGENT, json={"assignee": ada["id"]}, timeout=10).ok
    log_in(browser, hub, "ada@example.cn")
    before = int(browser.find_element(By.ID, "notification-count").text)
    due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    changed = requests.patch(hub.url(f"/api/v1/tickets/{ticket['id']}"), headers=AGENT, timeout=10,
                             json={"follow_up": {"at": due, "note": "call back"}})
    assert changed.ok, changed.text
    until(browser, lambda d: int(d.find_element(By.ID, "notification-count").text) == before + 1, timeout=30)
    assert "follow-up due: call back" in browser.find_element(By.ID, "status-line").text
    browser.find_element(By.ID, "notifications").click()
    until(browser, lambda d: any("call back" in e.text for e in d.find_elements(By.CSS_SELECTOR, "#help li.unread")))
    until(browser, lambda d: d.find_element(By.ID, "notification-count").text == "0")
    token = requests.post(hub.url("/api/v1/auth/login"), json={"email": "ada@example.cn", "password": PASSWORD}, timeout=10).json()["token"]
    unread = requests.get(hub.url("/api/v1/notifications"), params={"unread": "true"}, headers={"Authorization": f"Bearer {token}"},
                          timeout=10).json()["notifications"]
    assert unread == []
