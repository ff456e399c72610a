#!/usr/bin/env bash
# Marketplace sync and webhooks, each next to its ceiling measured in the same run.
#
#   Benchmarks/marketplace.sh [orders] [seconds] [lag-samples]
#
# 1. The simulator alone: the time to serve every page of `orders` orders (250 a page) to a
#    plain keep-alive HTTP client. That is the ceiling for a sync.
# 2. `tributary sync` of the same orders into a fresh database (release build): orders/s.
# 3. wrk: signed `orders/updated` webhooks against the bare endpoint of the same server.
# 4. Lag with webhooks off: the hub polls at the default 60 s; a change made in the shop at a
#    random moment is timed until the orders API shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
orders="${1:-10000}"
duration="${2:-10}"
samples="${3:-3}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product tributary >/dev/null
binary=.build/release/tributary
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; [ -n "${KEEP:-}" ] && echo "kept $work"' EXIT

# Shopify Plus limits (bucket 400, 20 calls/s) unless BUCKET/LEAK say otherwise; the hub paces itself by the header.
python3 samples/marketplace_simulator.py --port 0 --orders "$orders" --secret shpss_bench_secret --token shpat_bench \
  --bucket "${BUCKET:-400}" --leak "${LEAK:-20}" >"$work/sim.out" &
pids+=($!)
for _ in $(seq 100); do grep -q "simulator on" "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
sim=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sim.out")

cat >"$work/hub.yaml" <<YAML
server: { listen: 127.0.0.1:0, public_url: http://127.0.0.1:1, database: $work/hub.sqlite }
agents: [{ name: bench, token: "\${BENCH_TOKEN:-bench-token}" }]
identity: { default_region: CN }
limits: { hooks: { rate: 100000000/s, burst: 100000000 }, api: { rate: 100000000/s, burst: 100000000 } }
channels:
  - id: shop
    kind: marketplace
    settings:
      shop_domain: hub-demo.myshopify.com
      webhook_secrets: ["\${SHOP_SECRET:-shpss_bench_secret}"]
      access_token: \${SHOP_TOKEN:-shpat_bench}
      api_base: $sim
      poll_interval: \${POLL:-0s}
YAML

echo "$orders orders, 250 a page, API bucket ${BUCKET:-400} leaking ${LEAK:-20}/s, on 127.0.0.1, $(nproc) cores, release build, SQLite synchronous=FULL"
python3 - "$sim" <<'PY'
import http.client, json, sys, time, urllib.parse
base = urllib.parse.urlparse(sys.argv[1])
connection = http.client.HTTPConnection(base.hostname, base.port)
path, pages, count = "/admin/api/2025-01/orders.json?status=any&limit=250&order=updated_at+asc", 0, 0
started = time.perf_counter()
while path:
    connection.request("GET", path, headers={"X-Shopify-Access-Token": "shpat_bench"})
    response = connection.getresponse()
    count += len(json.loads(response.read())["orders"])
    pages += 1
    link = response.getheader("Link")
    path = urllib.parse.urlparse(link.split(">")[0][1:])._replace(scheme="", netloc="").geturl() if link else None
elapsed = time.perf_counter() - started
print(f"simulator alone (ceiling)    {count:>6} orders, {pages} pages in {elapsed:6.2f} s   {count / elapsed:>8.0f} orders/s")
PY
started=$(date +%s.%N)
$binary sync shop --manifest "$work/hub.yaml" >"$work/sync.out" 2>"$work/sync.err"
ended=$(date +%s.%N)
python3 - "$work/sync.out" "$started" "$ended" "$orders" "$work/hub.sqlite" <<'PY'
import re, sqlite3, sys
text = open(sys.argv[1]).read()
counts = dict((k, int(v)) for k, v in re.findall(r"^\s+(\w+)\s+(\d+)$", text, re.M))
elapsed = float(sys.argv[3]) - float(sys.argv[2])
stored = sqlite3.connect(sys.argv[5]).execute("SELECT COUNT(*) FROM shop_order").fetchone()[0]
print(f"tributary sync (durable)     {counts['orders']:>6} orders, {counts['pages']} pages in {elapsed:6.2f} s   "
      f"{counts['orders'] / elapsed:>8.0f} orders/s   created {counts['created']}, stored {stored}, errors {counts['errors']}")
PY

# Webhooks: the hub serving, signed orders/updated deliveries (2,000 orders, each delivery a newer version).
BENCH_TOKEN=bench-token $binary serve --manifest "$work/hub.yaml" --port 0 --database "$work/hooks.sqlite" --log-level error --bench-endpoints \
  >"$work/out" 2>"$work/err" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on port" "$work/out" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$(sed -n 's/^tributary listening on port //p' "$work/out")"
python3 Benchmarks/signed_requests.py shopify $((duration * 8000)) "$base" >"$work/shopify.tsv"
report() {
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{sys.argv[2]:<28} {rate:>10.0f} req/s   p50 {ms('50%'):>7.2f} ms   p99 {ms('99%'):>7.2f} ms   non-2xx {errors.group(1) if errors else 0}")
open(sys.argv[1] + ".rate", "w").write(str(rate))
PY
}
wrk -t2 -c32 -d"${duration}s" --latency -s Benchmarks/noop.lua "$base/bench/noop" >"$work/bare.txt"
report "$work/bare.txt" "bare endpoint"
wrk -t2 -c32 -d"${duration}s" --latency -s Benchmarks/signed.lua "$base/hooks/shop" -- "$work/shopify.tsv" 2 application/json >"$work/hooks.txt"
report "$work/hooks.txt" "signed orders/updated"
python3 - "$work" "$work/hooks.sqlite" <<'PY'
import sqlite3, sys
bare = float(open(f"{sys.argv[1]}/bare.txt.rate").read())
hooks = float(open(f"{sys.argv[1]}/hooks.txt.rate").read())
db = sqlite3.connect(sys.argv[2])
inbox = db.execute("SELECT COUNT(*) FROM inbox WHERE channel_id = 'shop'").fetchone()[0]
orders = db.execute("SELECT COUNT(*) FROM shop_order").fetchone()[0]
print(f"ratio webhooks / bare: {hooks / bare:.2f}   deliveries stored {inbox}, distinct orders {orders}")
PY
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
unset 'pids[-1]'

# Lag with webhooks off and polling at the default 60 s.
if [ "$samples" -gt 0 ]; then
  POLL=60s BENCH_TOKEN=bench-token $binary serve --manifest "$work/hub.yaml" --port 0 --database "$work/lag.sqlite" --log-level error \
    >"$work/lag.out" 2>"$work/lag.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on port" "$work/lag.out" 2>/dev/null && break; sleep 0.1; done
  lagbase="http://127.0.0.1:$(sed -n 's/^tributary listening on port //p' "$work/lag.out")"
  python3 - "$sim" "$lagbase" "$samples" "$work/lag.sqlite" <<'PY'
import json, random, sqlite3, sys, time, urllib.request
sim, hub, samples, database = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(url, payload=None):
    request = urllib.request.Request(url, data=json.dumps(payload).encode() if payload is not None else None,
                                     headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=30).read())
# Wait for the first pass to bring everything in.
while True:
    try:
        if sqlite3.connect(database).execute("SELECT COUNT(*) FROM shop_order").fetchone()[0] > 0:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.5)
lags = []
for sample in range(samples):
    time.sleep(random.uniform(0, 20))
    order = call(f"{sim}/_sim/seed", {"count": 1})["created"][0]
    status = f"lag-{sample}"
    call(f"{sim}/_sim/orders/{order}", {"financial_status": status})
    changed = time.monotonic()
    while True:
        row = sqlite3.connect(database).execute("SELECT financial_status FROM shop_order WHERE order_id = ?", (str(order),)).fetchone()
        if row and row[0] == status:
            break
        time.sleep(0.2)
    lags.append(time.monotonic() - changed)
    print(f"lag sample {sample + 1}: {lags[-1]:.1f} s")
print(f"lag with webhooks off, poll_interval 60s: max {max(lags):.1f} s, mean {sum(lags) / len(lags):.1f} s over {len(lags)} changes (target < 180 s)")
PY
fi
