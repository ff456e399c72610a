# Tributary: `make run` starts the hub on samples/hub.yaml, `make test` runs every test.
SWIFT ?= swift
MANIFEST ?= samples/hub.yaml
BIN := .build/debug/tributary

.PHONY: run test build check api-check bench bench-identity bench-marketplace bench-email bench-routing bench-assist bench-bot bench-sla bench-console bench-ops deps test-deps format

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFT) build --product tributary

# The marketplace simulator runs beside the hub for the demo: it serves the orders API the
# `shop` channel polls and pushes a signed order update every 20 s. On a new database the demo
# seed adds a demo admin and agent for the console (local use only) and a few customers.
run: build
	@python3 samples/marketplace_simulator.py --port 8090 --hub http://127.0.0.1:8080/hooks/shop --live 20 & sim=$$!; \
	python3 samples/demo_seed.py --hub http://127.0.0.1:8080 & seed=$$!; \
	trap 'kill $$sim $$seed 2>/dev/null' EXIT INT TERM; $(BIN) serve --manifest $(MANIFEST)

check: build
	$(BIN) check --manifest $(MANIFEST)

# Swift tests (HubCore, HubStorage, HubServer over 127.0.0.1), then the process-level
# tests: restart after SIGKILL, graceful SIGTERM, the CLI, the widget in headless Chromium.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	python3 -m pytest -q tests/e2e

# Schemathesis with every check against the served openapi.yaml of a live hub (about 17 minutes:
# the long poll may hold a request for up to 60 s by contract).
api-check: build
	scripts/api-check.sh $(BIN)

# Acknowledgements at 64 connections next to a bare endpoint of the same server (wrk), then the
# processing stage: drain rate of a 200,000-row backlog, lag at half that rate, peak RSS.
bench: deps
	Benchmarks/ingest.sh 10 64
	Benchmarks/pipeline.sh 200000 10

# Sync 10,000 orders from the simulator next to the simulator alone; signed webhooks next to
# the bare endpoint; lag with polling only.
bench-marketplace: deps
	Benchmarks/marketplace.sh

# Fetch, parse, thread and store 10,000 mails from dovecot, next to a plain curl fetch.
bench-email: deps
	Benchmarks/email.sh

# The identity graph at 100k customers and 1M events: import, merge, undo, timeline reads.
bench-identity: deps
	$(SWIFT) build -c release --product identity-bench
	.build/release/identity-bench

# A simulated 8-hour day of routing: 50 agents, arrivals at 80 % of capacity; safety counts,
# fairness, decision time and wait-estimate accuracy.
# 100,000 open tickets under 10 policies and 3 calendars: the SLA pass (cold and steady), memory,
# due moment to breach event with a 1 s tick, and the ticket list with filters.
bench-sla: deps
	$(SWIFT) build -c release --product sla-bench
	.build/release/sla-bench

# Operations at scale: reports over 2 years of facts for 10 M messages in 1 M conversations (p50/p95
# of 30-day and 2-year reports), audit verify over 10 M chained rows, and a backup of that database.
bench-ops: deps
	$(SWIFT) build -c release --product ops-bench
	.build/release/ops-bench

bench-routing: deps
	$(SWIFT) build -c release --product routing-bench
	.build/release/routing-bench

format:
	$(SWIFT) format --in-place --recursive Sources Plugins Tests Benchmarks Package.swift

# The bot: answer time from processing a web chat question to the reply queued in the outbox,
# at a steady pace (release build), with the dev dialogues' pass and self-service rates.
bench-bot: deps
	Benchmarks/bot.sh 20 8 40
	.build/release/tributary assist eval dialogues samples/assist/dialogues-dev.jsonl --manifest samples/hub.yaml --database "$$(mktemp -d)/x.sqlite"

# Assist on one core: training time, model size, classify + retrieve latency (p50/p99), with
# the dev-split and knowledge-base figures.
bench-assist: deps
	$(SWIFT) build -c release --product assist-bench
	.build/release/assist-bench samples/assist

# The agent console in headless Chromium on the release build: provider 2xx to the message on screen
# (p50/p99 over 1,000, next to a bare stream client), the first load, a 5,000-event timeline.
bench-console: test-deps
	$(SWIFT) build -c release --product tributary
	python3 Benchmarks/console_bench.py
