-- wrk script for scripts/bench-overhead.sh: ordinary browser headers on every request, a JSON body for POSTs
-- (OVERHEAD_BODY_FILE), and one machine-readable line at the end:
-- RESULT <p50 µs> <requests/s> <requests> <non-2xx/3xx answers> <socket errors>

local body_file = os.getenv("OVERHEAD_BODY_FILE")

wrk.headers["User-Agent"] =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
wrk.headers["Accept-Language"] = "en-GB,en;q=0.9,fr;q=0.8"
wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"
wrk.headers["Cookie"] = "session=8f3a2c71e9b04d5a9c1e7f20b6d4a3e8; theme=dark; cart=3; _ga=GA1.2.1234567890.1764000000"

if body_file and body_file ~= "" then
    local file = assert(io.open(body_file, "rb"))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Accept"] = "application/json, text/plain, */*"
    wrk.headers["Origin"] = "https://shop.example.com"
else
    wrk.headers["Accept"] =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
end

done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("RESULT %d %.1f %d %d %d\n",
        latency:percentile(50), summary.requests / (summary.duration / 1e6), summary.requests,
        errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
