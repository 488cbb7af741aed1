#!/usr/bin/env python3
"""Drives the platform dashboard in headless Chromium (Debian's chromium + chromedriver, selenium from PyPI).

Run by RampartPlatformTests.BrowserTests against a live platform that the test seeded. Logs in, checks the
overview and the event detail page, confirms an event carrying <script>alert(1)</script> renders as text with
no script running, and switches a category to blocking through the settings form. Exits non-zero on failure.
"""
import argparse
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--xss-event", required=True)
    parser.add_argument("--expected-attacks", type=int, required=True)
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

        driver.get(f"{args.url}/?app={args.app_id}&window=24h")
        check("Overview" in driver.title, "logged in, overview shown")
        total = driver.find_element(By.ID, "total-attacks").text
        check(total == str(args.expected_attacks), f"overview counts {args.expected_attacks} attacks (shows {total})")
        bars = driver.find_elements(By.CSS_SELECTOR, "#attacks-chart rect")
        check(len(bars) > 0, f"the chart draws bars ({len(bars)})")
        times = driver.find_elements(By.CSS_SELECTOR, "time[title]")
        if args.screenshot_dir:
            driver.save_screenshot(f"{args.screenshot_dir}/overview.png")

        driver.get(f"{args.url}/signals?app={args.app_id}&window=24h")
        times = driver.find_elements(By.CSS_SELECTOR, "time[title]")
        check(len(times) > 0, "the dashboard script ran under the CSP (times converted to local time)")

        driver.get(f"{args.url}/events/{args.xss_event}")
        alert = no_alert()
        check(alert is None, "no script from the event ran " + (alert or ""))
        value = driver.find_element(By.CSS_SELECTOR, "pre.value").text
        check("<script>alert(1)</script>" in value, f"the payload is shown as text ({value!r})")
        injected = driver.execute_script("return document.querySelectorAll('main script').length")
        check(injected == 0, "no script element was created from event data")
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "mark")]
        check("server.request.query" in marks, "the matched address is highlighted")
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
    finally:
        driver.quit()
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
