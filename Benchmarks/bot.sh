#!/usr/bin/env bash
# The bot's answer time on the release build: web chat questions from new visitors at a steady
# pace for SECONDS, each answered (or handed off) by the bot. Answer time is the bot's reply
# row in the outbox minus the message's `message.received` event (both written by the hub), the
# issue's "from processing the inbound message to the reply queued"; ack-to-reply adds the
# processing stage. The same run's acknowledgement latency is printed beside it.
#
#   Benchmarks/bot.sh [seconds] [connections] [pause ms]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
connections="${2:-8}"
pause="${3:-40}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get install -y -qq sqlite3 >/dev/null; }
swift build -c release --product tributary >/dev/null
binary=.build/release/tributary
work=$(mktemp -d)
hub=
trap 'if [[ -n "$hub" ]]; then kill $hub 2>/dev/null || true; wait $hub 2>/dev/null || true; fi; rm -rf "$work"' EXIT
database="$work/bot.sqlite"
TRIBUTARY_BOT=true $binary serve --manifest samples/hub.yaml --port 0 --database "$database" --log-level error >"$work/out" 2>"$work/err" &
hub=$!
for _ in $(seq 600); do grep -q "listening on port" "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^tributary listening on port //p' "$work/out")
echo "bot answer time, release build, $(nproc) cores, $connections connections pausing ${pause} ms for ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/bot.lua "http://127.0.0.1:$port" -- "$pause" >"$work/wrk.txt"
# Let the bot finish what was acknowledged.
for _ in $(seq 100); do
  left=$(sqlite3 "$database" "SELECT (SELECT COUNT(*) FROM message WHERE direction = 'in') - (SELECT COUNT(*) FROM bot_turn)")
  [[ "$left" == 0 ]] && break
  sleep 0.2
done
peak=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$hub/status")
python3 - "$database" "$work/wrk.txt" "$peak" <<'PY'
import datetime, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
parse = datetime.datetime.fromisoformat
rows = db.execute("""SELECT e.occurred_at, i.received_at, r.created_at, t.handoff FROM bot_turn t
                     JOIN message r ON r.id = t.reply_message_id
                     JOIN event e ON e.type = 'message.received' AND json_extract(e.data, '$.message.id') = t.message_id
                     JOIN inbox i ON i.id = e.inbox_id""").fetchall()
answer = sorted((parse(reply) - parse(processed)).total_seconds() * 1000 for processed, _, reply, _ in rows)
ack = sorted((parse(reply) - parse(received)).total_seconds() * 1000 for _, received, reply, _ in rows)
pick = lambda values, q: values[min(int(q * len(values)), len(values) - 1)]
handoffs = sum(1 for row in rows if row[3])
turns = db.execute("SELECT COUNT(*) FROM bot_turn").fetchone()[0]
inbound = db.execute("SELECT COUNT(*) FROM message WHERE direction = 'in'").fetchone()[0]
text = open(sys.argv[2]).read()
offered = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
ack_p99 = " ".join(re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups())
print(f"{inbound} messages at {offered:.0f}/s, {turns} bot turns ({len(rows)} replies, {handoffs} hand-offs); peak RSS {sys.argv[3]}")
print(f"answer time (message.received to reply queued): p50 {pick(answer, 0.5):.1f} ms, p99 {pick(answer, 0.99):.1f} ms, max {answer[-1]:.1f} ms")
print(f"ack to reply queued: p50 {pick(ack, 0.5):.1f} ms, p99 {pick(ack, 0.99):.1f} ms; acknowledgement p99 {ack_p99} (wrk)")
split = db.execute("""SELECT e.occurred_at, a.analyzed_at, r.created_at FROM bot_turn t
                      JOIN message r ON r.id = t.reply_message_id JOIN message_analysis a ON a.message_id = t.message_id
                      JOIN event e ON e.type = 'message.received' AND json_extract(e.data, '$.message.id') = t.message_id""").fetchall()
read = sorted((parse(analysed) - parse(processed)).total_seconds() * 1000 for processed, analysed, _ in split)
answered = sorted((parse(reply) - parse(analysed)).total_seconds() * 1000 for _, analysed, reply in split)
print(f"  of which assist (received to analysed): p50 {pick(read, 0.5):.1f} ms, p99 {pick(read, 0.99):.1f} ms; "
      f"bot (analysed to reply queued): p50 {pick(answered, 0.5):.1f} ms, p99 {pick(answered, 0.99):.1f} ms")
PY
