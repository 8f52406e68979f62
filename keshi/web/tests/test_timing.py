"""The Server-Timing header of KESHI_SERVER_TIMING (keshi/web/timing.py): the layers add up and
the query count is the request's own."""

import re

import pytest
from django.urls import reverse

from keshi.web import timing

TIMING = re.compile(r"(\w+);dur=([\d.]+)")


@pytest.fixture
def timed(settings):
    settings.MIDDLEWARE = ["keshi.web.timing.Outer", *settings.MIDDLEWARE, "keshi.web.timing.Inner"]


def _layers(response) -> dict[str, float]:
    return {name: float(ms) for name, ms in TIMING.findall(response["Server-Timing"])}


def test_healthz_is_one_query_and_its_layers_add_up(client, db, timed):
    response = client.get(reverse("healthz"))
    layers = _layers(response)
    assert set(layers) == {"total", "mw", "view", "tpl", "sql"}
    assert layers["mw"] + layers["view"] == pytest.approx(layers["total"], abs=0.02)
    assert 0 < layers["sql"] <= layers["view"] and layers["tpl"] == 0
    assert "sql;dur=" in response["Server-Timing"] and 'desc="1"' in response["Server-Timing"]


def test_a_page_reports_its_templates_and_queries(client, cast, timed):
    client.force_login(cast.teacher)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    layers = _layers(response)
    queries = int(re.search(r'desc="(\d+)"', response["Server-Timing"]).group(1))
    assert queries >= 5 and layers["tpl"] > 0 and layers["view"] >= layers["tpl"]


def test_off_by_default(client, db):
    assert "Server-Timing" not in client.get(reverse("healthz"))


def test_the_header_names_each_layer_in_milliseconds():
    text = timing.header({"total": 0.012, "view": 0.010, "tpl": 0.004, "sql": 0.003, "queries": 7})
    assert (
        text == 'total;dur=12.00, mw;dur=2.00, view;dur=10.00, tpl;dur=4.00, sql;dur=3.00;desc="7"'
    )
