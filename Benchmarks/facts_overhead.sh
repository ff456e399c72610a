#!/usr/bin/env bash
# The ingest cost of the metric facts: the processing stage's drain rate (web chat rows from
# returning senders, assist off) with this build against a build of BASE (default: the commit
# before the facts), alternating runs on the same two cores. Builds BASE in a worktree under
# .build-facts-base (its own scratch folder). Prints each run's rate and the median ratio.
#
#   Benchmarks/facts_overhead.sh [rows=100000] [rounds=3] [base commit]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
rounds="${2:-3}"
base="${3:-$(git log --format=%H -n 1 --grep '^TLS (issue 18)')}"
command -v sqlite3 >/dev/null || { apt-get install -y -qq sqlite3 >/dev/null; }
swift build -c release --product tributary >/dev/null
worktree=.build-facts-base/tree
if [[ ! -d $worktree ]]; then git worktree add -f --detach "$worktree" "$base" >/dev/null; fi
git -C "$worktree" checkout -q --detach "$base"
(cd "$worktree" && swift build -c release --product tributary --scratch-path ../scratch >/dev/null)
current=.build/release/tributary
baseline=.build-facts-base/scratch/release/tributary
work=$(mktemp -d)
hub=
trap 'if [[ -n "$hub" ]]; then kill $hub 2>/dev/null || true; wait $hub 2>/dev/null || true; fi; rm -rf "$work"' EXIT

drain() { # binary, name, manifest
  local database="$work/$2.sqlite" manifest="$3"
  rm -f "$database"*
  env TRIBUTARY_BOT=false TRIBUTARY_ASSIST=false "$1" serve --manifest "$manifest" --port 0 --database "$database" --log-level error >"$work/out" 2>&1 &
  hub=$!
  for _ in $(seq 300); do grep -q "listening on port" "$work/out" 2>/dev/null && break; sleep 0.1; done
  kill $hub; wait $hub 2>/dev/null || true
  python3 Benchmarks/backlog.py "$database" "$rows" 2000 >/dev/null
  : >"$work/out"
  env TRIBUTARY_BOT=false TRIBUTARY_ASSIST=false "$1" serve --manifest "$manifest" --port 0 --database "$database" --log-level error >"$work/out" 2>&1 &
  hub=$!
  while [[ $(sqlite3 "$database" "SELECT COUNT(*) FROM inbox WHERE state IN ('pending','processing')" 2>/dev/null || echo 1) != 0 ]]; do sleep 0.2; done
  kill $hub; wait $hub 2>/dev/null || true; hub=
  sqlite3 "$database" "SELECT COUNT(*) / ((julianday(MAX(processed_at)) - julianday(MIN(processed_at))) * 86400.0) FROM inbox WHERE state = 'processed'"
}

echo "metric facts' ingest cost: $rows web chat rows from 2,000 returning senders, assist off, release builds, $(nproc) cores"
echo "base: $(git log --format='%h %s' -n 1 "$base" | cut -c1-80)"
ratios=()
for round in $(seq "$rounds"); do
  # The base reads its own sample manifest: a newer one may hold keys it does not know. The order
  # alternates so that neither build always runs on a warmer machine.
  if ((round % 2)); then
    with=$(drain "$current" "with-$round" samples/hub.yaml)
    without=$(drain "$baseline" "without-$round" "$worktree/samples/hub.yaml")
  else
    without=$(drain "$baseline" "without-$round" "$worktree/samples/hub.yaml")
    with=$(drain "$current" "with-$round" samples/hub.yaml)
  fi
  ratio=$(python3 -c "print(f'{$with / $without:.3f}')")
  ratios+=("$ratio")
  printf "round %d: with facts %.0f messages/s, without %.0f messages/s, ratio %s\n" "$round" "$with" "$without" "$ratio"
done
python3 -c "import statistics; r = sorted(map(float, '${ratios[*]}'.split())); print(f'median ratio {statistics.median(r):.3f}: the facts cost {100 * (1 - statistics.median(r)):.1f} % of the drain rate')"
