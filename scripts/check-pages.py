#!/usr/bin/python3
"""Opens newsdigest's HTML pages in headless Chromium (Debian's chromium and chromium-driver,
driven by Debian's python3-selenium) the way readers do: at 360 x 800 (a phone) and 1280 x 900,
in the light and the dark scheme. For each: a screenshot, and checks of the DOM:
  - every story of the day's JSON is on its page (ol.stories > li, ids story-ID);
  - no horizontal scroll at 360 px;
  - no request leaves the page (the browser's own network log, and resource timing);
  - with axe-core (axe.min.js, --axe FILE): no violation of impact serious or critical.

    check-pages.py --out DIR [--axe axe.min.js] PAGE.html[:DAY.json] ...

Prints a line per page and size, writes DIR/report.json, exits 1 on any failed check."""

import argparse
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SIZES = [(360, 800), (1280, 900)]
SCHEMES = ["light", "dark"]


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--axe")
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    axe = open(args.axe, encoding="utf-8").read() if args.axe else None
    driver = browser()
    driver.execute_cdp_cmd("Network.enable", {})
    failures, report = [], []
    try:
        for spec in args.pages:
            page, _, digest = spec.partition(":")
            stories = None
            if digest:
                stories = [s["id"] for s in json.load(open(digest, encoding="utf-8"))["stories"]]
            url = "file://" + os.path.abspath(page)
            name = os.path.splitext(os.path.basename(page))[0]
            for width, height in SIZES:
                for scheme in SCHEMES:
                    driver.set_window_rect(width=width, height=height)
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
                    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
                        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
                    driver.get_log("performance")  # drop what came before this load
                    driver.get(url)
                    tag = f"{name}-{width}x{height}-{scheme}"
                    shot = os.path.join(args.out, tag + ".png")
                    driver.save_screenshot(shot)
                    problems = []
                    scroll = driver.execute_script(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                    if scroll[0] > scroll[1]:
                        problems.append(f"horizontal scroll: {scroll[0]} px wide in {scroll[1]}")
                    requests = set()
                    for entry in driver.get_log("performance"):
                        message = json.loads(entry["message"])["message"]
                        if message.get("method") == "Network.requestWillBeSent":
                            requests.add(message["params"]["request"]["url"])
                    others = sorted(r for r in requests if r != url)
                    if others:
                        problems.append(f"requests leaving the page: {others[:5]}")
                    resources = driver.execute_script("return performance.getEntriesByType('resource').length")
                    if resources:
                        problems.append(f"{resources} resources fetched")
                    if stories is not None:
                        shown = driver.execute_script(
                            "return Array.from(document.querySelectorAll('ol.stories > li')).map(e => e.id)")
                        missing = [s for s in stories if f"story-{s}" not in shown]
                        if missing or len(shown) != len(stories):
                            problems.append(f"stories: {len(shown)} shown of {len(stories)}, missing {missing[:5]}")
                    background = driver.execute_script(
                        "return getComputedStyle(document.body).backgroundColor")
                    violations = []
                    if axe and width == 360:
                        driver.execute_script(axe)
                        result = driver.execute_async_script(
                            "const done = arguments[arguments.length - 1];"
                            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
                            ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
                        violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
                                      for v in result]
                        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
                        if serious:
                            problems.append(f"axe: {serious}")
                    line = {"page": name, "size": f"{width}x{height}", "scheme": scheme, "screenshot": shot,
                            "background": background, "scroll_width": scroll[0], "requests": len(requests),
                            "stories": len(stories) if stories is not None else None,
                            "axe_violations": violations if axe and width == 360 else None, "problems": problems}
                    report.append(line)
                    status = "FAIL" if problems else "ok"
                    axe_note = f", axe: {len(violations)} violation(s)" if axe and width == 360 else ""
                    print(f"check-pages: {status}: {tag}: background {background}{axe_note}"
                          + ("".join(f"\n    {p}" for p in problems)))
                    failures += [f"{tag}: {p}" for p in problems]
    finally:
        driver.quit()
    json.dump(report, open(os.path.join(args.out, "report.json"), "w"), indent=1)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
