"""The demo's 评比 and 考核加分, through ``keshi.contests`` and ``keshi.appraisal`` services.

Point rules of ``demo`` (评比获奖 by level, 论文审核通过, 教研组长 达成 听课); the
青年教师优质课评比 taken from 报名 to 结果: the 语文, 数学 and 英语 teachers of 35 or under
submit, two judges (the office head and the 语文 lead, who have logins) are assigned to every
entry blind, score it by the org's 课堂教学评价表, the results are computed, shown and
published — granting the award points; then the rules are applied to the term so far (the
approved papers' points; the 达标 rule waits for the term's end).
A second 评比, 优秀教学设计, is still in 评审 with half of the office head's scores to come. ``demo2`` gets its own
教学反思评比 in 提交.

Deterministic (scores by ``random.Random`` seeded by the entry's author; the blind codes
are the service's own random codes, not part of the demo's digest); idempotent by title.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.appraisal import services as appraisal
from keshi.appraisal.models import PointRule
from keshi.checks import services as checks
from keshi.checks.models import Rubric
from keshi.contests import services
from keshi.contests.models import Assignment, Contest
from keshi.demo.activity import demo_term
from keshi.org.models import Org, Person
from keshi.records.models import ActivityKind
from keshi.rules.models import Requirement

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

SEED = "keshi-demo-contests"
RUBRIC = "课堂教学评价表（评比）"
CRITERIA = """教学目标 | 15 | | 目标明确，符合课标和学情
教学内容 | 20 | | 重点突出，容量适当
教学过程 | 30 | | 环节清晰，学生主体，互动有效
教学效果 | 20 | | 目标达成度高
教师素养 | 15 | | 语言规范，板书工整，信息技术运用恰当"""
LESSON = "青年教师优质课评比"
DESIGN = "优秀教学设计评比"
AWARD_POINTS = (("first", "3"), ("second", "2"), ("third", "1"))


def write(w: _Writer, org: Org, today: date) -> None:
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    admin = User.objects.get(username="admin")
    if org.code == "demo" and office is not None:
        _rules(w, org, office)
        rubric = _rubric(org)
        _lesson_contest(w, org, rubric, office, today)
        _design_contest(w, org, rubric, office, today)
        term = demo_term(org, today)  # this term's approved papers; 达标 rules wait for its end
        w.created["pointentry"] += appraisal.apply_rules(org=org, term=term, today=today).created
    elif org.code == "demo2":
        _reflection_contest(w, org, admin, today)


def _rules(w: _Writer, org: Org, by) -> None:
    if PointRule.objects.filter(org=org).exists():
        return
    T = PointRule.Trigger
    rules = [
        PointRule(org=org, name=f"评比{label}", trigger=T.CONTEST_AWARD, award_level=level,
                  points=Decimal(points))
        for (level, points), label in zip(AWARD_POINTS, ("一等奖", "二等奖", "三等奖"), strict=True)
    ]  # fmt: skip
    paper = ActivityKind.objects.get(org=None, code="paper")
    rules.append(PointRule(org=org, name="教学论文审核通过", trigger=T.RECORD_APPROVED,
                           kind=paper, points=Decimal("0.5")))  # fmt: skip
    lead = Requirement.objects.filter(org=org, name="教研组长听课").first()
    if lead is not None:
        rules.append(PointRule(org=org, name="教研组长听课达标", trigger=T.REQUIREMENT_MET,
                               requirement=lead, points=Decimal(1)))  # fmt: skip
    for rule in rules:
        appraisal.save_rule(by=by, rule=rule)
        w.created["pointrule"] += 1


def _rubric(org: Org) -> Rubric:
    found = Rubric.objects.filter(org=org, name=RUBRIC).first()
    return found or checks.save_rubric(
        org=org, name=RUBRIC, purpose=Rubric.Purpose.APPRAISAL, criteria=CRITERIA,
        levels="优 90、良 80、中 60、差 0",
    )  # fmt: skip


def _authors(org: Org, today: date, subjects: tuple[str, ...], judges: list[Person]) -> list:
    young = date(today.year - 36, today.month, 1)
    return [
        p
        for p in Person.objects.filter(org=org, active=True, subject__in=subjects)
        .filter(birth_date__gt=young)
        .order_by("staff_no")
        if p not in judges
    ]


def _judges(org: Org) -> list[Person]:
    return list(
        Person.objects.filter(org=org, user__username__in=("office", "lead")).order_by("staff_no")
    )


def _lesson_contest(w: _Writer, org: Org, rubric: Rubric, office, today: date) -> None:
    if Contest.objects.filter(org=org, title=LESSON).exists():
        return
    judges = _judges(org)
    contest = services.create_contest(
        org=org, by=office, title=LESSON, kind=Contest.Kind.LESSON, rubric=rubric,
        signup_start=today - timedelta(days=40), submit_start=today - timedelta(days=33),
        review_start=today - timedelta(days=24), notice_start=today - timedelta(days=14),
        result_date=today - timedelta(days=7), judges_per_entry=len(judges),
    )  # fmt: skip
    w.created["contest"] += 1
    _entries(w, contest, _authors(org, today, ("语文", "数学", "英语"), judges), "课堂实录")
    services.advance(contest=contest, by=office)  # 报名 → 提交
    services.advance(contest=contest, by=office)  # 提交 → 评审
    services.auto_assign(contest=contest, judges=judges, by=office)
    _score(contest, share=1.0)
    services.advance(contest=contest, by=office)  # 评审 → 公示
    services.advance(contest=contest, by=office)  # 公示 → 结果（加分）


def _design_contest(w: _Writer, org: Org, rubric: Rubric, office, today: date) -> None:
    if Contest.objects.filter(org=org, title=DESIGN).exists():
        return
    judges = _judges(org)
    contest = services.create_contest(
        org=org, by=office, title=DESIGN, kind=Contest.Kind.DESIGN, rubric=rubric,
        signup_start=today - timedelta(days=20), review_start=today - timedelta(days=3),
        result_date=today + timedelta(days=20), judges_per_entry=len(judges),
    )  # fmt: skip
    w.created["contest"] += 1
    authors = _authors(org, today, ("物理", "化学", "历史", "地理", "生物"), judges)
    _entries(w, contest, authors, "教学设计")
    services.advance(contest=contest, by=office)
    services.advance(contest=contest, by=office)
    services.auto_assign(contest=contest, judges=judges, by=office)
    _score(contest, share=0.5)


def _reflection_contest(w: _Writer, org: Org, by, today: date) -> None:
    title = "教学反思评比"
    if Contest.objects.filter(org=org, title=title).exists():
        return
    rubric = Rubric.objects.get(org=None, name="教案检查表")
    contest = services.create_contest(
        org=org, by=by, title=title, kind=Contest.Kind.REFLECTION, rubric=rubric,
        signup_start=today - timedelta(days=10), review_start=today + timedelta(days=10),
    )  # fmt: skip
    w.created["contest"] += 1
    services.advance(contest=contest, by=by)
    authors = list(Person.objects.filter(org=org, active=True).order_by("staff_no")[::3])
    _entries(w, contest, authors, "教学反思")


def _entries(w: _Writer, contest: Contest, authors: list[Person], what: str) -> None:
    for person in authors:
        services.submit_entry(
            contest=contest, person=person, title=f"{person.subject}{what}（{person.name}）"
        )
        w.created["entry"] += 1


def _score(contest: Contest, share: float) -> None:
    """The judges score their assignments, each entry by its author's seed; ``office`` only
    ``share`` of its own (the ``lead`` login, a judge in the browser tests, has none left)."""
    criteria = contest.criteria_list()
    todo = list(
        Assignment.objects.filter(entry__contest=contest)
        .select_related("entry__person", "judge__user")
        .order_by("entry__person__staff_no", "judge__staff_no")
    )
    office = [a for a in todo if a.judge.user.username == "office"]
    left = {a.pk for a in office[round(len(office) * share) :]}
    for a in todo:
        if a.pk in left:
            continue
        author = a.entry.person.staff_no
        quality = random.Random(f"{SEED}:{author}").uniform(0.7, 0.97)
        rng = random.Random(f"{SEED}:{author}:{a.judge.staff_no}")
        raw = {c.key: str(_mark(c.max, quality + rng.uniform(-0.03, 0.03))) for c in criteria}
        services.save_scores(assignment=a, by=a.judge.user, raw=raw, comment="")


def _mark(full: Decimal, share: float) -> Decimal:
    return min(full, (full * Decimal(share)).quantize(Decimal(1)))
