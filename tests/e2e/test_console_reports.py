"""The console's reports view in headless Chromium against the sample hub (web chat with the bot first): a
short history (a bot conversation resolved without people, a hand-off answered by an agent, a ticket whose
first response meets its SLA and whose survey is answered) is drawn as SVG charts whose every bar and KPI
must equal what `GET /api/v1/reports/{name}` answers for the same range and time zone (the browser's,
Asia/Shanghai here); new activity shows up without a reload; the CSV link exports the same rows; an
agent, who may not read reports, has no such view."""
import csv
import io
import sqlite3
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import AGENT, Hub, settled, wait_for
from console_pages import PASSWORD, browser, log_in, screenshot, until  # noqa: F401 (browser is a fixture)

ZONE = "Asia/Shanghai"


@pytest.fixture
def hub(tmp_path):
    """The sample hub with its web chat bot on (other tests run it without)."""
    running = Hub(tmp_path, environment={"TRIBUTARY_BOT": "true"}).start(timeout=120)
    yield running
    running.stop()


def chat(hub, text, visitor=None):
    body = {"text": text, "name": "Report Visitor"} | ({"visitor": visitor} if visitor else {})
    answer = requests.post(hub.url("/chat/web/messages"), json=body, timeout=10)
    assert answer.status_code in (200, 201, 202), answer.text
    return answer.json()


def report(hub, name, span, **params):
    answer = requests.get(hub.url(f"/api/v1/reports/{name}"), headers=AGENT, timeout=30, params=span | params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def drawn(driver, figure):
    """{(group, series): value} of every bar the figure draws (the data its shapes carry)."""
    bars = driver.execute_script(
        "return [...document.querySelectorAll(`#${arguments[0]} rect.bar`)].map(r => [r.dataset.group, r.dataset.series, r.dataset.value]);",
        figure)
    return {(group, series): (float(value) if value else None) for group, series, value in bars}


def tabled(driver, figure):
    """{(group, series): value} of the figure's table of figures (rows without a bar included)."""
    cells = driver.execute_script(
        "return [...document.querySelectorAll(`#${arguments[0]} .figures tbody td`)].map(c => [c.closest('tr').dataset.group, c.dataset.series, c.dataset.value]);",
        figure)
    return {(group, series): (float(value) if value else None) for group, series, value in cells}


def kpi(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f'.kpi[data-kpi="{name}"] .kpi-value').text


def shown_span(driver):
    stamp = driver.find_element(By.ID, "reports-updated")
    return {"from": stamp.get_attribute("data-from"), "to": stamp.get_attribute("data-to"), "tz": stamp.get_attribute("data-tz")}


def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def history(hub):
    """A bot conversation resolved by nobody but the bot, a hand-off answered by a person, a ticket with its SLA met and a survey answered."""
    contained = chat(hub, "What are your opening hours?")
    settled(hub.database)
    handed = chat(hub, "I want to talk to a human agent please")
    settled(hub.database)
    wait_for(lambda: requests.get(hub.url(f"/api/v1/conversations/{handed['conversation']}"), headers=AGENT, params={"limit": 1},
                                  timeout=10).json()["work"]["status"] != "bot", timeout=30)
    ada = requests.post(hub.url("/api/v1/auth/login"), json={"email": "ada@example.org", "password": PASSWORD}, timeout=10).json()["token"]
    replied = requests.post(hub.url(f"/api/v1/conversations/{handed['conversation']}/messages"),
                            headers={"Authorization": f"Bearer {ada}"}, json={"text": "Hello, Ada here. How can I help?"}, timeout=10)
    assert replied.status_code == 201, replied.text
    resolved = requests.patch(hub.url(f"/api/v1/conversations/{contained['conversation']}"), headers=AGENT,
                              json={"status": "resolved"}, timeout=10)
    assert resolved.status_code == 200, resolved.text
    # The hand-off may already have opened a ticket (a request for a person can read as a complaint).
    ticket = requests.post(hub.url("/api/v1/tickets"), headers=AGENT, json={"conversation": handed["conversation"]}, timeout=10)
    assert ticket.status_code in (201, 409), ticket.text
    number = next(t["number"] for t in requests.get(hub.url("/api/v1/tickets"), headers=AGENT, params={"limit": 50}, timeout=10).json()["tickets"]
                  if handed["conversation"] in t["conversations"])
    chat(hub, "My parcel arrived broken", visitor=handed["visitor"])
    settled(hub.database)
    answered = requests.post(hub.url(f"/api/v1/conversations/{handed['conversation']}/messages"),
                             headers={"Authorization": f"Bearer {ada}"}, json={"text": "Sorry! A new one is on its way."}, timeout=10)
    assert answered.status_code == 201, answered.text
    solved = requests.patch(hub.url(f"/api/v1/tickets/{number}"), headers=AGENT, json={"status": "solved"}, timeout=10)
    assert solved.status_code == 200, solved.text
    wait_for(lambda: requests.get(hub.url(f"/api/v1/tickets/{number}"), headers=AGENT, timeout=10).json()["survey"].get("state") == "sent",
             timeout=30)
    chat(hub, "5 thank you", visitor=handed["visitor"])
    settled(hub.database)
    rated = wait_for(lambda: requests.get(hub.url(f"/api/v1/tickets/{number}"), headers=AGENT, timeout=10).json()["survey"].get("score"),
                     timeout=30)
    assert rated == 5
    # The rollups follow the last fact within a second or two: the view opens once they hold every message.
    with sqlite3.connect(hub.database) as db:
        stored = db.execute("SELECT COUNT(*) FROM message WHERE direction = 'in'").fetchone()[0]
    day = {"from": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86_400)),
           "to": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3_600))}
    wait_for(lambda: report(hub, "volume", day)["total"]["messages_in"] == stored)
    return handed


def test_the_reports_view_draws_every_report_as_the_api_answers_it_and_follows_new_activity(hub, browser):
    for name, email, role in [("Ada", "ada@example.org", "supervisor"), ("Li", "li@example.org", "agent")]:
        created = requests.post(hub.url("/api/v1/agents"), headers=AGENT, timeout=10,
                                json={"name": name, "email": email, "password": PASSWORD, "role": role, "teams": ["en"]})
        assert created.status_code == 201, created.text
    handed = history(hub)
    # An agent may not read reports: no such view, and the API refuses.
    log_in(browser, hub, "li@example.org")
    assert browser.find_elements(By.ID, "view-queues") and not browser.find_elements(By.ID, "view-reports")
    browser.delete_all_cookies()

    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
    log_in(browser, hub, "ada@example.org")
    browser.find_element(By.ID, "view-reports").click()
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#volume-by-group rect.bar"))
    span = shown_span(browser)
    assert span["tz"] == ZONE

    # Durations are folded in by the analytics service a moment after their commit: wait until the
    # view shows the first response the API has.
    def agrees():
        current = shown_span(browser)
        first = report(hub, "first_response", current, group_by="channel")
        return first["total"]["count"] >= 1 and tabled(browser, "first-response").get(("total", "p50_seconds")) == first["total"]["p50_seconds"] \
            and current
    span = until(browser, lambda d: agrees(), timeout=60)
    screenshot(browser, "console-reports.png")

    volume = report(hub, "volume", span, group_by="channel")
    bars = drawn(browser, "volume-by-group")
    assert volume["rows"], volume
    for row in volume["rows"]:
        for series in ("conversations", "messages_in", "messages_out"):
            assert bars[(row["group"], series)] == row[series], (row, bars)
    assert int(kpi(browser, "conversations").replace(",", "")) == volume["total"]["conversations"]
    assert int(kpi(browser, "messages_out").replace(",", "")) == volume["total"]["messages_out"]

    daily = report(hub, "volume", span, group_by="day")
    by_day = drawn(browser, "volume-by-day")
    for row in daily["rows"]:
        assert by_day[(row["group"], "conversations")] == row["conversations"]
    assert sum(v for (_, s), v in by_day.items() if s == "conversations") == volume["total"]["conversations"]

    first = report(hub, "first_response", span, group_by="channel")
    shown = tabled(browser, "first-response")
    for row in [first["total"] | {"group": "total"}, *first["rows"]]:
        for series in ("p50_seconds", "p90_seconds", "avg_seconds"):
            assert close(shown[(row["group"], series)], row[series]), (row, shown)

    bot = report(hub, "bot", span, group_by="channel")
    contained = drawn(browser, "bot-containment")
    assert bot["total"]["contained"] >= 1 and bot["total"]["handoffs"] >= 1, bot
    for row in bot["rows"]:
        assert contained[(row["group"], "contained")] == row["contained"]
        assert contained[(row["group"], "handoffs")] == row["handoffs"]
        assert contained[(row["group"], "in_progress")] == row["conversations"] - row["contained"] - row["handoffs"]

    sla = report(hub, "sla", span, group_by="day")
    shown = tabled(browser, "sla-by-day")
    assert sla["total"]["met"] >= 1, sla
    for row in sla["rows"]:
        assert shown[(row["group"], "met")] == row["met"] and shown[(row["group"], "breached")] == row["breached"]
        assert close(shown[(row["group"], "met_rate")], row["met_rate"])
    assert kpi(browser, "sla").endswith("%")

    satisfaction = report(hub, "csat", span, group_by="day")
    shown = tabled(browser, "csat-by-day")
    assert satisfaction["total"]["answers"] == 1 and satisfaction["total"]["good"] == 1, satisfaction
    for row in satisfaction["rows"]:
        assert shown[(row["group"], "good")] == row["good"]
        assert shown[(row["group"], "other_answers")] == row["answers"] - row["good"]
        assert close(shown[(row["group"], "csat")], row["csat"])
    assert kpi(browser, "csat") == "100%"

    backlog = report(hub, "backlog", span, group_by="channel")
    shown = drawn(browser, "backlog-now")
    for row in backlog["rows"]:
        for status in ("bot", "queued", "open", "pending", "snoozed"):
            assert shown[(row["group"], status)] == row[status]

    agents = report(hub, "agents", span, group_by="agent")
    names = {str(a["id"]): a["name"] for a in requests.get(hub.url("/api/v1/agents"), headers=AGENT, timeout=10).json()["agents"]}
    table = {row.find_element(By.TAG_NAME, "th").text: [td.text for td in row.find_elements(By.TAG_NAME, "td")]
             for row in browser.find_elements(By.CSS_SELECTOR, "#agents-report tbody tr")}
    ada_row = next(r for r in agents["rows"] if names.get(r["group"]) == "Ada")
    assert table["Ada"][0] == str(int(ada_row["replies"])) and ada_row["replies"] >= 2, (table, ada_row)

    # The CSV link exports the rows the chart shows.
    link = browser.find_element(By.CSS_SELECTOR, "#volume-by-group a.csv").get_attribute("href")
    exported = requests.get(link, headers=AGENT, timeout=30)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv"), exported.text
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    for row in volume["rows"]:
        assert float(rows[row["group"]]["messages_in"]) == row["messages_in"]

    # New activity shows without a reload: a new visitor's conversation and a reply to it.
    before = bars[("web", "conversations")], bars[("web", "messages_out")]
    started = time.monotonic()
    fresh = chat(hub, "Is the blue lamp in stock?")
    until(browser, lambda d: drawn(d, "volume-by-group").get(("web", "conversations")) == before[0] + 1, timeout=60)
    print(f"\nreports view: a new conversation was drawn {time.monotonic() - started:.1f} s after it was posted")
    assert fresh["conversation"] != handed["conversation"]
    outgoing = drawn(browser, "volume-by-group")[("web", "messages_out")]
    assert outgoing >= before[1], "the bot's answer may count already"

    # Split by queue: routing put the hand-off in a queue before Ada answered it.
    Select(browser.find_element(By.ID, "report-dimension")).select_by_value("queue")
    until(browser, lambda d: "queue" in d.find_element(By.CSS_SELECTOR, "#first-response .report-title").text)
    by_queue = report(hub, "first_response", shown_span(browser), group_by="queue")
    shown = until(browser, lambda d: (t := tabled(d, "first-response")) and all((row["group"], "p50_seconds") in t for row in by_queue["rows"]) and t)
    assert {row["group"] for row in by_queue["rows"]} - {"none"}, by_queue
    for row in by_queue["rows"]:
        assert close(shown[(row["group"], "p50_seconds")], row["p50_seconds"])

    # Another range and business time read the reports again for that range.
    Select(browser.find_element(By.ID, "report-range")).select_by_value("today")
    until(browser, lambda d: shown_span(d)["from"] != span["from"])
    today = shown_span(browser)
    assert report(hub, "volume", today)["total"]["conversations"] == int(kpi(browser, "conversations").replace(",", ""))
    browser.find_element(By.ID, "report-business").click()
    until(browser, lambda d: ("total", "business_p50_seconds") in tabled(d, "first-response"))
    business = report(hub, "first_response", shown_span(browser))
    assert close(tabled(browser, "first-response")[("total", "business_p50_seconds")], business["total"]["business_p50_seconds"])
