"""Fuzz the service against its own OpenAPI document with schemathesis.

Every operation in ``/openapi.json`` gets generated requests, valid and invalid, sent to the app
in-process (ASGI); each response must not be a 500 and must match the document: its status is
one the operation declares, its content type is declared, and its body validates against the
declared schema. The number of examples is bounded so that this runs in well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nutgraf.serve import app as service

STORY = "Rain fell on Monday. At least 40 homes were flooded, officials said."

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded when the module is imported, not from a fixture: schemathesis.pytest.from_fixture
# reads pytest's private Node._nodeid, which pytest 9.2 no longer has. app.openapi() is the
# document /openapi.json serves; this app only gives it and has schemathesis call in-process.
schema = schemathesis.openapi.from_dict(service.create_app(":memory:").openapi())
schema.app = service.create_app(":memory:")


@pytest.fixture
def app(tmp_path: Path, encoder_cache: Path) -> FastAPI:
    # A fresh app for each operation, so that what one operation stores does not change the
    # answers of the next. Generated requests ask for model
    # "accurate" too, whose encoder graph the session builds once in a temporary cache.
    app = service.create_app(tmp_path / "stories.db")
    # Two stored stories, so that GET /v1/stories/{id} and searches answer 200 as well as 404.
    client = TestClient(app)
    for text in (STORY, STORY.replace("Monday", "Tuesday")):
        assert client.post("/v1/stories", json={"text": text}).status_code == 201
    return app


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # one app an operation, on purpose
    ],
)
def test_every_operation_conforms_and_never_answers_500(
    case: schemathesis.Case, app: FastAPI
) -> None:
    case.call_and_validate(app=app, checks=CHECKS)
