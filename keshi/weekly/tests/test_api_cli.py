import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from icalendar import Calendar

from keshi.plans.models import CalendarFeed
from keshi.weekly import services
from keshi.weekly.tests.conftest import MON, WEEK

pytestmark = pytest.mark.django_db


def _api(user, **params):
    c = Client()
    c.force_login(user)
    return c.get("/api/v1/weekly-schedule", params)


def _publish(cast, term):
    services.publish(org=cast.school, term=term, week=WEEK, by=cast.office, title="已发布")


def test_api_answers_the_sheet_to_readers_and_published_weeks_to_teachers(cast, term, trip):
    params = {"org": "demo", "term": term.pk, "week": WEEK}
    body = _api(cast.office, **params).json()
    assert body["title"] == "示范中学第10周工作安排" and body["published"] is False
    monday = next(d for d in body["days"] if d["date"] == MON.isoformat())
    line = next(ln for ln in monday["lines"] if "张老师" in ln["text"])
    assert "第2节 初一(3)班语文：王组长代课" in line["details"]
    assert _api(cast.teacher, **params).status_code == 404  # a draft
    assert _api(cast.outsider, **params).status_code == 404
    assert _api(cast.district, **params).status_code == 200
    _publish(cast, term)
    assert _api(cast.teacher, **params).json()["published"] is True
    assert _api(cast.outsider, **params).status_code == 404
    assert _api(cast.office, **dict(params, week=40)).status_code == 404
    assert _api(cast.office, **dict(params, week="x")).status_code == 422


def test_cli_writes_word_and_json(cast, term, trip, tmp_path, capsys):
    out = tmp_path / "week.docx"
    call_command(
        "weekly-schedule", "--org", "demo", "--week", str(WEEK), "--term", "2025-1",
        "--format", "docx", "-o", str(out),
    )  # fmt: skip
    cells = [c.text for t in Document(out).tables for r in t.rows for c in r.cells]
    assert "外出：张老师（外出培训·全天）" in cells
    capsys.readouterr()
    call_command("weekly-schedule", "--org", "demo", "--week", str(WEEK), "--term", str(term.pk),
                 "--format", "json")  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["week"] == WEEK and data["monday"] == MON.isoformat()
    with pytest.raises(CommandError, match="没有第99周"):
        call_command("weekly-schedule", "--org", "demo", "--week", "99", "--term", "2025-1")
    with pytest.raises(CommandError, match="不存在"):
        call_command("weekly-schedule", "--org", "nope", "--week", "1")


def test_published_week_reaches_the_feeds_of_those_it_concerns(cast, term, trip):
    services.save_notes(
        org=cast.school, term=term, week=WEEK, days=[MON], notes={MON: "升旗仪式"}, by=cast.office
    )
    lead = CalendarFeed.objects.create(org=cast.school, person=cast.lead.person)
    other = CalendarFeed.objects.create(org=cast.school, person=cast.other_teacher.person)
    org_feed = CalendarFeed.objects.create(org=cast.school)

    def summaries(feed) -> list[str]:
        body = Client().get(reverse("itinerary:feed", args=[feed.token])).content
        return [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")]

    assert not any("外出" in s for s in summaries(org_feed))  # not published yet
    _publish(cast, term)
    assert "外出：张老师（外出培训·全天）" in summaries(lead)  # 王组长 covers a lesson
    assert "工作安排：升旗仪式" in summaries(lead)
    mine = summaries(other)
    assert "外出：李老师（外出培训·全天）" in mine and "外出：张老师（外出培训·全天）" not in mine
    assert "《长三角语文核心素养研讨会》：张老师、李老师" in mine
    assert "外出：张老师（外出培训·全天）" in summaries(org_feed)
