#!/usr/bin/env bash
# The processing stage: how fast a backlog drains, and how long a message takes from its
# acknowledgement to `message.received` in the event log at a steady load.
#
#   Benchmarks/pipeline.sh [backlog rows] [lag seconds]
#
# 1. Drain: a fresh database gets BACKLOG pending web chat rows (returning senders: 2,000
#    visitors; then first contacts: every row a new visitor), the release hub starts on it, and
#    the rate is rows / (last processed_at - first processed_at). Peak RSS is read from /proc.
# 2. Lag: Telegram webhooks at about half the returning-sender drain rate for LAG seconds; the
#    lag of each message is the event's time minus its inbox row's received_at, both written by
#    the hub (the event's time is taken in the transaction that commits it).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-200000}"
lag_seconds="${2:-10}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product tributary >/dev/null
binary=.build/release/tributary
work=$(mktemp -d)
hub=
trap 'if [[ -n "$hub" ]]; then kill $hub 2>/dev/null || true; wait $hub 2>/dev/null || true; fi; rm -rf "$work"' EXIT

start_hub() { # database
  # The bot stays off: these figures compare with the processing stage before it (Benchmarks/bot.sh measures it).
  env TRIBUTARY_BOT=false ${HUB_ENV:-} $binary serve --manifest samples/hub.yaml --port 0 --database "$1" --log-level error >"$work/out" 2>"$work/err" &
  hub=$!
  for _ in $(seq 300); do grep -q "listening on port" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^tributary listening on port //p' "$work/out")
}
stop_hub() {
  kill $hub; wait $hub 2>/dev/null || true; hub=
}
rss_peak() { # pid
  awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$1/status"
}

echo "processing stage, release build, $(nproc) cores, SQLite synchronous=FULL"
drain() { # name, senders
  local database="$work/$1.sqlite"
  start_hub "$database"; stop_hub   # migrate
  python3 Benchmarks/backlog.py "$database" "$rows" "$2" >/dev/null
  local before
  before=$(date +%s.%N)
  start_hub "$database"
  while [[ $(sqlite3 "$database" "SELECT COUNT(*) FROM inbox WHERE state IN ('pending','processing')" 2>/dev/null || echo 1) != 0 ]]; do
    sleep 0.2
  done
  local peak
  peak=$(rss_peak $hub)
  # Assist reads the same messages from the event log beside the processing stage; wait for it too.
  while [[ "${HUB_ENV:-}" != *TRIBUTARY_ASSIST=false* ]] && [[ $(sqlite3 "$database" "SELECT (SELECT COUNT(*) FROM message WHERE direction = 'in') - (SELECT COUNT(*) FROM message_analysis)" 2>/dev/null || echo 1) != 0 ]]; do
    sleep 0.2
  done
  python3 - "$database" "$1" "$peak" "$before" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
first, last, processed = db.execute("SELECT MIN(processed_at), MAX(processed_at), COUNT(*) FROM inbox WHERE state = 'processed'").fetchone()
failed = db.execute("SELECT COUNT(*) FROM inbox WHERE state = 'failed'").fetchone()[0]
parse = lambda text: datetime.datetime.fromisoformat(text)
seconds = (parse(last) - parse(first)).total_seconds()
messages = db.execute("SELECT COUNT(*) FROM message").fetchone()[0]
customers = db.execute("SELECT COUNT(*) FROM customer").fetchone()[0]
events = db.execute("SELECT COUNT(*), MAX(seq) FROM event").fetchone()
print(f"drain {sys.argv[2]:<18} {processed / seconds:>9.0f} messages/s   {processed} processed in {seconds:.2f} s, failed {failed}, "
      f"messages {messages}, customers {customers}, events {events[0]} (max seq {events[1]}), peak RSS {sys.argv[3]}")
open(sys.argv[1] + ".rate", "w").write(str(processed / seconds))
first, last, analysed = db.execute("SELECT MIN(analyzed_at), MAX(analyzed_at), COUNT(*) FROM message_analysis").fetchone()
if not analysed:
    sys.exit(0)
span = (parse(last) - parse(first)).total_seconds()
behind = (parse(last) - parse(db.execute("SELECT MAX(processed_at) FROM inbox").fetchone()[0])).total_seconds()
print(f"assist {sys.argv[2]:<17} {analysed / span:>9.0f} messages/s   {analysed} analysed in {span:.2f} s; done {behind:.2f} s after the last message was processed")
PY
  stop_hub
}
command -v sqlite3 >/dev/null || { apt-get install -y -qq sqlite3 >/dev/null; }
# The same drains with assist off, for the cost of reading every message on the same two cores.
HUB_ENV=TRIBUTARY_ASSIST=false drain returning-no-assist 2000
HUB_ENV=TRIBUTARY_ASSIST=false drain first-no-assist "$rows"
drain returning 2000
drain first-contact "$rows"

# Lag at a steady load of half the returning-sender drain rate.
rate=$(python3 -c "print(int(float(open('$work/returning.sqlite.rate').read()) / 2))")
connections=64
pause=$(python3 -c "print(max(int($connections * 1000 / $rate) - 1, 0))")
database="$work/lag.sqlite"
start_hub "$database"
wrk -t2 -c$connections -d"${lag_seconds}s" --latency -s Benchmarks/steady.lua "http://127.0.0.1:$port/hooks/telegram" -- demo-secret-token "$pause" >"$work/lag.txt"
sleep 2
peak=$(rss_peak $hub)
stop_hub
python3 - "$database" "$work/lag.txt" "$rate" "$peak" <<'PY'
import datetime, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""SELECT i.received_at, e.occurred_at FROM event e JOIN inbox i ON i.id = e.inbox_id
                     WHERE e.type = 'message.received' ORDER BY e.seq""").fetchall()
parse = lambda text: datetime.datetime.fromisoformat(text)
lags = sorted((parse(event) - parse(received)).total_seconds() * 1000 for received, event in rows)
text = open(sys.argv[2]).read()
offered = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99_ack = re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()
pick = lambda q: lags[min(int(q * len(lags)), len(lags) - 1)]
print(f"lag at {offered:.0f} msg/s (target half of drain: {sys.argv[3]}/s): ack to message.received p50 {pick(0.5):.1f} ms, "
      f"p99 {pick(0.99):.1f} ms, max {lags[-1]:.1f} ms over {len(lags)} messages; ack p99 {p99_ack[0]} {p99_ack[1]}; peak RSS {sys.argv[4]}")
rows = db.execute("""SELECT i.received_at, a.analyzed_at FROM message_analysis a JOIN message m ON m.id = a.message_id
                     JOIN event e ON e.type = 'message.received' AND json_extract(e.data, '$.message.id') = m.id
                     JOIN inbox i ON i.id = e.inbox_id""").fetchall()
if rows:
    lags = sorted((parse(analysed) - parse(received)).total_seconds() * 1000 for received, analysed in rows)
    print(f"assist lag: ack to analysed p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms over {len(lags)} messages")
PY
