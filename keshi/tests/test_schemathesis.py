"""Schemathesis against /api/v1/openapi.json: no generated request may cause a server error.

Runs in-process through the WSGI app, as office staff of ``demo`` (who may read and write), on
the small ``cast`` data set plus a term and a mentor pair.
"""

import json
from datetime import date

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from ninja.openapi.schema import OpenAPISchema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from keshi.accounts.models import ApiToken
from keshi.api import api
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Person
from keshi.org.tests.factories import MentorshipFactory
from keshi.wsgi import application


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the connection holding the test's
    transaction (the real WSGI handler does at request start and end)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(cast) -> str:
    year = SchoolYear.objects.create(
        org=cast.school, start_year=2025, start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    Term.objects.create(school_year=year, number=1, start=date(2025, 9, 1), end=date(2026, 1, 23))
    MentorshipFactory(
        org=cast.school,
        mentor=Person.objects.get(user=cast.lead),
        mentee=Person.objects.get(user=cast.teacher),
    )
    return ApiToken.issue(cast.office, name="schemathesis")[1]


# The document is the one served at /api/v1/openapi.json; taken from the API object so that
# collecting tests makes no request. (schemathesis.pytest.from_fixture would load it lazily, but
# breaks on pytest 9: it sets ``node._nodeid``.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application  # requests go in-process through WSGI
schema.config.generation.update(max_examples=20)


@schema.parametrize()
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_has_no_server_errors(case, office_token, keep_test_connection):
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {office_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    assert response.status_code != 401, "the office token must be accepted"


def test_the_schema_lists_every_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/api/v1/orgs",
        "/api/v1/orgs/{code}",
        "/api/v1/groups",
        "/api/v1/groups/{group_id}",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/me",
        "/api/v1/terms",
        "/api/v1/terms/{term_id}",
    }
    assert set(paths["/api/v1/people/{person_id}"]) == {"get", "patch"}


def test_every_schema_name_is_unique(monkeypatch):
    """ninja merges each model's ``$defs`` into one ``components.schemas`` by class name, and a
    second class with the same name silently replaces the first: the document then describes
    the first endpoint with the second one's fields."""
    seen: dict[str, dict] = {}
    clashes: set[str] = set()
    merge = OpenAPISchema.add_schema_definitions

    def checked(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if seen.setdefault(name, definition) != definition:
                clashes.add(name)
        merge(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", checked)
    api.get_openapi_schema()
    assert not clashes, f"two different schemas share a name: {sorted(clashes)}"


def test_the_tested_document_is_the_served_one(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(api.get_openapi_schema()))


def test_docs_page_loads_nothing_from_a_cdn(client):
    """Ninja falls back to CDN-hosted Swagger UI unless "ninja" is an installed app; the docs
    page is only switched on when it can serve its bundled copy."""
    response = client.get("/api/v1/docs")
    if "ninja" not in settings.INSTALLED_APPS:
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert response.status_code == 200
    for external in ("http://", "https://", '"//'):
        assert external not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html


def test_api_sequences_conform(office_token, keep_test_connection):
    """The stateful phase: chains of calls that feed one answer's ids into the next request."""
    calls = []

    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {office_token}"}}

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            calls.append((case.operation.label, response.status_code))
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

    Machine.run(
        settings=hypothesis_settings(
            max_examples=10,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    linked = {label for label, status in calls if status == 200}
    assert len(linked) > 3, f"the sequences reached too few operations: {sorted(linked)}"
