#!/usr/bin/env bash
# Runs Schemathesis (every check) against the served openapi.yaml of a hub started on
# samples/hub.yaml with a fresh database, then stops the hub. Exit status: Schemathesis's.
#   scripts/api-check.sh [BINARY [SCHEMATHESIS OPTIONS…]]     (default .build/debug/tributary)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/tributary}
shift || true
python3 -m pip show -q schemathesis >/dev/null 2>&1 || python3 -m pip install -q schemathesis
work=$(mktemp -d)
port=${API_CHECK_PORT:-8097}
TRIBUTARY_API_RATE=100000/s TRIBUTARY_API_BURST=100000 TRIBUTARY_LOGIN_RATE=100000/s TRIBUTARY_LOGIN_BURST=100000 \
  TRIBUTARY_CHAT_RATE=100000/s TRIBUTARY_CHAT_BURST=100000 TRIBUTARY_HOOK_RATE=100000/s TRIBUTARY_HOOK_BURST=100000 \
TRIBUTARY_LISTEN=127.0.0.1:$port TRIBUTARY_PUBLIC_URL=http://127.0.0.1:$port TRIBUTARY_DATABASE=$work/hub.sqlite \
  "$binary" serve --manifest samples/hub.yaml --log-level warning >"$work/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# The long poll may hold a request for up to 60 s by contract (GET /api/v1/events?wait=), so the
# response-time check allows that; the WebSocket upgrades are tagged and driven by the other suites.
schemathesis run "http://127.0.0.1:$port/openapi.yaml" --checks all --exclude-tag websocket \
  --max-response-time 61 --request-timeout 65 -H "Authorization: Bearer ${TRIBUTARY_DEMO_TOKEN:-demo-token}" "$@"
