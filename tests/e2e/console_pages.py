"""Headless Chromium for the console's tests: the browser, waiting on the page, signing in, screenshots."""
import pathlib
import shutil

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"
PASSWORD = "console-test-password-2026"


@pytest.fixture
def browser():
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver_path, "install chromium and chromium-driver (scripts/install-deps.sh --test)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900", "--lang=en-US"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and entry["source"] == "javascript"]
    driver.quit()
    assert not errors, f"JavaScript errors in the console: {errors}"


def until(driver, condition, timeout=20):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)
                             ).until(lambda d: condition(d))
    except Exception:
        status = driver.execute_script("return document.getElementById('status-line')?.textContent")
        problem = driver.execute_script("return document.getElementById('composer-problem')?.textContent")
        raise AssertionError(f"condition not met; status line: {status!r}, composer: {problem!r}")


def screenshot(driver, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def log_in(driver, hub, email, language="en", password=PASSWORD):
    driver.get(hub.url("/console"))
    driver.execute_script("localStorage.setItem('tributary.language', arguments[0])", language)
    driver.refresh()
    until(driver, lambda d: d.find_element(By.ID, "login-email").is_displayed())
    driver.find_element(By.ID, "login-email").send_keys(email)
    driver.find_element(By.ID, "login-password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    until(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    until(driver, lambda d: d.find_element(By.ID, "connection").text == "Live" or d.find_element(By.ID, "connection").text == "实时")
