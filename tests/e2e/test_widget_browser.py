"""The demo page and widget in headless Chromium: chat, agent reply, return visit, HTTP fallback."""
import pathlib
import shutil

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import AGENT

SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "install chromium and chromium-driver (scripts/install-deps.sh --test)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,800"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout=15):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))


def messages(driver, direction):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, f".tributary-message[data-direction={direction}]")
            if "tributary-pending" not in e.get_attribute("class")]


def agent_reply(hub, text):
    customers = requests.get(hub.url("/api/v1/customers"), headers=AGENT, timeout=10).json()["customers"]
    assert len(customers) == 1
    timeline = requests.get(hub.url(f"/api/v1/customers/{customers[0]['id']}/timeline"), headers=AGENT, timeout=10).json()
    conversation = timeline["events"][0]["conversation"]
    reply = requests.post(hub.url(f"/api/v1/conversations/{conversation}/messages"), json={"text": text}, headers=AGENT, timeout=10)
    assert reply.status_code == 201


def open_widget(driver, hub, transport, query=""):
    driver.get(hub.url("/widget/demo" + query))
    wait_for(driver, lambda d: d.find_element(By.ID, "tributary-chat").get_attribute("data-transport") == transport)


def screenshot(driver, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def send(driver, text):
    driver.find_element(By.ID, "tributary-input").send_keys(text)
    driver.find_element(By.ID, "tributary-send").click()


def test_visitor_chats_in_a_real_browser_and_resumes_after_reload(hub, browser):
    open_widget(browser, hub, "websocket")
    send(browser, "Hello from Chromium 你好")
    wait_for(browser, lambda d: messages(d, "in") == ["Hello from Chromium 你好"])

    agent_reply(hub, "Hi! How can we help?")
    wait_for(browser, lambda d: messages(d, "out") == ["Hi! How can we help?"])
    screenshot(browser, "widget-websocket.png")

    # A return visit: the stored token resumes the conversation with its history.
    browser.refresh()
    wait_for(browser, lambda d: messages(d, "out") == ["Hi! How can we help?"] and messages(d, "in") == ["Hello from Chromium 你好"])

    # A reply written while the page is closed arrives on return.
    browser.get("about:blank")
    agent_reply(hub, "Your parcel left the warehouse.")
    browser.get(hub.url("/widget/demo"))
    wait_for(browser, lambda d: messages(d, "out") == ["Hi! How can we help?", "Your parcel left the warehouse."])


def test_widget_falls_back_to_http_when_no_socket_is_used(hub, browser):
    open_widget(browser, hub, "http", "?transport=http")
    send(browser, "over plain HTTP")
    wait_for(browser, lambda d: messages(d, "in") == ["over plain HTTP"])
    agent_reply(hub, "received over HTTP")
    wait_for(browser, lambda d: messages(d, "out") == ["received over HTTP"], timeout=20)
    screenshot(browser, "widget-http.png")
