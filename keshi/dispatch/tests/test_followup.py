"""Obligations reach the teacher: 我的任务 panel and the one daily digest."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from keshi.calendar.models import Term
from keshi.dispatch import rules, selectors, services
from keshi.dispatch.tests.helpers import dispatch
from keshi.notify import daily
from keshi.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_my_tasks_panel_lists_open_obligations_after_return(cast):
    d = dispatch(cast, cross_province=False, reimbursable=False, hours=Decimal(6))
    c = Client()
    c.force_login(cast.teacher)
    page = c.get(reverse("rules:my_tasks"), {"at": "2026-11-20"}).content.decode()
    assert "外出培训待办" not in page  # still away: obligations do not count yet
    member = d.members.get()
    services.mark_returned(member=member, by=cast.teacher)
    services.confirm_attendance(member=member, by=cast.office)
    page = c.get(reverse("rules:my_tasks")).content.decode()
    assert "外出培训待办" in page and "返校汇报" in page
    assert reverse("dispatch:obligation_edit", args=[d.obligations.get().pk]) in page
    assert "已登记培训 6 / 72 学时" in page


def test_year_hours_split_professional(cast):
    d = dispatch(cast, hours=Decimal(24))
    g = dispatch(
        cast, start_date=date(2026, 11, 9), end_date=date(2026, 11, 9), hours=Decimal(6),
        professional=False,
    )  # fmt: skip
    for x in (d, g):
        m = x.members.get()
        services.mark_returned(member=m, by=cast.teacher)
        services.confirm_attendance(member=m, by=cast.office)
    hours = selectors.year_hours(cast.teacher.person, date(2026, 12, 1))
    assert (hours.total, hours.professional) == (Decimal(30), Decimal(24)) and not hours.met


def test_daily_digest_carries_obligations_once(cast):
    d = dispatch(cast, cross_province=False, reimbursable=True, hours=Decimal(6))
    services.mark_returned(member=d.members.get(), by=cast.teacher)
    term = Term.objects.get(school_year__org=cast.school, number=1)
    at = date(2026, 11, 12)  # 返校汇报 was due 11-11, 反馈单 too: both overdue
    recipients, _ = daily.plan(cast.school, term, at, 3)
    mine = next(r for r in recipients if r.person and r.person.user == cast.teacher)
    message = daily.D.person_message(mine.standing, at=at, days_ahead=3)
    assert "外出培训·返校汇报：未完成，截止 11月11日（周三）" in message.text
    assert "外出培训·学习反馈单" in message.text
    for ob in d.obligations.filter(kind=rules.REPORT):
        services.confirm_obligation(obligation=ob, by=cast.office, note="已汇报")
    reports = daily.send_daily_reminders(at=at, org_code=cast.school.code)
    assert reports[0].sent["inapp"] >= 1
    notes = Notification.objects.filter(user=cast.teacher)
    assert notes.count() == 1 and "返校汇报" not in notes.get().body
    daily.send_daily_reminders(at=at, org_code=cast.school.code)
    assert Notification.objects.filter(user=cast.teacher).count() == 1
