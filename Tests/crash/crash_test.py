#!/usr/bin/env python3
"""Crash safety: kills `arbook import` and `arbook serve` with SIGKILL at random moments (and, on
PostgreSQL, the database server too, as a power cut would) and proves after each kill that

  - the book opens and `arbook check` passes;
  - an import is all or nothing: the same file imported again afterwards is either "imported already"
    (the killed run had committed all of it) or imports every row, and the book's total is exactly the
    sum of every file once;
  - every receipt the server acknowledged (2xx) is in the book exactly once, and no receipt is there twice.

Usage: crash_test.py ARBOOK [--engine sqlite|postgres] [--imports N] [--serves N] [--seconds S] [--seed N]
Prints one line per kill and a summary; exits 1 on the first broken promise, 0 when all held.
Only the standard library; PostgreSQL comes from scripts/postgres (a cluster of the test's own).
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CUSTOMERS = 20
TODAY = "2026-06-30"


class Broken(Exception):
    """A promise the book did not keep."""


class Book:
    """The book under test and the arbook binary that works on it."""

    def __init__(self, arbook, engine, folder):
        self.arbook = arbook
        self.engine = engine
        self.folder = folder
        self.cluster = None
        if engine == "postgres":
            # The cluster belongs to the postgres user when we are root: it must be able to reach its folder.
            os.chmod(folder, 0o755)
            self.cluster = os.path.join(folder, "pg")
            env = dict(os.environ, ARBOOK_PG_DURABLE="1")
            url = subprocess.run([os.path.join(ROOT, "scripts/postgres"), "start", self.cluster], env=env,
                                 check=True, capture_output=True, text=True).stdout.strip()
            self.database = url.replace("/postgres?", "/crash_book?")
        else:
            self.database = os.path.join(folder, "book.sqlite")

    def run(self, *arguments, stdin=None, check=True):
        result = subprocess.run([self.arbook, *arguments, "--database", self.database], input=stdin,
                                capture_output=True, text=True, env=dict(os.environ, ARBOOK_TODAY=TODAY), timeout=600)
        if check and result.returncode != 0:
            raise Broken(f"arbook {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()[:500]}")
        return result

    def start(self, *arguments):
        return subprocess.Popen([self.arbook, *arguments, "--database", self.database], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=dict(os.environ, ARBOOK_TODAY=TODAY))

    def crash_database(self):
        subprocess.run([os.path.join(ROOT, "scripts/postgres"), "crash", self.cluster], check=True, capture_output=True)

    def restart_database(self):
        subprocess.run([os.path.join(ROOT, "scripts/postgres"), "restart", self.cluster], check=True, capture_output=True)

    def check(self, when):
        result = self.run("check", check=False)
        if result.returncode != 0:
            raise Broken(f"check failed {when}: {result.stdout.strip()[-500:]} {result.stderr.strip()[-500:]}")

    def balance(self):
        """The book's balance as of today in minor units, from the aging's totals."""
        totals = json.loads(self.run("aging", "--as-of", TODAY, "--format", "json").stdout)["totals"]
        return minor(totals["balance"])

    def close(self):
        if self.cluster:
            subprocess.run([os.path.join(ROOT, "scripts/postgres"), "stop", self.cluster], capture_output=True)


def minor(text):
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kill(process):
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


def prepare(book):
    book.run("init")
    rows = "".join(f"K{n:02d},客户 {n},30\n" for n in range(1, CUSTOMERS + 1))
    customers = os.path.join(book.folder, "customers.csv")
    with open(customers, "w", encoding="utf-8") as file:
        file.write("code,name,payment_terms_days\n" + rows)
    book.run("import", "customers", customers)
    book.run("user", "add", "load", "--role", "accountant", stdin="correct horse battery staple\n")
    return book.run("token", "create", "load", "--user", "load").stdout.strip()


def import_kills(book, count, deadline, rng):
    """Kills imports of invoice files at random moments; returns how many kills there were and how many landed mid-import."""
    expected = book.balance()
    landed = 0
    kills = 0
    for index in range(count):
        if time.time() > deadline:
            print(f"imports: time is up after {index} kills")
            break
        rows = rng.randint(200, 3000)
        path = os.path.join(book.folder, f"invoices-{index}.csv")
        total = 0
        with open(path, "w", encoding="utf-8") as file:
            file.write("number,customer,issue_date,amount\n")
            for row in range(rows):
                cents = 10_000 + (index * 7919 + row * 104729) % 900_000
                total += cents
                file.write(f"I{index}-{row},K{row % CUSTOMERS + 1:02d},2026-05-{1 + row % 28:02d},{cents // 100}.{cents % 100:02d}\n")
        process = book.start("import", "invoices", path)
        # Somewhere in the import's life (PostgreSQL takes longer to start and to load).
        time.sleep(rng.uniform(0, (0.05 + rows / 4000) * (3 if book.cluster else 1)))
        running = process.poll() is None
        # On PostgreSQL every third kill takes the database down with it, under the running import.
        crashed_database = book.cluster is not None and index % 3 == 2
        if crashed_database:
            book.crash_database()
        kill(process)
        if crashed_database:
            book.restart_database()
        book.check(f"after killing import {index}")
        again = book.run("import", "invoices", path)
        if "imported already" in again.stdout:
            outcome = "had committed"
        elif f"Imported {rows} " in again.stdout:
            outcome = "had written nothing"
        else:
            raise Broken(f"import {index} again said: {again.stdout.strip()}")
        expected += total
        balance = book.balance()
        if balance != expected:
            raise Broken(f"after import {index} the book holds {balance} minor units, expected {expected}: not all or nothing")
        landed += running
        kills += 1
        print(f"import {index}: {rows} rows, killed {'mid-import' if running else 'after it ended'}"
              f"{' with the database' if crashed_database else ''}; it {outcome}; check passed")
    return kills, landed


def post_receipts(port, token, prefix, acknowledged, attempted, stop):
    number = 0
    while not stop.is_set():
        reference = f"{prefix}-{number}"
        number += 1
        body = json.dumps({"reference": reference, "customer": f"K{number % CUSTOMERS + 1:02d}", "date": TODAY,
                           "amount": f"{1 + number % 50}.{number % 100:02d}", "method": "bank_transfer"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/receipts", data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": reference})
        attempted.append(reference)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if 200 <= response.status < 300:
                    acknowledged.append(reference)
        except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
            if stop.is_set():
                return
            time.sleep(0.01)


def wait_for_health(port, process):
    for _ in range(600):
        if process.poll() is not None:
            raise Broken(f"the server exited {process.returncode} at start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    raise Broken("the server did not answer /health")


def receipts_in_book(port, token):
    """Every receipt reference in the customers' ledgers, with how often it appears."""
    seen = {}
    for customer in range(1, CUSTOMERS + 1):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/customers/K{customer:02d}/ledger?from={TODAY}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            for line in json.loads(response.read())["lines"]:
                if line["kind"] == "receipt":
                    seen[line["document"]] = seen.get(line["document"], 0) + 1
    return seen


def serve_kills(book, token, count, deadline, rng):
    """Kills the server under a load of receipts; returns how many kills there were and how many acknowledged receipts were checked."""
    checked = 0
    kills = 0
    port = free_port()
    server = book.start("serve", "--port", str(port))
    wait_for_health(port, server)
    for index in range(count):
        if time.time() > deadline:
            print(f"serve: time is up after {index} kills")
            break
        acknowledged, attempted, stop = [], [], threading.Event()
        clients = [threading.Thread(target=post_receipts, args=(port, token, f"S{index}-{n}", acknowledged, attempted, stop))
                   for n in range(4)]
        for client in clients:
            client.start()
        time.sleep(rng.uniform(0.2, 1.5))
        crashed_database = book.cluster is not None and index % 3 == 2
        if crashed_database:
            book.crash_database()
        kill(server)
        if crashed_database:
            book.restart_database()
        stop.set()
        for client in clients:
            client.join()
        book.check(f"after killing the server ({index})")
        port = free_port()
        server = book.start("serve", "--port", str(port))
        wait_for_health(port, server)
        seen = receipts_in_book(port, token)
        twice = [reference for reference, times in seen.items() if times > 1]
        if twice:
            raise Broken(f"receipts in the book more than once: {twice[:5]}")
        lost = [reference for reference in acknowledged if reference not in seen]
        if lost:
            raise Broken(f"acknowledged receipts missing after kill {index}: {lost[:5]} of {len(acknowledged)}")
        checked += len(acknowledged)
        kills += 1
        unacknowledged = sum(1 for reference in attempted if reference in seen) - len(acknowledged)
        print(f"serve {index}: {len(acknowledged)} receipts acknowledged, all there once ({unacknowledged} in flight also written)"
              f"{'; database crashed too' if crashed_database else ''}; check passed")
    server.send_signal(signal.SIGTERM)
    server.wait()
    return kills, checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("arbook")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--imports", type=int, default=100, help="kills of arbook import")
    parser.add_argument("--serves", type=int, default=100, help="kills of arbook serve")
    parser.add_argument("--seconds", type=int, default=1800, help="stop killing after this long (the checks still run)")
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.time()
    deadline = started + options.seconds
    with tempfile.TemporaryDirectory(prefix="arbook-crash-") as folder:
        book = Book(os.path.abspath(options.arbook), options.engine, folder)
        try:
            token = prepare(book)
            imports, landed = import_kills(book, options.imports, started + options.seconds / 2, rng)
            serves, checked = serve_kills(book, token, options.serves, deadline, rng)
            book.check("at the end")
        except Broken as broken:
            print(f"BROKEN (seed {seed}, {options.engine}): {broken}")
            return 1
        finally:
            book.close()
    print(f"crash test on {options.engine} held (seed {seed}): {imports} import kills ({landed} mid-import), "
          f"{serves} server kills, {checked} acknowledged receipts each found once, in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
