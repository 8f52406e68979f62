"""`keshi bench compliance`: the engine against the floor, on a generated data set.

The command (keshi/rules/management/commands/bench.py) has already switched the default database
to a scratch one and migrated it; this module fills it and times. Two cases in one run:

* the large case (``--people`` × ``--requirements``, ``--activities`` records): the engine —
  ``evaluate()`` for everyone on every requirement at mid-term, every cell read — against the
  floor: one hand-written GROUP BY (person, kind, teaching week) over the same rows, fetched;
* the school case (60 people, one term, 10 requirements): a dashboard's answer in ms.

See docs/performance.md for what is timed and why.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction

from keshi.calendar.models import Term
from keshi.calendar.services import create_school_year
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.records.models import ActivityKind
from keshi.rules.engine import evaluate
from keshi.rules.models import Exemption, Requirement

TERM_START, TERM_END = date(2026, 9, 1), date(2027, 1, 22)
AT = date(2026, 11, 18)  # a Wednesday in 第12周: mid-term
HISTORY_FROM = date(2026, 3, 2)  # the previous term: rows the date filter must skip
SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "音乐", "体育", "美术"]  # fmt: skip
# (kind, share of records): observations dominate, as they do in real schools.
KIND_MIX = [
    ("observation", 40),
    ("reflection", 10),
    ("lesson_plan", 10),
    ("blog", 9),
    ("reading", 8),
    ("training", 7),
    ("group_activity", 5),
    ("meeting", 5),
    ("open_class", 3),
    ("paper", 2),
    ("contest", 1),
]
TEXT_KINDS = {"reflection", "reading", "lesson_plan", "paper"}
# fmt: off
# name, kinds, measure, comparator, threshold, period, deadline, audience, item_min_chars
TEMPLATES = [
    ('新教师每学期听课', ['observation'], 'quantity', 'gte', 15, 'term', 'period_end', {'ty_max': 2}, None),
    ('教师每学期听课', ['observation'], 'quantity', 'gte', 8, 'term', 'period_end', {'ty_min': 3}, None),
    ('组长每学期听课', ['observation'], 'quantity', 'gte', 50, 'term', 'period_end', {'role': 'lead'}, None),
    ('每月教学反思', ['reflection'], 'count', 'gte', 1, 'month', 'last_friday', {}, 800),
    ('青年教师每周博客', ['blog'], 'count', 'gte', 1, 'week', 'period_end', {'age_max': 39}, None),
    ('徒弟每周听师傅课', ['observation'], 'quantity', 'gte', 4, 'week', 'last_workday', {'mentorship': 'mentee_observes_mentor'}, None),
    ('师傅每两周听徒弟课', ['observation'], 'quantity', 'gte', 1, 'two_weeks', 'period_end', {'mentorship': 'mentor_observes_mentee'}, None),
    ('每学年培训学分', ['training'], 'credits', 'gte', 73, 'school_year', 'period_end', {}, None),
    ('每学年论文', ['paper'], 'count', 'gte', 1, 'school_year', 'period_end', {}, None),
    ('组长每周教研活动', ['group_activity'], 'count', 'gte', 1, 'week', 'last_workday', {'role': 'lead'}, None),
    ('新教师每周教学设计', ['lesson_plan'], 'count', 'gte', 1, 'week', 'period_end', {'ty_max': 5}, None),
    ('每学期公开课', ['open_class'], 'count', 'gte', 1, 'term', 'period_end', {'tag': '骨干教师'}, None),
    ('每月会议不超过', ['meeting'], 'count', 'lte', 6, 'month', 'period_end', {}, None),
    ('每学期读书笔记', ['reading'], 'chars', 'gte', 3000, 'term', 'period_end', {}, None),
]
# Per-subject rules fill the rest: 语文组每月读书笔记, 数学组每两周教学设计…
SUBJECT_TEMPLATES = [
    ('每月读书笔记', ['reading'], 'count', 'gte', 1, 'month', 'last_friday', {}, 500),
    ('每两周教学设计', ['lesson_plan', 'reflection'], 'count', 'gte', 1, 'two_weeks', 'period_end', {}, None),
    ('每学期听评课', ['observation'], 'count', 'gte', 10, 'term', 'period_end', {}, None),
]
# fmt: on


def add_arguments(parser) -> None:
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--activities", type=int, default=2000000)
    parser.add_argument("--requirements", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3, help="每项计时的次数（取中位数）")
    parser.add_argument(
        "--mode",
        choices=["history", "current"],
        default="history",
        help="engine_s 计时的口径：history=每个周期（默认），current=仅当前周期",
    )
    parser.add_argument("--seed", type=int, default=2026)


def run(options: dict, say: Callable[[str], None]) -> dict:
    rng = random.Random(options["seed"])
    started = time.perf_counter()
    big = build(
        "bench", options["people"], options["activities"], options["requirements"], rng, say
    )
    school = build("school", 60, 6000, 10, rng, say)
    say(f"数据已生成，用时 {time.perf_counter() - started:.1f} 秒")
    runs = options["runs"]
    history_s, cells = _median(lambda: _engine(big, history=True), runs)
    say(f"引擎（全部周期）: {history_s:.3f} 秒，{cells} 个单元格")
    current_s, _ = _median(lambda: _engine(big, history=False), runs)
    say(f"引擎（当前周期）: {current_s:.3f} 秒")
    floor_s, groups = _median(lambda: _floor(big), runs)
    say(f"下限（一条 GROUP BY）: {floor_s:.3f} 秒，{groups} 组")
    school_ms = _median(lambda: _engine(school, history=False), 15)[0] * 1000
    school_history_ms = _median(lambda: _engine(school, history=True), 15)[0] * 1000
    say(
        f"学校规模（60 人）仪表盘: 当前周期 {school_ms:.1f} ms，全部周期 {school_history_ms:.1f} ms"
    )
    engine_s = history_s if options["mode"] == "history" else current_s
    return {
        "engine_s": engine_s,
        "floor_s": floor_s,
        "ratio": engine_s / floor_s,
        "database": "postgresql" if connection.vendor == "postgresql" else "sqlite",
        "details": {
            "engine_history_s": history_s,
            "engine_current_s": current_s,
            "school_current_ms": school_ms,
            "school_history_ms": school_history_ms,
            "cells": cells,
            "floor_groups": groups,
        },
    }


def _median(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    times, out = [], 0
    for _ in range(max(runs, 1)):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _engine(case: tuple[Org, Term], *, history: bool) -> int:
    """Evaluate and read every cell, as a summary or a matrix would."""
    org, term = case
    result = evaluate(term=term, at=AT, history=history)
    counts = Counter(c.status for cells in result.cells.values() for c in cells)
    return sum(counts.values())


def _floor(case: tuple[Org, Term]) -> int:
    """The raw sums any answer needs, in the least work a database can do: one pass, grouped by
    person, kind and teaching week, every group fetched."""
    org, term = case
    anchor = term.start - timedelta(days=term.start.weekday())
    if connection.vendor == "postgresql":
        bucket = "(date - %s::date) / 7"
    else:
        bucket = "CAST((julianday(date) - julianday(%s)) / 7 AS INTEGER)"
    sql = (
        f"SELECT person_id, kind_id, {bucket} AS bucket, COUNT(*), SUM(quantity), "
        "SUM(credits), SUM(chars) FROM records_activity "
        "WHERE org_id = %s AND status IN ('submitted', 'approved') AND complete "
        "AND date >= %s AND date <= %s GROUP BY person_id, kind_id, bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [anchor, org.pk, term.school_year.start, AT])
        return len(cursor.fetchall())


# --- the data set -------------------------------------------------------------------------------


def build(
    code: str,
    people: int,
    activities: int,
    requirements: int,
    rng: random.Random,
    say: Callable[[str], None],
) -> tuple[Org, Term]:
    with transaction.atomic():
        org = Org.objects.create(code=code, name=f"基准测试{code}")
        year = create_school_year(
            org=org, start_year=2026, first_start=TERM_START, first_end=TERM_END
        )
        term = year.terms.get(number=1)
        person_ids, mentor_of, groups = _people(org, people, rng)
        kinds = {k.code: k.pk for k in ActivityKind.objects.filter(org=None)}
        _requirements(org, requirements, kinds, groups)
    _activities(org, person_ids, mentor_of, kinds, activities, rng, say)
    return org, term


def _people(org: Org, n: int, rng: random.Random) -> tuple[list[int], dict[int, int], dict]:
    size = 10 if n <= 500 else 50  # a school's 教研组, or a district's many
    groups = Group.objects.bulk_create(
        Group(org=org, name=f"{SUBJECTS[i % len(SUBJECTS)]}组{i // len(SUBJECTS) + 1}")
        for i in range(max(1, n // size))
    )
    people = []
    for i in range(n):
        years = rng.choice([0, 1, 2, 3, 4, 5]) if rng.random() < 0.25 else rng.randint(3, 35)
        start = date(2026 - years, 9, 1) - timedelta(days=rng.randint(0, 30))
        people.append(
            Person(
                org=org,
                staff_no=f"B{i:06d}",
                name=f"教师{i}",
                birth_date=start - timedelta(days=365 * 22 + rng.randint(0, 2000)),
                teaching_start=start,
                subject=SUBJECTS[(i // size) % len(SUBJECTS)],
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    ids = [p.pk for p in people]
    members, mentorships, mentor_of = [], [], {}
    for i, p in enumerate(people):
        group = groups[min(i // size, len(groups) - 1)]
        role = "lead" if i % size == 0 else "deputy" if i % size == 1 else "member"
        members.append(Membership(person=p, group=group, role=role))
        if i % size >= size * 4 // 5:  # a fifth of each group are mentees of a senior mentor
            mentor = people[i - size * 4 // 5 + 2]
            start = TERM_START if i % 5 else date(2026, 10, 12)  # some pairs begin mid-term
            mentorships.append(Mentorship(org=org, mentor=mentor, mentee=p, start=start))
            mentor_of[p.pk] = mentor.pk
    Membership.objects.bulk_create(members, batch_size=2000)
    Mentorship.objects.bulk_create(mentorships, batch_size=2000)
    backbone, _ = Tag.objects.get_or_create(name="骨干教师")
    Person.tags.through.objects.bulk_create(
        [Person.tags.through(person_id=pid, tag_id=backbone.pk) for pid in ids[3::10]],
        batch_size=2000,
    )
    Exemption.objects.bulk_create(
        Exemption(person_id=pid, start=date(2026, 10, 8), end=date(2026, 12, 31), reason="产假")
        for pid in ids[7::200]
    )
    by_subject: dict[str, list[Group]] = {}
    for g in groups:
        by_subject.setdefault(g.name.split("组")[0], []).append(g)
    return ids, mentor_of, by_subject


def _requirements(org: Org, n: int, kinds: dict[str, int], groups: dict) -> None:
    specs = [(t, None) for t in TEMPLATES]
    i = 0
    while len(specs) < n:
        t = SUBJECT_TEMPLATES[i % len(SUBJECT_TEMPLATES)]
        subject = SUBJECTS[(i // len(SUBJECT_TEMPLATES)) % len(SUBJECTS)]
        specs.append(((subject + "组" + t[0], *t[1:]), subject))
        i += 1
    backbone = Tag.objects.get(name="骨干教师")
    for spec, subject in specs[:n]:
        name, codes, measure, comparator, threshold, period, deadline, who, chars = spec
        r = Requirement(
            org=org,
            name=name,
            measure=measure,
            comparator=comparator,
            threshold=threshold,
            period=period,
            deadline=deadline,
            item_min_chars=chars,
            teaching_years_min=who.get("ty_min"),
            teaching_years_max=who.get("ty_max"),
            age_max=who.get("age_max"),
            group_role=who.get("role", ""),
            mentorship=who.get("mentorship", ""),
        )
        r.save()
        r.kinds.set([kinds[c] for c in codes])
        if subject:
            r.groups.set(groups.get(subject, []))
        if who.get("tag"):
            r.tags.set([backbone])


_COLUMNS = (
    "org_id, person_id, kind_id, date, title, quantity, credits, text, chars, observed_id, "
    "data, complete, status, review_comment, created_at"
)


def _activities(
    org: Org,
    person_ids: list[int],
    mentor_of: dict[int, int],
    kinds: dict[str, int],
    n: int,
    rng: random.Random,
    say: Callable[[str], None],
) -> None:
    if n < 100_000:
        _fill(org, person_ids, mentor_of, kinds, n, rng, say)
        return
    with _indexes_dropped("records_activity"):
        _fill(org, person_ids, mentor_of, kinds, n, rng, say)
    say("索引已重建")


def _fill(org, person_ids, mentor_of, kinds, n, rng, say) -> None:
    codes = [k for k, _ in KIND_MIX]
    weights = [w for _, w in KIND_MIX]
    term_days = (AT - TERM_START).days + 1
    old_days = (TERM_START - HISTORY_FROM).days
    now = f"{AT.isoformat()} 08:00:00+00:00"
    chunk = 50000
    done = 0
    while done < n:
        size = min(chunk, n - done)
        rows = []
        picks = rng.choices(codes, weights, k=size)
        for code in picks:
            pid = rng.choice(person_ids)
            if rng.random() < 0.1:
                day = HISTORY_FROM + timedelta(days=rng.randrange(old_days))
            else:
                day = TERM_START + timedelta(days=rng.randrange(term_days))
            observed = None
            if code == "observation":
                mentor = mentor_of.get(pid)
                observed = mentor if mentor and rng.random() < 0.5 else rng.choice(person_ids)
            chars = rng.randint(300, 2000) if code in TEXT_KINDS else 0
            credits = rng.choice((1, 2, 4, 8)) if code == "training" else 0
            quantity = rng.choice((1, 1, 1, 2)) if code != "training" else rng.choice((2, 4, 8))
            status = (
                "returned"
                if rng.random() < 0.03
                else "approved"
                if code == "paper"
                else "submitted"
            )
            rows.append(
                (
                    org.pk,
                    pid,
                    kinds[code],
                    day,
                    "",
                    quantity,
                    credits,
                    "",
                    chars,
                    observed,
                    "{}",
                    rng.random() > 0.02,
                    status,
                    "",
                    now,
                )
            )
        _insert(rows)
        done += size
        say(f"\r生成 {org.code} 的记录 {done}/{n}", end="")
    say("")


@contextmanager
def _indexes_dropped(table: str) -> Iterator[None]:
    """Bulk loading is many times faster into a bare table; the indexes are rebuilt after, and
    the planner's statistics gathered, as a production database would have them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute("ANALYZE")


def _insert(rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY records_activity ({_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * 15)
            cursor.executemany(f"INSERT INTO records_activity ({_COLUMNS}) VALUES ({marks})", rows)


def default_say(text: str, end: str = "\n") -> None:
    sys.stderr.write(text + end)
    sys.stderr.flush()
