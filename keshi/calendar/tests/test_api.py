"""The terms API: visible terms by role and a term's teaching weeks."""

from datetime import date

import pytest

from keshi.accounts.models import ApiToken
from keshi.calendar.models import SchoolYear, Term

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(url, params, headers=headers)


def term(org, start_year=2025, number=1, start=date(2025, 9, 1), end=date(2026, 1, 23)) -> Term:
    year, _ = SchoolYear.objects.get_or_create(
        org=org,
        start_year=start_year,
        defaults={"start": date(start_year, 9, 1), "end": date(start_year + 1, 8, 31)},
    )
    return Term.objects.create(school_year=year, number=number, start=start, end=end)


@pytest.fixture
def terms(cast):
    return {
        "demo": term(cast.school),
        "demo2": term(cast.school, number=2, start=date(2026, 3, 2), end=date(2026, 7, 3)),
        "other": term(cast.other_school),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {t["id"] for t in response.json()}


def test_terms_by_role(cast, terms, client):
    demo = {terms["demo"].pk, terms["demo2"].pk}
    assert ids(get(client, cast.teacher, "/api/v1/terms")) == demo
    assert ids(get(client, cast.office, "/api/v1/terms")) == demo
    assert ids(get(client, cast.outsider, "/api/v1/terms")) == {terms["other"].pk}
    assert ids(get(client, cast.district, "/api/v1/terms")) == demo | {terms["other"].pk}
    assert ids(get(client, cast.district, "/api/v1/terms", org="other")) == {terms["other"].pk}
    assert ids(get(client, cast.outsider, "/api/v1/terms", org="demo")) == set()


def test_term_list_item(cast, terms, client):
    [first] = [t for t in get(client, cast.teacher, "/api/v1/terms").json() if t["number"] == 1]
    assert first == {
        "id": terms["demo"].pk,
        "org": "demo",
        "name": "2025—2026学年第一学期",
        "school_year": 2025,
        "number": 1,
        "start": "2025-09-01",
        "end": "2026-01-23",
        "closed": False,
    }


def test_term_weeks_are_clipped_to_the_term(cast, client):
    # Starts on a Wednesday: week 1 is Wed–Sun, week 2 begins the next Monday.
    t = term(cast.school, start=date(2025, 9, 3), end=date(2025, 9, 15))
    body = get(client, cast.teacher, f"/api/v1/terms/{t.pk}").json()
    spans = [(w["number"], w["monday"], w["start"], w["end"]) for w in body["weeks"]]
    assert spans == [
        (1, "2025-09-01", "2025-09-03", "2025-09-07"),
        (2, "2025-09-08", "2025-09-08", "2025-09-14"),
        (3, "2025-09-15", "2025-09-15", "2025-09-15"),
    ]
    assert [w["workdays"] for w in body["weeks"]] == [3, 5, 1]
    assert body["current_week"] is None  # long past
    assert body["calendar_warning"] is None


def test_term_weeks_show_holidays_and_adjusted_workdays(cast, client):
    # 2025 国庆节+中秋节: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    t = term(cast.school, start=date(2025, 9, 22), end=date(2025, 10, 12))
    weeks = get(client, cast.teacher, f"/api/v1/terms/{t.pk}").json()["weeks"]
    assert [d["date"] for d in weeks[0]["adjusted_workdays"]] == ["2025-09-28"]
    assert weeks[0]["workdays"] == 6
    assert [d["date"] for d in weeks[1]["holidays"]] == [f"2025-10-0{n}" for n in range(1, 6)]
    assert weeks[1]["workdays"] == 2  # 29 and 30 September
    assert [d["date"] for d in weeks[2]["holidays"]] == ["2025-10-06", "2025-10-07", "2025-10-08"]
    assert [d["date"] for d in weeks[2]["adjusted_workdays"]] == ["2025-10-11"]
    assert weeks[2]["workdays"] == 3  # Thursday, Friday and the 调休 Saturday


def test_full_term_has_consecutive_weeks(cast, terms, client):
    body = get(client, cast.office, f"/api/v1/terms/{terms['demo'].pk}").json()
    weeks = body["weeks"]
    assert [w["number"] for w in weeks] == list(range(1, len(weeks) + 1))
    assert len(weeks) == 21
    assert (weeks[0]["start"], weeks[-1]["end"]) == ("2025-09-01", "2026-01-23")


def test_invisible_or_unknown_term_is_404(cast, terms, client):
    assert get(client, cast.outsider, f"/api/v1/terms/{terms['demo'].pk}").status_code == 404
    assert get(client, cast.office, "/api/v1/terms/99999999").status_code == 404
    assert get(client, cast.office, f"/api/v1/terms/{terms['other'].pk}").status_code == 404


def test_terms_need_auth(terms, client):
    assert client.get("/api/v1/terms").status_code == 401


def test_term_in_a_year_without_holiday_data_warns(cast, client):
    t = term(cast.school, start_year=2098, start=date(2099, 3, 2), end=date(2099, 3, 15))
    body = get(client, cast.teacher, f"/api/v1/terms/{t.pk}").json()
    assert "2099" in body["calendar_warning"]
    assert [w["workdays"] for w in body["weeks"]] == [5, 5]  # Monday–Friday assumed
