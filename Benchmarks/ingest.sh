#!/usr/bin/env bash
# Durable ingest (web chat, signed WeChat safe-mode and SMS webhooks) against a bare
# endpoint of the same server, measured in one run.
#
#   Benchmarks/ingest.sh [seconds] [connections]
#
# Builds the hub in release mode, starts it on a fresh SQLite file (synchronous=FULL,
# group commit) with the benchmark-only no-op route, drives both with wrk over
# loopback, and prints messages/s, p50 and p99 for each and the ratio. At the end it
# checks that the database holds exactly as many messages as were answered 201.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-32}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product tributary >/dev/null
binary=.build/release/tributary

work=$(mktemp -d)
trap 'kill $hub 2>/dev/null || true; wait $hub 2>/dev/null || true; rm -rf "$work"' EXIT
export TRIBUTARY_PUBLIC_URL=http://127.0.0.1:8080 WECHAT_TOKEN=hubtoken123 \
  WECHAT_AES_KEY=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG TWILIO_AUTH_TOKEN=demo-auth-token
# Measured without rate limits: the benchmark asks what ingest costs, not what the limit allows.
export TRIBUTARY_HOOK_RATE=100000000/s TRIBUTARY_HOOK_BURST=100000000 TRIBUTARY_API_RATE=100000000/s TRIBUTARY_API_BURST=100000000
export TRIBUTARY_CHAT_RATE=100000000/s TRIBUTARY_CHAT_BURST=100000000
$binary serve --manifest samples/hub.yaml --port 0 --database "$work/hub.sqlite" --log-level error --bench-endpoints >"$work/out" 2>"$work/err" &
hub=$!
for _ in $(seq 100); do grep -q "listening on port" "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^tributary listening on port //p' "$work/out")
base="http://127.0.0.1:$port"

# Returning visitors: 64 tokens made by a first message each.
tokens=()
for i in $(seq 64); do
  tokens+=("$(curl -s -X POST "$base/chat/web/messages" -H 'Content-Type: application/json' \
    -d "{\"id\":\"warm-$i\",\"text\":\"hello\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["visitor"])')")
done

run() { # name, lua script, path, args...
  local name=$1 script=$2 path=$3
  shift 3
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$script" "$base$path" -- "$@" >"$work/$name.txt"
  python3 - "$work/$name.txt" "$name" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket_errors = re.search(r"Socket errors: (.*)", text)
print(f"{sys.argv[2]:<28} {rate:>10.0f} req/s   p50 {ms('50%'):>7.2f} ms   p99 {ms('99%'):>7.2f} ms   "
      f"requests {total}   non-2xx {errors.group(1) if errors else 0}" + (f"   socket errors: {socket_errors.group(1)}" if socket_errors else ""))
open(sys.argv[1] + ".rate", "w").write(str(rate))
PY
}

echo "wrk -t2 -c$connections -d${duration}s on 127.0.0.1, $(nproc) cores, release build, SQLite synchronous=FULL"
run bare Benchmarks/noop.lua /bench/noop
run durable-returning Benchmarks/chat.lua /chat/web/messages "${tokens[@]}"
run durable-first-contact Benchmarks/chat.lua /chat/web/messages
# Signed webhooks: pre-signed with wechatpy and twilio's SDK (more than a run can send, so none repeats).
signed=$((duration * 6000))
python3 Benchmarks/signed_requests.py wechat "$signed" "$TRIBUTARY_PUBLIC_URL" >"$work/wechat.tsv"
python3 Benchmarks/signed_requests.py sms "$signed" "$TRIBUTARY_PUBLIC_URL" >"$work/sms.tsv"
run signed-wechat-safe-mode Benchmarks/signed.lua /hooks/wx "$work/wechat.tsv" 2 text/xml
run signed-sms-twilio Benchmarks/signed.lua /hooks/sms "$work/sms.tsv" 2 application/x-www-form-urlencoded
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
bare = float(open(f"{work}/bare.txt.rate").read())
for name in ["durable-returning", "durable-first-contact", "signed-wechat-safe-mode", "signed-sms-twilio"]:
    rate = float(open(f"{work}/{name}.txt.rate").read())
    print(f"ratio {name} / bare: {rate / bare:.2f}")
PY
python3 - "$work/hub.sqlite" "$work" <<'PY'
import re, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
# Webhooks were acknowledged on the durable row; let the processing stage finish the backlog.
started = time.monotonic()
while db.execute("SELECT COUNT(*) FROM inbox WHERE state IN ('pending', 'processing')").fetchone()[0]:
    time.sleep(0.2)
print(f"backlog processed {time.monotonic() - started:.1f} s after the last run")
stored = db.execute("SELECT COUNT(*) FROM message WHERE channel_id = 'web'").fetchone()[0] - 64
answered = 0
for name in ["durable-returning", "durable-first-contact"]:
    text = open(f"{sys.argv[2]}/{name}.txt").read()
    total = int(re.search(r"(\d+) requests in", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    answered += total - (int(errors.group(1)) if errors else 0)
print(f"web chat: messages stored {stored}, answered 2xx {answered} (wrk counts only completed requests; stored >= answered, never fewer)")
for channel, name in [("wx", "signed-wechat-safe-mode"), ("sms", "signed-sms-twilio")]:
    text = open(f"{sys.argv[2]}/{name}.txt").read()
    total = int(re.search(r"(\d+) requests in", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    stored = db.execute("SELECT COUNT(*) FROM message WHERE channel_id = ?", (channel,)).fetchone()[0]
    inbox = db.execute("SELECT COUNT(*) FROM inbox WHERE channel_id = ?", (channel,)).fetchone()[0]
    print(f"{channel}: answered 2xx {total - (int(errors.group(1)) if errors else 0)}, inbox rows {inbox}, messages stored {stored}")
PY
