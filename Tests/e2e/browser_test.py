"""End-to-end test in a real browser: sign in, import CSV files, record a receipt and allocate it,
and see the aging change -- once in English, once in Chinese. Then, on a demo book of 300 customers,
every main page at 1366 px and at 390 px (a phone) in both languages: no page scrolls sideways, none
weighs more than 100 KB of HTML, and axe-core finds no serious or critical accessibility violation.
Saves screenshots of the main pages.

Run by scripts/test with the built `arbook` binary; it starts its own server on a fresh book.
Usage: browser_test.py ARBOOK_BINARY SCREENSHOT_FOLDER
"""
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ARBOOK, SHOTS = sys.argv[1], sys.argv[2]
PASSWORD = "e2e password 2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arbook(*args, stdin=None):
    return subprocess.run([ARBOOK, *args], input=stdin, text=True, capture_output=True, check=True)


def browser(language, width=1280, height=1000):
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     f"--lang={language}"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def serve(book):
    """`arbook serve` on the book, once it answers; returns the process and its address."""
    port = free_port()
    server = subprocess.Popen([ARBOOK, "serve", "--database", book, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def sign_in(driver, base, name):
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "total-receivables")


def wait_for(driver, element_id):
    """The element, once the page that has it has loaded (a click on submit does not wait)."""
    return WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.ID, element_id)))


def aging_total(driver, base):
    driver.get(base + "/aging?as_of=2026-06-30")
    return driver.find_element(By.ID, "aging-total").text


def run(language, folder, expect):
    book = os.path.join(folder, f"book-{language}.sqlite")
    arbook("init", "--database", book)
    arbook("user", "add", "ops", "--role", "accountant", "--database", book, stdin=PASSWORD + "\n")
    files = {
        "customers": "客户编码,客户名称,账期天数\nK1,上海华盛机械有限公司,30\nK2,北京恒通贸易有限公司,60\n",
        "invoices": "发票号,客户编码,开票日期,到期日,金额\nF1,K1,2026-03-01,2026-03-31,\"1,000.00\"\nF2,K1,2026-05-01,2026-05-31,500.00\nG1,K2,2026-04-01,,800.00\n",
    }
    server, base = serve(book)
    driver = browser(language)
    try:
        sign_in(driver, base, "ops")
        assert expect["dashboard"] in driver.page_source
        # A file with a bad row is shown row by row and imports nothing.
        bad = os.path.join(folder, f"bad-{language}.csv")
        with open(bad, "w", encoding="utf-8") as out:
            out.write("发票号,客户编码,开票日期,金额\nF9,K404,2026-03-01,1.00\n")
        # Import customers, then invoices.
        for kind in ["customers", "invoices"]:
            path = os.path.join(folder, f"{kind}-{language}.csv")
            with open(path, "w", encoding="gb18030") as out:
                out.write(files[kind])
            driver.get(base + "/import")
            driver.find_element(By.CSS_SELECTOR, f"select[name=kind] option[value={kind}]").click()
            driver.find_element(By.NAME, "file").send_keys(path)
            driver.find_element(By.ID, "check-file").click()
            wait_for(driver, "import-good")
            if kind == "invoices":
                driver.save_screenshot(os.path.join(SHOTS, f"import-{language}.png"))
            driver.find_element(By.ID, "confirm-import").click()
            wait_for(driver, "import-done")
        driver.get(base + "/import")
        driver.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=invoices]").click()
        driver.find_element(By.NAME, "file").send_keys(bad)
        driver.find_element(By.ID, "check-file").click()
        issues = wait_for(driver, "import-issues").text
        assert "K404" in issues and "2" in issues, issues
        # A refused form comes back with what was typed and the reason beside its field, in the page's
        # language; the customer field takes a name and, with the script, offers matches as one types.
        driver.get(base + "/invoices/new")
        driver.find_element(By.NAME, "number").send_keys("F77")
        customer = driver.find_element(By.NAME, "customer")
        customer.send_keys("华盛")
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#customer-lookup option[value=K1]"))
        driver.find_element(By.NAME, "amount").send_keys("12.345")
        driver.find_element(By.CSS_SELECTOR, "form[action='/invoices'] button.primary").click()
        error = wait_for(driver, "error-amount").text
        assert expect["decimals"] in error, error
        assert driver.find_element(By.NAME, "number").get_attribute("value") == "F77"
        assert driver.find_element(By.NAME, "customer").get_attribute("value") == "华盛"
        driver.save_screenshot(os.path.join(SHOTS, f"form-error-{language}.png"))
        before = aging_total(driver, base)
        assert before == "¥2,300.00", before
        driver.save_screenshot(os.path.join(SHOTS, f"aging-before-{language}.png"))
        # Record a receipt of 1,200.00 from K1: oldest due first is proposed (F1 1,000.00 then F2 200.00).
        driver.get(base + "/cash?customer=K1&amount=1200.00&reference=R1")
        proposed = [field.get_attribute("value") for field in driver.find_elements(By.NAME, "apply[]")]
        assert proposed == ["1,000.00", "200.00"], proposed
        # The customer asked to pay F2 in full first: change the amounts.
        fields = driver.find_elements(By.NAME, "apply[]")
        fields[0].clear()
        fields[0].send_keys("700.00")
        fields[1].clear()
        fields[1].send_keys("400.00")
        # The totals follow what is typed: 1,100.00 applied, 100.00 would stay as an advance.
        assert driver.find_element(By.ID, "applied-total").text == "¥1,100.00", driver.find_element(By.ID, "applied-total").text
        assert driver.find_element(By.ID, "advance-rest").text == "¥100.00", driver.find_element(By.ID, "advance-rest").text
        fields[1].send_keys(Keys.BACKSPACE * 6 + "500.00")
        assert driver.find_element(By.ID, "advance-rest").text == "¥0.00", driver.find_element(By.ID, "advance-rest").text
        # A date input shows the browser's own format; set its value (always YYYY-MM-DD) directly.
        driver.execute_script("arguments[0].value = '2026-06-10'", driver.find_element(By.NAME, "date"))
        driver.save_screenshot(os.path.join(SHOTS, f"cash-{language}.png"))
        driver.find_element(By.ID, "record-receipt").click()
        wait_for(driver, "receipt-rest")
        assert "R1" in driver.find_element(By.TAG_NAME, "h1").text
        after = aging_total(driver, base)
        assert after == "¥1,100.00", after
        assert expect["aging"] in driver.page_source
        driver.save_screenshot(os.path.join(SHOTS, f"aging-{language}.png"))
        driver.get(base + "/")
        driver.save_screenshot(os.path.join(SHOTS, f"dashboard-{language}.png"))
        assert driver.find_element(By.ID, "total-receivables").text == "¥1,100.00"
        # Collections: a call with a next action for today puts K1 on the worklist; the day's dunning
        # fills the outbox.
        driver.get(base + "/customers/K1")
        driver.find_element(By.NAME, "outcome").send_keys(expect["outcome"])
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, "next_action_day"),
                              datetime.date.today().isoformat())
        driver.find_element(By.NAME, "next_action").send_keys("call again")
        driver.find_element(By.CSS_SELECTOR, "form[action='/customers/K1/activities'] button").click()
        wait_for(driver, "timeline-entries")
        assert expect["outcome"] in driver.page_source
        driver.save_screenshot(os.path.join(SHOTS, f"customer-{language}.png"))
        driver.get(base + "/worklist")
        worklist = wait_for(driver, "worklist").text
        assert "K1" in worklist and expect["next_action_due"] in worklist, worklist
        driver.save_screenshot(os.path.join(SHOTS, f"worklist-{language}.png"))
        run = arbook("dunning", "run", "--approve", "--database", book)
        assert "messages in the outbox" in run.stdout, run.stdout
        driver.get(base + "/outbox")
        outbox = wait_for(driver, "outbox").text
        assert "K1" in outbox, outbox
        driver.save_screenshot(os.path.join(SHOTS, f"outbox-{language}.png"))
        check = arbook("check", "--database", book)
        assert check.stdout.startswith("OK"), check.stdout
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)



AXE = None


def axe_source():
    """axe-core as the axe-selenium-python package ships it (from PyPI)."""
    global AXE
    if AXE is None:
        import axe_selenium_python
        path = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
        with open(path, encoding="utf-8") as source:
            AXE = source.read()
    return AXE


def accessibility_violations(driver):
    """The serious and critical violations axe-core finds on the page."""
    driver.execute_script(axe_source())
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(JSON.stringify(r.violations)); })"
        ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', description: String(e), nodes: []}])); });")
    return [v for v in json.loads(result) if v.get("impact") in ("serious", "critical")]


def page_bytes(base, path, cookies, language):
    """The page's HTML as the server sends it, before compression."""
    jar = "; ".join(f"{c['name']}={c['value']}" for c in cookies if c["name"] == "arbook_session") + f"; lang={language}"
    request = urllib.request.Request(base + path, headers={"Cookie": jar})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


# The pages a finance team works in, on the demo book.
DEMO_PAGES = ["/", "/customers", "/customers/K00002", "/customers/K00002/statement", "/customers/K00002/history",
              "/customers/K00002/edit", "/customers/new", "/invoices", "/invoices?status=overdue", "/invoices/new",
              "/receipts", "/aging", "/aging?bucket=4", "/cash?customer=K00002&amount=1000", "/worklist", "/dunning",
              "/outbox", "/disputes", "/import", "/audit", "/settings", "/invoices/INV-K00002-0001", "/receipts/ADV-K00005"]


def demo_checks(folder):
    """The demo book at 1366 and 390 px in both languages: sideways scrolling, page weight, accessibility."""
    book = os.path.join(folder, "demo.sqlite")
    arbook("demo", "--database", book, "--replace", "--customers", "300")
    arbook("user", "add", "wangfang", "--role", "admin", "--display-name", "王芳", "--database", book, stdin=PASSWORD + "\n")
    server, base = serve(book)
    failures = []
    try:
        for language in ["en", "zh-CN"]:
            for width, height in [(1366, 900), (390, 844)]:
                driver = browser(language, width, height)
                try:
                    sign_in(driver, base, "wangfang")
                    if language == "zh-CN":
                        driver.get(base + "/lang/zh")
                    for path in DEMO_PAGES:
                        driver.get(base + path)
                        name = f"{path} {language} {width}px"
                        overflow = driver.execute_script(
                            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                        if overflow > 1:
                            failures.append(f"{name}: scrolls sideways by {overflow} px")
                        size = page_bytes(base, path, driver.get_cookies(), "zh" if language == "zh-CN" else "en")
                        if size > 100 * 1024:
                            failures.append(f"{name}: {size} bytes of HTML")
                        if width == 1366 or path in ("/", "/customers/K00002", "/cash?customer=K00002&amount=1000"):
                            for violation in accessibility_violations(driver):
                                failures.append(f"{name}: {violation['impact']} {violation['id']}: {violation.get('help', '')} "
                                                f"({len(violation.get('nodes', []))} elements)")
                    shots = {("en", 1366): [("/", "dashboard-en"), ("/invoices?status=overdue", "invoices-en"), ("/dunning", "dunning-en")],
                             ("zh-CN", 1366): [("/aging", "aging-zh-CN"), ("/customers/K00002", "customer-zh-CN"),
                                               ("/worklist", "worklist-zh-CN")],
                             ("zh-CN", 390): [("/", "dashboard-zh-CN-phone"), ("/customers/K00002", "customer-zh-CN-phone")],
                             ("en", 390): [("/aging", "aging-en-phone")]}
                    for path, shot in shots.get((language, width), []):
                        driver.get(base + path)
                        driver.save_screenshot(os.path.join(SHOTS, f"{shot}.png"))
                finally:
                    driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not failures, "\n".join(failures)
    print(f"demo book: {len(DEMO_PAGES)} pages at 1366 and 390 px in English and 中文: no sideways scrolling, "
          "each at most 100 KB, no serious accessibility violation")


if __name__ == "__main__":
    os.makedirs(SHOTS, exist_ok=True)
    passed = 0
    with tempfile.TemporaryDirectory() as folder:
        for language, expect in [("en", {"dashboard": "Dashboard", "aging": "Aging", "outcome": "CFO promised a transfer",
                                         "next_action_due": "Next action due", "decimals": "has more than 2 decimals"}),
                                 ("zh-CN", {"dashboard": "总览", "aging": "账龄分析", "outcome": "财务说下周付款",
                                            "next_action_due": "待跟进", "decimals": "的小数超过 2 位"})]:
            run(language, folder, expect)
            passed += 1
            print(f"browser test in {language}: passed")
        demo_checks(folder)
        passed += 1
    print(f"{passed} passed, 0 failed")
