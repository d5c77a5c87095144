-- SQLite's floor for loading 1,000,000 invoices into arbook's schema, set-based, inside SQLite.
-- Run on a book with the benchmark's customers imported:
--   .build/release/arbook init --database /tmp/floor.sqlite
--   .build/release/arbook import customers bench-data/customers.csv --database /tmp/floor.sqlite
--   time sqlite3 /tmp/floor.sqlite < docs/sqlite-floor.sql
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;
DROP INDEX invoice_customer; DROP INDEX journal_entry_customer; DROP INDEX open_item_open;
BEGIN;
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000000) INSERT INTO n SELECT i FROM c;
INSERT INTO journal_entry (id, day, kind, document, customer_id, currency) SELECT i, 19000 + i/1000, 'invoice', 'I' || i, 1 + i % 10000, 'CNY' FROM n;
INSERT INTO journal_line (entry_id, line_no, account, customer_id, amount) SELECT i, 1, '1122', 1 + i % 10000, 1000 + i FROM n;
INSERT INTO journal_line (entry_id, line_no, account, customer_id, amount) SELECT i, 2, '6001', 1 + i % 10000, -(1000 + i) FROM n;
INSERT INTO invoice (id, number, customer_id, issue_day, amount, currency, description, entry_id) SELECT i, 'I' || printf('%08d', i), 1 + i % 10000, 19000 + i/1000, 1000 + i, 'CNY', '', i FROM n;
INSERT INTO open_item (id, invoice_id, seq, customer_id, issue_day, due_day, amount, amount_open) SELECT i, i, 1, 1 + i % 10000, 19000 + i/1000, 19030 + i/1000, 1000+i, 1000+i FROM n;
CREATE INDEX invoice_customer ON invoice(customer_id, issue_day);
CREATE INDEX journal_entry_customer ON journal_entry(customer_id, day);
CREATE INDEX open_item_open ON open_item(customer_id, due_day, issue_day, amount_open) WHERE amount_open > 0;
COMMIT;
