"""The monthly 质量与安全 report (#24 item 5): one department, one month — each indicator against
target, last month and the same month last year, 未达标 first, a chart each; for the head of
the department and the 医务科 only; in a hospital's words."""

from datetime import date, datetime
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from keshi.indicators import measure
from keshi.indicators.models import Actual
from keshi.indicators.report import month_report, month_report_docx, report_groups
from keshi.indicators.views_report import last_month

SCHOOL_WORDS = ("学期", "教学周", "全校", "教科室", "教龄", "学年")
TODAY = date(2026, 11, 26)


def _enter(indicator, year, month, **figures):
    entered = timezone.make_aware(datetime(year + (month == 12), month % 12 + 1, 3))
    Actual.objects.create(
        indicator=indicator,
        year=year,
        month=month,
        entered_at=entered,
        **{k: D(v) for k, v in figures.items()},
    )


@pytest.fixture
def figures(hospital):
    """October 2026: 床位使用率 80% (missed, as in September), 平均住院日 8.5天 (met), 门诊人次
    not reported; last October's figures for the comparison."""
    for month, num in ((9, 82), (10, 80)):
        _enter(hospital.occupancy, 2026, month, numerator=num, denominator=100)
    _enter(hospital.occupancy, 2025, 10, numerator=88, denominator=100)
    for month, value in ((1, "8.0"), (9, "9.2"), (10, "8.5")):
        _enter(hospital.stay, 2026, month, value=value)
    _enter(hospital.stay, 2025, 10, value="8.8")
    _enter(hospital.visits, 2025, 10, value=500)
    return hospital


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


def test_the_month_against_target_last_month_and_last_year(figures):
    report = month_report(figures.neuro, 2026, 10, TODAY)
    assert report.title == "神经内科2026年10月质量与安全报告"
    lines = {x.line.name: x for x in report.lines}
    occupancy, stay, visits = lines["床位使用率"], lines["平均住院日"], lines["门诊人次"]
    assert [x.line.name for x in report.lines] == ["床位使用率", "门诊人次", "平均住院日"]
    assert (occupancy.actual, occupancy.last_month, occupancy.last_year) == ("80%", "82%", "88%")
    assert occupancy.target == "≥ 85%" and occupancy.status is measure.Status.MISSED
    assert occupancy.missed_before and occupancy.direction == "越高越好"
    assert (stay.actual, stay.last_month, stay.last_year, stay.target) == (
        "8.5天",
        "9.2天",
        "8.8天",
        "≤ 9天",
    )
    assert stay.status is measure.Status.MET and not stay.missed_before
    assert stay.direction == "越低越好"
    assert visits.status is measure.Status.NO_DATA and visits.actual == "—"
    assert visits.last_year == "500人次" and visits.target == "≥ 600人次"  # 500 × 1.2
    assert [report.count(s) for s in (measure.Status.MET, measure.Status.MISSED)] == [1, 1]
    # 3 indicators × 10 months expected; 5 entered, each by the 3rd of the next month
    assert (report.reporting_rate, report.on_time_rate) == ("16.7%", "16.7%")


def test_january_compares_with_last_december(hospital):
    _enter(hospital.stay, 2025, 12, value="9.5")
    _enter(hospital.stay, 2026, 1, value="8.0")
    stay = next(
        x for x in month_report(hospital.neuro, 2026, 1, TODAY).lines if x.line.name == "平均住院日"
    )
    assert (stay.actual, stay.last_month, stay.last_year) == ("8天", "9.5天", "—")


def test_the_document_lists_the_misses_first_with_a_chart_each(figures):
    doc = Document(BytesIO(month_report_docx(month_report(figures.neuro, 2026, 10, TODAY))))
    text = _text(doc)
    assert doc.paragraphs[0].text == "神经内科2026年10月质量与安全报告"
    assert doc.paragraphs[1].text == "示范医院 · 统计至2026年11月26日"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、概况", "二、本月未达标指标", "三、指标明细", "四、指标趋势"]
    assert "10月考核指标3项：达标1项，未达标1项，未填报1项。" in text
    assert (
        "1. 床位使用率：本月80%，目标≥ 85%（越高越好）；上月82%，去年同月88%，已连续两个月未达标。"
    ) in text
    [table] = doc.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["指标", "目标", "本月", "上月", "去年同月", "状态"]
    assert rows[1] == ["床位使用率", "≥ 85%", "80%", "82%", "88%", "未达标"]
    assert rows[2][0] == "门诊人次" and rows[2][-1] == "未填报"
    assert rows[3] == ["平均住院日", "≤ 9天", "8.5天", "9.2天", "8.8天", "达标"]
    assert len(doc.inline_shapes) == 3  # one chart per indicator
    assert "图1 床位使用率（2026年1—10月）" in text
    for word in SCHOOL_WORDS:
        assert word not in text, word


def test_a_month_all_met_says_so(hospital):
    _enter(hospital.stay, 2026, 10, value="8.5")
    hospital.occupancy.active = hospital.visits.active = False
    hospital.occupancy.save()
    hospital.visits.save()
    doc = Document(BytesIO(month_report_docx(month_report(hospital.neuro, 2026, 10, TODAY))))
    assert "本月各项指标均已达标。" in _text(doc) and len(doc.inline_shapes) == 1


def test_a_month_not_over_is_not_judged(hospital):
    _enter(hospital.stay, 2026, 11, value="8.5")
    report = month_report(hospital.neuro, 2026, 11, TODAY)  # 26 November: still open
    assert {x.status for x in report.lines} == {measure.Status.OPEN}
    text = _text(Document(BytesIO(month_report_docx(report))))
    assert "达标0项，未达标0项，未填报0项，尚未判定3项。" in text
    assert "本月没有未达标的指标。" in text and "均已达标" not in text


def test_who_may_have_the_report(hospital, cast):
    assert set(report_groups(hospital.head)) == {hospital.neuro}
    assert set(report_groups(hospital.office)) >= {hospital.neuro, hospital.cardio}
    assert not report_groups(hospital.staff).exists()
    assert not report_groups(cast.office).filter(org=hospital.org).exists()


def _url(group, **params):
    query = "&".join(f"{k}={v}" for k, v in {"group": group.pk, **params}.items())
    return f"{reverse('indicators:month_report')}?{query}"


@pytest.mark.parametrize("who", ["head", "office"])
def test_the_head_and_the_office_download_it(client, figures, who):
    client.force_login(getattr(figures, who))
    response = client.get(_url(figures.neuro, year=2026, month=10))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(BytesIO(response.content))
    assert doc.paragraphs[0].text == "神经内科2026年10月质量与安全报告"
    assert len(doc.inline_shapes) == 3
    text = _text(doc)
    for word in SCHOOL_WORDS:
        assert word not in text, word


@pytest.mark.parametrize(
    "who, group",
    [
        ("staff", "neuro"),  # a member reads the figures but does not answer for them
        ("cardio_head", "neuro"),  # another department's head
        ("head", "cardio"),
    ],
)
def test_others_are_refused(client, figures, who, group):
    client.force_login(getattr(figures, who))
    assert client.get(_url(getattr(figures, group), year=2026, month=10)).status_code == 404


def test_a_school_the_district_and_an_anonymous_visitor_are_refused(client, figures, cast):
    url = _url(figures.neuro, year=2026, month=10)
    assert client.get(url).status_code == 302  # to the login page
    for user in (cast.office, cast.teacher, cast.district):  # the district reads, no more
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_a_month_not_ended_is_refused_and_the_default_is_last_month(client, figures):
    client.force_login(figures.office)
    today = timezone.localdate()
    later = today.month % 12 + 1, today.year + (today.month == 12)
    assert client.get(_url(figures.neuro, year=later[1], month=later[0])).status_code == 404
    this_month = _url(figures.neuro, year=today.year, month=today.month)
    assert client.get(this_month).status_code == 404
    assert client.get(_url(figures.neuro, month="13")).status_code == 404
    response = client.get(_url(figures.neuro, year=2026))
    assert response.status_code == 200
    month = last_month(2026, today)
    assert (
        f"2026年{month}月".encode()
        in Document(BytesIO(response.content)).paragraphs[0].text.encode()
    )


def test_last_month(hospital):
    assert last_month(2026, date(2026, 11, 26)) == 10
    assert last_month(2025, date(2026, 11, 26)) == 12
    assert last_month(2026, date(2026, 1, 5)) is None
    assert last_month(2027, date(2026, 11, 26)) is None


def test_the_indicators_page_offers_it_to_those_who_may_have_it(client, figures):
    """(神经内科 is the only department with indicators, so the only one on the page.)"""
    url = f"{reverse('indicators:index')}?org={figures.org.pk}&year=2026"
    report = reverse("indicators:month_report")
    hidden = f'name="group" value="{figures.neuro.pk}"'
    for user, offered in ((figures.head, True), (figures.office, True), (figures.staff, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (report in page) == offered and (hidden in page) == offered, user
        if offered:
            assert "下载质量与安全月报" in page and '<option value="10">10月</option>' in page
