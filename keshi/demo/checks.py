"""The demo's inspections, draws and bulletin, through ``keshi.checks`` services.

For ``demo``: the 期中教学常规检查 of every teacher's 教案 (built-in 教案检查表) in 第9周, scored
and completed, with two 整改 (one closed, one open for the 语文 lead's group); a 七年级 抽查
committed and revealed (commit–reveal: the draws' seeds are derived from their titles so that
the demo is the same on every run — real draws use a secret random seed) and the 作业检查 of
the classes drawn, in progress; 第1期 简报 with the inspection and the draws, published. For
``demo2``: the same 期中检查 of its teachers, completed.

Idempotent by title; scores are deterministic (``random.Random`` seeded by title and 工号).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.checks import lottery, services
from keshi.checks.models import Bulletin, Draw, Inspection, Rubric
from keshi.demo.activity import demo_term
from keshi.org.models import Org, Person

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

# 整改 closes with an evidence file: the demo's is a one-page PDF.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

SEED = "keshi-demo-checks"
MIDTERM = "期中教学常规检查（教案）"
GRADE, CLASSES = "七年级", [f"七年级（{n}）班" for n in range(1, 7)]
SUBJECTS = ["语文", "数学", "英语", "地理", "生物", "道德与法治", "历史"]
FINDINGS = {
    "优": "教案详实，环节完整，反思具体。",
    "良": "备课认真，个别课时反思偏简。",
    "中": "教案数量不足，教学反思流于形式。",
    "差": "缺课时较多，需限期补齐。",
}


def write(w: _Writer, org: Org, today: date) -> None:
    term = demo_term(org, today)
    office = get_user_model().objects.filter(username="office").first()
    if term is None or office is None:
        return
    by = office if org.code == "demo" else get_user_model().objects.get(username="admin")
    day = max(term.start, min(term.start + timedelta(weeks=8, days=1), today))
    midterm = _midterm(w, org, term, day, by)
    if org.code != "demo" or midterm is None:
        return
    draws = _draws(w, org, today - timedelta(days=6), by)
    _homework(w, org, term, draws[1], today - timedelta(days=5), by)
    _bulletin(w, org, [midterm], list(draws), today - timedelta(days=2), by)


def _midterm(w: _Writer, org: Org, term, day: date, by) -> Inspection | None:
    found = Inspection.objects.filter(org=org, term=term, title=MIDTERM).first()
    if found is not None:
        return found
    people = list(Person.objects.filter(org=org, active=True).order_by("staff_no"))
    inspectors = [p for p in people if p.position in ("教科室主任", "教科室干事", "教研组长")]
    inspection = services.save_inspection(
        org=org,
        by=by,
        people=people,
        inspectors=inspectors[:4],
        term=term,
        title=MIDTERM,
        kind=Inspection.Kind.MIDTERM,
        target=Inspection.Target.PEOPLE,
        rubric=Rubric.objects.get(org=None, name="教案检查表"),
        start=day,
        end=day + timedelta(days=2),
        notes="各教研组长协助，按教案检查表逐项评分。",
    )
    w.created["inspection"] += 1
    services.start_inspection(inspection=inspection)
    criteria = inspection.criteria_list()
    levels = {}
    rows = {}
    for p in people:
        rng = random.Random(f"{SEED}:{MIDTERM}:{p.staff_no}")
        share = rng.choice((0.95, 0.9, 0.9, 0.85, 0.85, 0.8, 0.7, 0.55))
        scores = {c.key: str(_round(c.max * Decimal(share + rng.uniform(-0.05, 0.05))))
                  for c in criteria}  # fmt: skip
        rows[p.pk] = {"scores": scores, "findings": ""}
    saved = services.record_scores(inspection=inspection, by=by, rows=rows)
    for result in saved:
        levels[result.pk] = result.level
        result.findings = FINDINGS.get(result.level, "")
        result.save(update_fields=["findings"])
    w.created["inspectionresult"] += len(saved)
    worst = sorted(saved, key=lambda r: (r.percent, r.person_id))[:2]
    for k, result in enumerate(worst):
        fix = services.add_rectification(
            inspection=inspection,
            result=result,
            text="补齐缺少的课时教案，每课写教学反思",
            responsible=result.person,
            due=day + timedelta(days=14),
        )
        w.created["rectification"] += 1
        if k == 0:
            services.close_rectification(
                rectification=fix,
                closed_on=day + timedelta(days=10),
                note="已补齐教案并经教研组长复查",
                by=by,
                evidence_name="补齐的教案（扫描件）.pdf",
                evidence=EVIDENCE_PDF,
            )
    services.complete_inspection(inspection=inspection)
    return inspection


def _round(value: Decimal) -> Decimal:
    return max(Decimal(0), value.quantize(Decimal(1)))


def _draws(w: _Writer, org: Org, day: date, by) -> tuple[Draw, Draw]:
    titles = (f"{GRADE}教案抽查（抽学科）", f"{GRADE}作业抽查（抽班级）")
    found = [Draw.objects.filter(org=org, title=t).first() for t in titles]
    if all(found):
        return found[0], found[1]
    drawer = Person.objects.filter(org=org, position="年级主任").order_by("staff_no").first()
    pair = services.commit_pair(
        org=org, grade=GRADE, subjects=SUBJECTS, k_subjects=3, classes=CLASSES, k_classes=3,
        by=by, drawer=drawer,
    )  # fmt: skip
    for draw in pair:
        seed = hashlib.sha256(f"{SEED}:{draw.title}".encode()).hexdigest()
        Draw.objects.filter(pk=draw.pk).update(seed=seed, commitment=lottery.commitment(seed))
        draw.refresh_from_db()
        services.reveal_draw(draw=draw, by=by)
        w.created["draw"] += 1
    return pair


def _homework(w: _Writer, org: Org, term, draw: Draw, day: date, by) -> Inspection:
    title = f"{GRADE}作业抽查"
    found = Inspection.objects.filter(org=org, term=term, title=title).first()
    if found is not None:
        return found
    draw.refresh_from_db()
    heads = Person.objects.filter(org=org, position="班主任").order_by("staff_no")
    inspection = services.save_inspection(
        org=org,
        by=by,
        people=list(heads[:3]),
        term=term,
        title=title,
        kind=Inspection.Kind.HOMEWORK,
        target=Inspection.Target.PEOPLE,
        rubric=Rubric.objects.get(org=None, name="作业检查表"),
        start=day,
        end=day + timedelta(days=7),
        classes="\n".join(draw.result),
        draw=draw,
    )
    services.start_inspection(inspection=inspection)
    w.created["inspection"] += 1
    return inspection


def _bulletin(w: _Writer, org: Org, inspections, draws, day: date, by) -> None:
    if Bulletin.objects.filter(org=org, number=1).exists():
        return
    bulletin = services.create_bulletin(
        org=org,
        by=by,
        title="教科研信息",
        issue_date=day,
        editor="教科室",
        number=1,
        inspections=inspections,
        draws=draws,
        news="青年教师优质课评比\n本学期青年教师优质课评比圆满结束，评出一等奖1名、二等奖2名、三等奖3名。",
    )
    services.set_published(bulletin=bulletin, published=True)
    w.created["bulletin"] += 1
