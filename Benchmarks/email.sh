#!/usr/bin/env bash
# Fetch, parse, thread and store N mails from a real IMAP mailbox (dovecot), next to a
# plain `curl` fetch of the same mails over one connection, measured in the same run.
#
#   Benchmarks/email.sh [mails]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
command -v dovecot >/dev/null || { echo "installing dovecot"; apt-get install -y -qq dovecot-imapd >/dev/null; }
swift build -c release --product tributary >/dev/null
binary=.build/release/tributary
work=$(mktemp -d)
cleanup() { [ -n "${servers:-}" ] && kill -TERM "$servers" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The mailbox: N mails from 500 senders in threads of ~4, written as a delivery agent does.
python3 - "$work" "$count" >"$work/servers.out" <<'PY' &
import signal, sys, time
sys.path.insert(0, "tests/e2e")
from mail_servers import MailServers
work, count = sys.argv[1], int(sys.argv[2])
servers = MailServers()
def stop(*_):
    servers.stop()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
import mailbox, os
box = mailbox.Maildir(servers.root / "mail" / "support", create=False)
for n in range(count):
    sender, thread = n % 500, n // 2000
    refs = f"In-Reply-To: <bench-{n - 500}@example.cn>\r\nReferences: <bench-{n - 500}@example.cn>\r\n" if n >= 500 else ""
    body = ("您好，我的订单 #%d 还没有收到，请帮忙查一下。\r\n\r\n在 2023年11月14日 10:00，客服 <support@hub.example.com> 写道：\r\n> 已发货。\r\n" % n)
    message = (f"From: =?UTF-8?B?5byg5LiJ?= <buyer{sender}@example.cn>\r\nTo: support@hub.example.com\r\n"
               f"Subject: =?UTF-8?B?6K6i5Y2V?= #{sender}\r\nMessage-ID: <bench-{n}@example.cn>\r\n{refs}"
               f"Date: Tue, 14 Nov 2023 22:13:20 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
               f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}").encode()
    key = box.add(message)
for name in os.listdir(servers.root / "mail" / "support" / "new"):
    os.chmod(servers.root / "mail" / "support" / "new" / name, 0o666)
print(servers.imap_port, flush=True)
time.sleep(3600)
PY
servers=$!
for _ in $(seq 600); do [ -s "$work/servers.out" ] && break; sleep 0.1; done
port=$(head -1 "$work/servers.out")
echo "$count mails in a dovecot maildir on 127.0.0.1:$port, $(nproc) cores, release build, SQLite synchronous=FULL"

# Warm the server's index once, so neither side pays for dovecot building it.
curl -s "imap://127.0.0.1:$port/INBOX" -u support:support-pass -X "UID SEARCH ALL" >/dev/null
started=$(date +%s.%N)
curl -s "imap://127.0.0.1:$port/INBOX/;UID=[1-$count]" -u support:support-pass -o "$work/curl/#1.eml" --create-dirs
ended=$(date +%s.%N)
fetched=$(ls "$work/curl" | wc -l)
python3 -c "import sys; e=float(sys.argv[2])-float(sys.argv[1]); print(f'plain curl fetch (one connection) {int(sys.argv[3]):>6} mails in {e:6.2f} s   {int(sys.argv[3])/e:>7.0f} mails/s')" "$started" "$ended" "$fetched"

cat >"$work/hub.yaml" <<YAML
server: { listen: 127.0.0.1:0, database: $work/hub.sqlite }
identity: { default_region: CN }
channels:
  - id: mail
    kind: email
    settings:
      imap_url: imap://127.0.0.1:$port
      smtp_url: smtp://127.0.0.1:9
      username: support
      password: \${MAIL_PASSWORD:-support-pass}
      from: Support <support@hub.example.com>
      batch: 200
YAML
started=$(date +%s.%N)
status=0
$binary sync mail --manifest "$work/hub.yaml" >"$work/sync.out" 2>"$work/sync.err" || status=$?
ended=$(date +%s.%N)
if [ "$status" -ne 0 ]; then echo "sync failed ($status):"; tail -5 "$work/sync.err"; fi
python3 - "$started" "$ended" "$work/hub.sqlite" <<'PY'
import sqlite3, sys
elapsed = float(sys.argv[2]) - float(sys.argv[1])
db = sqlite3.connect(sys.argv[3])
mails = db.execute("SELECT COUNT(*) FROM message WHERE channel_id = 'mail'").fetchone()[0]
conversations = db.execute("SELECT COUNT(*) FROM conversation WHERE channel_id = 'mail'").fetchone()[0]
customers = db.execute("SELECT COUNT(DISTINCT root_id) FROM customer").fetchone()[0]
print(f"tributary fetch+parse+thread+store {mails:>6} mails in {elapsed:6.2f} s   {mails / elapsed:>7.0f} mails/s   "
      f"{conversations} conversations, {customers} customers")
PY
