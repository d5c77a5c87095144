"""Times every main page of a demo book at the server: the time from request to the last byte of the
answer over loopback (a keep-alive connection, so no connection set-up), and the size of its HTML
before compression. Prints a Markdown table with the minimum, median, 90th percentile and maximum of
each page, in both languages.

Usage: python3 Benchmarks/pages.py ARBOOK_BINARY [--customers 300] [--requests 30]
(use a release build: swift build -c release --product arbook).
"""
import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse

PAGES = ["/", "/customers", "/customers/K00002", "/customers/K00002/statement", "/customers/K00002/history",
         "/customers/K00002/edit", "/customers/new", "/invoices", "/invoices?status=overdue", "/invoices?q=K0001",
         "/invoices/new", "/invoices/INV-K00002-0001", "/receipts", "/receipts?unapplied=1", "/receipts/ADV-K00005",
         "/aging", "/aging?bucket=4", "/aging/cell?customer=K00002&bucket=4", "/cash?customer=K00002&amount=1000",
         "/worklist", "/dunning", "/outbox", "/disputes", "/import", "/audit", "/settings", "/lookup/customers?q=%E4%B8%8A%E6%B5%B7"]
PASSWORD = "benchmark password 2026"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arbook")
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = os.path.join(folder, "demo.sqlite")
        subprocess.run([args.arbook, "demo", "--database", book, "--replace", "--customers", str(args.customers)],
                       check=True, capture_output=True)
        subprocess.run([args.arbook, "user", "add", "bench", "--role", "admin", "--display-name", "王芳", "--database", book],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([args.arbook, "serve", "--database", book, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/login")
            response = connection.getresponse()
            response.read()
            login = re.search(r"arbook_login_csrf=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
            body = urllib.parse.urlencode({"name": "bench", "password": PASSWORD, "_csrf": login})
            connection.request("POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                                       "Cookie": f"arbook_login_csrf={login}"})
            response = connection.getresponse()
            response.read()
            session = re.search(r"arbook_session=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
            print("| page | language | bytes | min ms | median ms | p90 ms | max ms |")
            print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
            for page in PAGES:
                for language in ["en", "zh"]:
                    headers = {"Cookie": f"arbook_session={session}; lang={language}"}
                    times, size = [], 0
                    for index in range(args.requests + 3):
                        start = time.perf_counter()
                        connection.request("GET", page, headers=headers)
                        response = connection.getresponse()
                        data = response.read()
                        elapsed = (time.perf_counter() - start) * 1000
                        assert response.status == 200, f"{page}: {response.status}"
                        size = len(data)
                        if index >= 3:
                            times.append(elapsed)
                    times.sort()
                    p90 = times[int(len(times) * 0.9) - 1]
                    print(f"| `{page}` | {language} | {size:,} | {times[0]:.1f} | {statistics.median(times):.1f} | {p90:.1f} | {times[-1]:.1f} |")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
