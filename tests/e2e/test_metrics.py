"""`/metrics` of the running binary, read with prometheus_client's own parser: request histograms per route
pattern (never an id), counters from the event log, queue gauges from the database, Prometheus's naming
conventions, and fewer than 1,500 series after every route has been called."""
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import AGENT, wait_for


def families(hub):
    answer = requests.get(hub.url("/metrics"), timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(answer.text)}


def value(family, **labels):
    return sum(s.value for s in family.samples if all(s.labels.get(k) == v for k, v in labels.items())
               and not s.name.endswith(("_bucket", "_sum", "_created")))


def test_metrics_parse_and_count_requests_messages_and_queues(hub):
    posted = [requests.post(hub.url("/chat/web/messages"), json={"text": f"where is order {n}?"}, timeout=10) for n in range(3)]
    assert all(p.status_code == 201 for p in posted)
    for customer in (p.json()["customer"] for p in posted):
        assert requests.get(hub.url(f"/api/v1/customers/{customer}"), headers=AGENT, timeout=10).status_code == 200
    assert requests.get(hub.url("/api/v1/customers/999999"), headers=AGENT, timeout=10).status_code == 404
    assert requests.get(hub.url("/no/such/path"), timeout=10).status_code == 404

    def counted():
        current = families(hub)
        received = current.get("tributary_messages_received")
        return current if received and value(received, channel="web") >= 3 else None
    metrics = wait_for(counted)
    requests_family = metrics["tributary_http_request_duration_seconds"]
    assert requests_family.type == "histogram"
    routes = {s.labels["route"] for s in requests_family.samples}
    assert "/api/v1/customers/{id}" in routes and "unmatched" in routes
    assert not any(any(ch.isdigit() for ch in route.split("/")[-1]) and "{" not in route for route in routes - {"unmatched"}), routes
    count = lambda **labels: sum(s.value for s in requests_family.samples if s.name.endswith("_count")
                                 and all(s.labels.get(k) == v for k, v in labels.items()))
    assert count(route="/api/v1/customers/{id}", method="GET", status="2xx") == 3
    assert count(route="/api/v1/customers/{id}", method="GET", status="4xx") == 1
    assert count(route="/chat/{channel}/messages", method="POST", status="2xx") == 3
    # Seconds, and buckets that end at +Inf and never decrease.
    buckets = [s for s in requests_family.samples if s.name.endswith("_bucket") and s.labels["route"] == "/api/v1/customers/{id}"
               and s.labels["status"] == "2xx"]
    assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == 3
    assert [b.value for b in buckets] == sorted(b.value for b in buckets)

    assert metrics["tributary_messages_received"].type == "counter"
    for gauge in ("tributary_inbox_backlog", "tributary_inbox_lag_seconds", "tributary_outbox_pending", "tributary_outbox_retrying",
                  "tributary_outbox_dead_letters", "tributary_conversations_queued"):
        assert metrics[gauge].type == "gauge", gauge
    assert value(metrics["tributary_conversations_queued"]) == 3
    for name, family in metrics.items():
        assert name.startswith("tributary_"), name
        for sample in family.samples:
            assert not ({"id", "customer", "conversation", "agent"} & set(sample.labels)), sample


def test_every_route_called_stays_under_1500_series(hub):
    # Every operation of openapi.yaml, with made-up ids: each route pattern appears once per method and status class.
    import yaml
    document = yaml.safe_load(requests.get(hub.url("/openapi.yaml"), timeout=10).text)
    for path, operations in document["paths"].items():
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            url = hub.url(path.replace("{id}", "1").replace("{channel}", "web").replace("{index}", "0")
                          .replace("{delivery}", "1").replace("{version}", "1").replace("{file}", "app.js"))
            requests.request(method.upper(), url, headers=AGENT, json={}, timeout=30)
    text = requests.get(hub.url("/metrics"), timeout=10).text
    series = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert 50 < len(series) < 1500, len(series)

