-- wrk script: each request records a new receipt of 1.00 from customer C000000, kept as an advance.
-- Usage: TOKEN=arb_... wrk -t2 -c64 -d20s -s Benchmarks/receipts.lua http://127.0.0.1:8080
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  counter = 0
  run = os.time()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function request()
  counter = counter + 1
  local body = string.format('{"reference": "W%d-%d-%d", "customer": "%s", "date": "2026-06-30", "amount": "1.00", "method": "bank_transfer"}',
    run, id, counter, "C000000")
  return wrk.format(nil, "/api/v1/receipts", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, errors (non-2xx): %d, p50: %.1f ms, p99: %.1f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
