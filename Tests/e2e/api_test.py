#!/usr/bin/env python3
"""The JSON API against its OpenAPI document, with schemathesis: a bounded run over every operation
(examples, coverage and fuzzing phases) on a small book, asserting no server error, no status code
the document does not list, and every answer in the documented shape and content type.

Usage: api_test.py ARBOOK [--seconds S]   (exit 0: none found; 1: schemathesis found failures)
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
# schemathesis runs in this process's Python with one patch: Hypothesis describes each filter it is
# given by parsing the lambda's source, and CPython 3.11 before 3.11.9 can fail that parse deep in a
# recursion ("AST constructor recursion depth mismatch"), which stops the run with an internal error.
# The description is only a label, so a plain one is given instead.
SCHEMATHESIS = """
import sys
import hypothesis.internal.reflection as reflection
import hypothesis.strategies._internal.lazy as lazy
plain = lambda function: getattr(function, "__name__", "<function>")
reflection.get_pretty_function_description = plain
lazy.get_pretty_function_description = plain
from schemathesis.cli import schemathesis
sys.argv[0] = "schemathesis"
sys.exit(schemathesis())
"""


def run(arbook, book, *arguments, stdin=None):
    return subprocess.run([arbook, *arguments, "--database", book], input=stdin, capture_output=True, text=True,
                          check=True, env=dict(os.environ, ARBOOK_TODAY="2026-06-30")).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arbook")
    parser.add_argument("--seconds", type=int, default=90)
    options = parser.parse_args()
    arbook = os.path.abspath(options.arbook)
    with tempfile.TemporaryDirectory(prefix="arbook-api-") as folder:
        book = os.path.join(folder, "book.sqlite")
        run(arbook, book, "init")
        customers = os.path.join(folder, "c.csv")
        invoices = os.path.join(folder, "i.csv")
        with open(customers, "w", encoding="utf-8") as file:
            file.write("code,name,payment_terms_days\nK00001,上海华盛,30\nK00002,北京恒通,60\n")
        with open(invoices, "w", encoding="utf-8") as file:
            file.write("number,customer,issue_date,amount\nF1,K00001,2026-03-01,1000.00\nF2,K00002,2026-05-20,234.56\n")
        run(arbook, book, "import", "customers", customers)
        run(arbook, book, "import", "invoices", invoices)
        run(arbook, book, "user", "add", "api", "--role", "admin", stdin="correct horse battery staple\n")
        token = run(arbook, book, "token", "create", "schemathesis", "--user", "api").strip()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([arbook, "serve", "--port", str(port), "--database", book], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            command = [sys.executable, "-c", SCHEMATHESIS, "run", base + "/api/openapi.yaml", "--url", base,
                       "-H", f"Authorization: Bearer {token}", "--checks", CHECKS, "--workers", "2",
                       "--phases", "examples,coverage,fuzzing", "--max-time", str(options.seconds)]
            result = subprocess.run(command, capture_output=True, text=True)
            summary = [line for line in result.stdout.splitlines() if "generated" in line or (" in " in line and "==" in line)]
            print("\n".join(summary[-2:]))
            failed = result.returncode != 0
            if failed:
                print(result.stdout[-8000:])
        finally:
            server.terminate()
            server.wait()
        print("API test: " + ("schemathesis found failures" if failed else "no server error, no undocumented status, every answer as documented"))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
