#!/usr/bin/env python3
"""Drives the platform dashboard in headless Chromium (Debian's chromium + chromedriver, selenium from PyPI).

Run by RampartPlatformTests.BrowserTests against a live platform and a real app protected by Rampart whose agent
reports to it. Logs in; sends an attack carrying <script>alert(1)</script> to the app (monitored: it passes); waits
for it on the overview and opens its detail page, confirming the payload renders as text with no script running;
switches its category to blocking through the settings form; then repeats the identical attack until the agent has
picked up the change at a heartbeat and the app answers 403. Exits non-zero on failure.
"""
import argparse
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def status_of(url):
    """The HTTP status of a GET, 4xx and 5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def reload_number(driver, url, element_id):
    driver.get(url)
    return int(driver.find_element(By.ID, element_id).text or "0")


def wait_for(read, done, timeout=30, pause=0.3):
    """Calls read() until done(value) or the timeout; returns the last value."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(pause)
        value = read()
    return value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--protected-app", required=True, help="base URL of the app protected by the agent")
    parser.add_argument("--screenshot-dir")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.binary_location = args.chromium
    driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
    driver.set_page_load_timeout(30)
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            failures.append(message)

    def no_alert():
        try:
            alert = driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            return "alert opened: " + text
        except NoAlertPresentException:
            return None

    try:
        driver.get(args.url + "/")
        check(driver.current_url.endswith("/login"), "an anonymous visit is sent to the login page")
        driver.find_element(By.NAME, "username").send_keys(args.user)
        driver.find_element(By.NAME, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        # Clicking returns before the POST completes; wait for the redirect away from the login page.
        WebDriverWait(driver, 30).until(lambda d: not d.current_url.endswith("/login"))

        overview = f"{args.url}/?app={args.app_id}&window=24h"
        driver.get(overview)
        check("Overview" in driver.title, "logged in, overview shown")
        check(driver.find_element(By.ID, "total-attacks").text == "0", "no attack recorded yet")

        # The attack: monitored by default, so the app still answers.
        payload = "<script>alert(1)</script>"
        attack = args.protected_app + "/comment?text=" + urllib.parse.quote(payload)
        check(status_of(attack) == 200, "the first attack is monitored, not blocked")

        # It reaches the platform at the agent's next heartbeat.
        total = wait_for(lambda: reload_number(driver, overview, "total-attacks"), lambda n: n >= 1)
        check(total == 1, f"the attack appears on the overview ({total})")
        bars = driver.find_elements(By.CSS_SELECTOR, "#attacks-chart rect")
        check(len(bars) > 0, f"the chart draws bars ({len(bars)})")
        check("xss" in driver.find_element(By.TAG_NAME, "main").text, "the overview lists the xss category")
        if args.screenshot_dir:
            driver.save_screenshot(f"{args.screenshot_dir}/overview.png")

        driver.get(f"{args.url}/signals?app={args.app_id}&window=24h")
        times = driver.find_elements(By.CSS_SELECTOR, "time[title]")
        check(len(times) > 0, "the dashboard script ran under the CSP (times converted to local time)")

        driver.get(f"{args.url}/signals/events?app={args.app_id}&window=24h")
        driver.find_element(By.CSS_SELECTOR, "a[href^='/events/']").click()
        WebDriverWait(driver, 30).until(lambda d: "/events/" in d.current_url)
        alert = no_alert()
        check(alert is None, "no script from the event ran " + (alert or ""))
        values = [v.text for v in driver.find_elements(By.CSS_SELECTOR, "pre.value")]
        check(any(payload in value for value in values), f"the payload is shown as text ({values!r})")
        injected = driver.execute_script("return document.querySelectorAll('main script').length")
        check(injected == 0, "no script element was created from event data")
        page = driver.find_element(By.TAG_NAME, "main").text
        check("/comment" in page, "the detail page shows the attacked route")
        if args.screenshot_dir:
            driver.save_screenshot(f"{args.screenshot_dir}/event.png")

        driver.get(f"{args.url}/settings?app={args.app_id}")
        row = driver.find_element(By.XPATH, "//table[@id='category-modes']//tr[td[1][text()='xss']]")
        Select(row.find_element(By.NAME, "mode")).select_by_value("block")
        row.find_element(By.CSS_SELECTOR, "button").click()
        flash = WebDriverWait(driver, 30).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".flash"))).text
        check("xss set to block" in flash, f"switching xss to block is confirmed ({flash!r})")
        if args.screenshot_dir:
            driver.save_screenshot(f"{args.screenshot_dir}/settings.png")

        # The agent applies the change at its next heartbeat; from then on the identical attack is blocked.
        status = wait_for(lambda: status_of(attack), lambda code: code == 403)
        check(status == 403, f"the identical attack is blocked once the agent has the change ({status})")
        blocked = wait_for(lambda: reload_number(driver, overview, "blocked-attacks"), lambda n: n >= 1)
        check(blocked >= 1, f"the blocked attack appears on the overview as blocked ({blocked})")
    finally:
        driver.quit()
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
