"""Fills a migrated hub database with pending web chat inbox rows, as a flood of webhooks that
processing has not reached would leave them.

    python3 Benchmarks/backlog.py DATABASE COUNT SENDERS

SENDERS is how many distinct visitors write them: COUNT for first contacts (every row a new
customer), fewer for returning senders (each sender's first row makes the customer, the rest find it).
"""
import json
import sqlite3
import sys
import time

database, count, senders = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = int(time.time() * 1000)
db = sqlite3.connect(database)
rows = []
for index in range(count):
    visitor = f"vbench{index % senders}"
    payload = json.dumps({"visitor": visitor, "id": f"b{index}", "text": f"backlog message {index} 我的订单到哪了", "sentAt": now + index})
    rows.append(("web", f"v:{visitor}:b{index}", "application/json", payload.encode(), time.strftime("%Y-%m-%d %H:%M:%S.000", time.gmtime())))
db.executemany(
    "INSERT INTO inbox (channel_id, dedupe_key, content_type, payload, received_at, state, attempts) VALUES (?, ?, ?, ?, ?, 'pending', 0)",
    rows)
db.commit()
print(f"{count} pending rows from {senders} senders")
