"""``keshi demo-data`` on an empty database: the same result every time, and what it prints."""

from io import StringIO

from django.core.management import call_command
from django.db import transaction

from keshi.demo.services import PASSWORD, load_demo
from keshi.demo.tests.snapshot import TODAY, digest, records
from keshi.org.models import Org, Person
from keshi.records.models import Activity

USERNAMES = ["admin", "office", "leader", "lead", "teacher", "district", "teacher2"]
USERNAMES += ["neuro", "hospital_office", "doctor"]  # the demo hospital


def test_same_result_in_a_fresh_database(db):
    with transaction.atomic():
        load_demo(today=TODAY)
        first, rows = digest(), sorted(map(repr, records()))
        transaction.set_rollback(True)
    assert not Org.objects.exists() and not Person.objects.exists()
    assert not Activity.objects.exists()
    load_demo(today=TODAY)
    assert len(rows) > 2000
    assert sorted(map(repr, records())) == rows
    assert digest() == first


def test_command_prints_the_logins_and_the_standings(db):
    out = StringIO()
    call_command("demo-data", "--today", "2026-11-26", stdout=out)
    text = out.getvalue()
    assert "演示数据已创建" in text
    for username in USERNAMES:
        assert f"\n{username} " in text
    assert text.count(PASSWORD) == len(USERNAMES)
    standings = [line for line in text.splitlines() if "（截至 2026-11-26）" in line]
    assert [line.split(" ")[0] for line in standings] == ["示范区实验中学", "示范区育才中学"]
    for label in ("已完成", "进度正常", "进度落后", "未完成", "免考核"):
        assert label in standings[0]
    out = StringIO()
    call_command("demo-data", "--today", "2026-11-26", stdout=out)
    assert "无需改动" in out.getvalue()
    assert out.getvalue().count("（截至 2026-11-26）") == 2
