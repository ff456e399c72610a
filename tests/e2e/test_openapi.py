"""The API description is a valid OpenAPI document and the served copy is the one in the repo."""
import requests
import yaml
from openapi_spec_validator import validate

from conftest import ROOT

SPEC = ROOT / "Sources" / "HubServer" / "Resources" / "openapi.yaml"


def test_openapi_document_is_valid_and_served(hub):
    validate(yaml.safe_load(SPEC.read_text()))
    served = requests.get(hub.url("/openapi.yaml"), timeout=10)
    assert served.status_code == 200
    assert served.text == SPEC.read_text()


def test_every_route_the_issue_names_is_described():
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    for path in ["/healthz", "/readyz", "/widget.js", "/widget/demo", "/chat/{channel}", "/chat/{channel}/messages",
                 "/api/v1/channels", "/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/customers/{id}/timeline",
                 "/api/v1/conversations/{id}", "/api/v1/conversations/{id}/messages", "/api/v1/outbox", "/hooks/{channel}"]:
        assert path in paths, path
