#!/usr/bin/env python3
"""Printed minutes (issue 14): the demonstration's largest circulated minutes, printed to A4 PDF
by Chromium as a person would print them, must read as a document: the OFFICIAL-SENSITIVE
marking, the reference and "Page N of M" on every page, who authorised the record and when,
no form controls, and a typical meeting in at most four pages.

Starts `convene serve --demo` on a fresh SQLite file, signs in as the team manager, opens the
minutes of each discussion on the Team page, prints the longest released one and reads the PDF
back with pypdf (installed by pip when missing).

Usage: python3 browser-tests/print_minutes.py [path/to/convene]
"""
import base64
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import pypdf
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pypdf"], check=False)
    import pypdf

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Strategy-Demo-2026"
MAX_PAGES = 4
REFERENCE = re.compile(r"SD-\d{4}-\d{5}/\d+")


def fail(why):
    print("FAILED (printed minutes): " + why, file=sys.stderr)
    sys.exit(1)


def main(binary):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="convene-print-")
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--database",
                               "sqlite:" + os.path.join(work, "db.sqlite")],
                              cwd=ROOT, env=dict(os.environ, CONVENE_BCRYPT_COST="4"),
                              stdout=log, stderr=subprocess.STDOUT)
    driver = None
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        else:
            fail("the server did not start (see " + log.name + ")")
        options = webdriver.ChromeOptions()
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"]:
            options.add_argument(arg)
        options.binary_location = os.environ.get("CHROME_BINARY", "/usr/bin/chromium")
        driver = webdriver.Chrome(options=options,
                                  service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
        driver.implicitly_wait(2)

        # The team manager reads every discussion of the team; the minutes page is the circulated
        # record, as invitees see and print it.
        driver.get(base + "/sign-in")
        driver.find_element(By.ID, "email").send_keys("tara.manager@northtown.example")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type='submit']").click()
        time.sleep(0.5)
        driver.get(base + "/team")
        discussions = sorted({re.sub(r"/[a-z-]+$", "", a.get_attribute("href").split("?")[0]) if a.get_attribute("href").count("/") > 4
                              else a.get_attribute("href").split("?")[0]
                              for a in driver.find_elements(By.CSS_SELECTOR, "main a[href*='/discussions/']")})
        links = [d + "/minutes" for d in discussions]
        if not links:
            fail("the team page lists no discussions:\n" + driver.find_element(By.TAG_NAME, "main").text[:2000])
        longest, length = None, -1
        for link in links:
            driver.get(link)
            text = driver.find_element(By.TAG_NAME, "main").text
            if "Version" in text and "authorised" in text and len(text) > length:
                longest, length = link, len(text)
        if longest is None:
            fail("none of the minutes on My work is released")
        driver.get(longest)
        screen = driver.find_element(By.TAG_NAME, "main").text
        reference = REFERENCE.search(screen)
        if not reference:
            fail("the minutes page shows no reference")
        reference = reference.group(0)

        printing = PrintOptions()
        printing.page_width, printing.page_height = 21.0, 29.7  # A4, in centimetres
        printing.background = False
        pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(driver.print_page(printing))))
        pages = [page.extract_text() or "" for page in pdf.pages]
        problems = []
        if len(pages) > MAX_PAGES:
            problems.append(f"{len(pages)} A4 pages (at most {MAX_PAGES})")
        for number, text in enumerate(pages, start=1):
            flat = " ".join(text.split())
            if "OFFICIAL-SENSITIVE" not in flat:
                problems.append(f"page {number} has no OFFICIAL-SENSITIVE marking")
            if reference not in flat:
                problems.append(f"page {number} does not show the reference {reference}")
            if f"Page {number} of {len(pages)}" not in flat:
                problems.append(f"page {number} does not say 'Page {number} of {len(pages)}'")
            if number == 1 and len(flat) < 400:
                problems.append("the first page is mostly blank")
        whole = " ".join(" ".join(pages).split())
        if not re.search(r"authorised by [^.]+ on \w+day \d+ \w+ \d{4}", whole):
            problems.append("the printed minutes do not say who authorised them and when")
        for control in ["Send correction", "Sign out", "Skip to main content"]:
            if control in whole:
                problems.append(f"the print shows {control!r}")
        with open(os.path.join(work, "minutes.pdf"), "wb") as f:
            f.write(base64.b64decode(driver.print_page(printing)))
        if problems:
            fail(f"{longest}: " + "; ".join(problems) + f" (PDF: {work}/minutes.pdf)")
        print(f"Printed minutes {reference}: {len(pages)} A4 pages, each marked OFFICIAL-SENSITIVE with the "
              f"reference and its page number; the authoriser is named; no form controls.")
    finally:
        if driver:
            driver.quit()
        server.terminate()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "convene"))
