from datetime import datetime
from decimal import Decimal as D

from django.utils import timezone

from keshi.documents.charts import PNG_MAGIC
from keshi.indicators.models import Actual
from keshi.indicators.summary import indicator_chart_png, indicator_summary


def test_summary_lines_and_chart(hospital):
    for month, value in ((1, "8.0"), (2, "9.5")):
        Actual.objects.create(indicator=hospital.stay, year=2026, month=month, value=D(value),
                              entered_at=timezone.make_aware(datetime(2026, month + 1, 3)))  # fmt: skip
    summary = indicator_summary(hospital.org, 2026)
    stay = next(line for line in summary.lines if line.name == "平均住院日")
    assert stay.months[:3] == ["8", "9.5", "—"] and stay.year_value == "8.75"
    assert (stay.met, stay.missed, stay.year_status) == (1, 1, "达标")
    assert summary.reporting[0][0] == "心血管内科" or summary.reporting[-1][0] == "神经内科"
    assert "共考核指标3项" in summary.headline
    assert indicator_chart_png(stay, 2026).startswith(PNG_MAGIC)


def test_indicators_appear_in_the_work_summary(hospital, cast):
    """The hospital's 工作总结 carries its indicators: a table with the year's figures and a
    chart per indicator; a school without indicators gets no such section."""
    from datetime import date
    from io import BytesIO

    from docx import Document

    from keshi.calendar.services import create_school_year
    from keshi.plans.summary import gather
    from keshi.plans.word import summary_docx

    for month, value in ((1, "8.0"), (2, "9.5")):
        Actual.objects.create(indicator=hospital.stay, year=2026, month=month, value=D(value),
                              entered_at=timezone.make_aware(datetime(2026, month + 1, 3)))  # fmt: skip

    def document(org, user):
        if org == hospital.org:  # the hospital's 年度 2026: one term, the whole year
            term = create_school_year(org=org, start_year=2026).terms.get()
        else:
            year = create_school_year(org=org, start_year=2025, first_start=date(2025, 9, 1))
            term = year.terms.get(number=2)
        return Document(
            BytesIO(summary_docx(gather(user, org=org, term=term, at=date(2026, 3, 2))))
        )

    doc = document(hospital.org, hospital.office)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("科室指标") for h in headings)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"神经内科", "平均住院日", "8.75"} <= cells
    assert len(doc.inline_shapes) >= 3  # one chart per indicator (plus the records chart)
    school = document(cast.school, cast.office)
    assert not any("科室指标" in p.text for p in school.paragraphs)
