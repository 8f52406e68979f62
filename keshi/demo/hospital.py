"""The demo hospital: 示范区人民医院 with its 神经内科, the department's plan (its targets read by
the plan extractor and turned into indicators) and monthly figures for this year so far and
the two years before (growth targets need last year's months).

Deterministic: every figure comes from ``random.Random`` seeded with a string naming the
indicator and the month, so a month's figure does not depend on the day the demo is loaded.
Idempotent like the rest of the demo: rows are found by natural key and created when missing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from keshi.calendar import services as calendar_services
from keshi.calendar.models import SchoolYear
from keshi.demo import hospital_records
from keshi.demo import school as spec
from keshi.indicators import measure
from keshi.indicators.models import Actual, Indicator
from keshi.indicators.services import indicator_from_target
from keshi.org.models import Group, Membership, Org, Person
from keshi.plans.extraction import extract, read_bytes
from keshi.plans.models import Plan, PlanSection, Suggestion

CODE, NAME = "hospital", "示范区人民医院"
NEURO, MEDICAL = "神经内科", "医务科"
SEED = "keshi-demo-hospital"
BEDS = 42
VISITS_BASE_YEAR = 2020
# 工号, 姓名, 性别, 出生, 职称, 职务, 科室, 角色
STAFF = (
    ("H001", "陈建华", "M", date(1975, 4, 12), "主任医师", "科主任", NEURO, "lead"),
    ("H002", "林晓梅", "F", date(1982, 9, 3), "主任护师", "护士长", NEURO, "deputy"),
    ("H003", "周明远", "M", date(1986, 1, 21), "副主任医师", "", NEURO, "member"),
    ("H004", "吴静", "F", date(1990, 7, 8), "主治医师", "", NEURO, "member"),
    ("H005", "郑宇航", "M", date(1994, 11, 30), "住院医师", "", NEURO, "member"),
    ("H006", "孙丽华", "F", date(1979, 5, 16), "副主任医师", "医务科科长", MEDICAL, "lead"),
    ("H007", "何志刚", "M", date(1988, 3, 2), "主治医师", "医务科干事", MEDICAL, "member"),
)
LOGINS = (
    spec.Login("neuro", "神经内科主任 陈建华", "神经内科的指标（可填报）及本人数据",
               org=CODE, staff_no="H001"),
    spec.Login("hospital_office", "医务科科长 孙丽华（医院管理员）", f"{NAME}的全部数据，可管理",
               org=CODE, staff_no="H006", grant="office"),
    spec.Login("doctor", "神经内科主治医师 吴静", "本人的任务、记录与档案", org=CODE, staff_no="H004"),
)  # fmt: skip


def plan_text(year: int) -> str:
    return f"""{NAME}{NEURO}{year}年工作计划
一、指导思想
坚持以病人为中心，以提高医疗质量、保障医疗安全为主线，深化卒中中心建设，推进科室精细化管理。
二、工作目标
1. 床位使用率达到85%以上，平均住院日不超过9天。
2. 患者满意度不低于90%，门诊人次较上年增长20%。
3. 抗菌药物使用率控制在40%以下。
三、主要工作
1. 落实三级查房和疑难病例讨论制度，每周开展一次科室业务学习。
2. 加强卒中绿色通道建设，规范溶栓流程，缩短患者入院等待时间。
3. 每月召开一次医疗质量与安全分析会，对各项指标进行通报和整改。
"""


SECTION_KINDS = (
    ("一、指导思想", "guiding"),
    ("二、工作目标", "goals"),
    ("三、主要工作", "measures"),
)


def _sections(text: str) -> list[tuple[str, str, str]]:
    """(title, kind, body) of the plan text's three sections."""
    lines = text.strip().splitlines()[1:]
    found, current = [], None
    for line in lines:
        kind = dict(SECTION_KINDS).get(line.strip())
        if kind:
            current = [line.strip(), kind, []]
            found.append(current)
        elif current:
            current[2].append(line)
    return [(t, k, "\n".join(body)) for t, k, body in found]


def write(w, district: Org, logins: list, today: date) -> None:
    """Called by ``load_demo`` after the schools; appends the hospital's logins to ``logins``."""
    from keshi.demo.services import _write_logins

    org, _ = w.ensure(Org, {"code": CODE}, {"name": NAME, "kind": Org.Kind.HOSPITAL,
                                           "parent": district})  # fmt: skip
    groups = {
        name: w.ensure(Group, {"org": org, "name": name}, {"kind": Group.Kind.DEPARTMENT})[0]
        for name in (NEURO, MEDICAL)
    }
    for i, (no, name, gender, born, title, position, group, role) in enumerate(STAFF):
        person, _ = w.ensure(
            Person,
            {"org": org, "staff_no": no},
            {"name": name, "gender": gender, "birth_date": born, "title": title,
             "position": position, "phone": f"1390571{i:04d}", "work_start": date(born.year + 24, 8, 1), "active": True},
        )  # fmt: skip
        w.ensure(Membership, {"person": person, "group": groups[group]},
                 {"role": role, "start": date(2015, 1, 1), "end": None})  # fmt: skip
    logins.extend(LOGINS)
    _write_logins(w, list(LOGINS), {CODE: org})
    year = today.year
    school_year = _school_year(w, org, today)
    plan = _plan(w, org, groups[NEURO], school_year, year)
    indicators = _indicators(w, plan, groups[NEURO])
    _figures(w, indicators, today)
    hospital_records.write(w, org, today)  # its own work as records and rules (#24 item 3)


def _school_year(w, org: Org, today: date) -> SchoolYear:
    """The hospital's 年度: the calendar year of ``today``, one term covering it."""
    found = SchoolYear.objects.filter(org=org, start_year=today.year).first()
    if found is None:
        found = calendar_services.create_calendar_year(org=org, year=today.year)
        w.created["schoolyear"] += 1
        w.created["term"] += 1
    return found


def _plan(w, org: Org, group: Group, school_year: SchoolYear, year: int) -> Plan:
    text = plan_text(year)
    title = text.splitlines()[0]
    plan, created = w.ensure(
        Plan,
        {"org": org, "title": title},
        {"group": group, "school_year": school_year, "status": Plan.Status.PUBLISHED},
    )
    for position, (section_title, kind, body) in enumerate(_sections(text)):
        w.ensure(PlanSection, {"plan": plan, "title": section_title},
                 {"kind": kind, "body": body, "position": position})  # fmt: skip
    if created:
        targets = extract(read_bytes(text.encode(), "plan.txt")).targets
        for position, target in enumerate(targets):
            data = target.to_dict()
            w.ensure(Suggestion, {"plan": plan, "position": position},
                     {"kind": Suggestion.Kind.TARGET, "source": data["source"], "data": data})  # fmt: skip
    return plan


def _indicators(w, plan: Plan, group: Group) -> dict[str, Indicator]:
    pending = plan.suggestions.filter(
        kind=Suggestion.Kind.TARGET, status=Suggestion.Status.PENDING
    ).order_by("position")
    created = []
    for suggestion in pending:
        created.append(indicator_from_target(suggestion, group=group, by=None).pk)
        w.created["indicator"] += 1
    found = {i.name: i for i in Indicator.objects.filter(group=group)}
    labels = {
        "床位使用率": ("实际占用总床日数", "实际开放总床日数"),
        "患者满意度": ("满意人数", "调查人数"),
        "抗菌药物使用率": ("使用抗菌药物出院人数", "出院人数"),
    }
    for name, (num, den) in labels.items():
        values = {"numerator_label": num, "denominator_label": den}
        if name in found and found[name].pk in created:  # new: not an update of the demo
            Indicator.objects.filter(pk=found[name].pk).update(**values)
        elif name in found and w.reset:
            w._restore(found[name], values)
    return found


def _months(today: date) -> list[tuple[int, int]]:
    """Every month from January two years back to the last month that has ended."""
    months, y, m = [], today.year - 2, 1
    while (y, m) < (today.year, today.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _figure(name: str, y: int, m: int, misses: set[tuple[int, int]]) -> dict:
    rng = random.Random(f"{SEED}:{name}:{y}-{m:02d}")
    days = (date(y + (m == 12), m % 12 + 1, 1) - date(y, m, 1)).days
    missed = (y, m) in misses
    if name == "床位使用率":
        den = BEDS * days
        share = rng.uniform(0.78, 0.84) if missed else rng.uniform(0.86, 0.96)
        return {"numerator": Decimal(round(den * share)), "denominator": Decimal(den)}
    if name == "平均住院日":
        value = rng.uniform(9.2, 9.8) if missed else rng.uniform(7.6, 8.9)
        return {"value": Decimal(str(round(value, 1)))}
    if name == "患者满意度":
        den = rng.randint(180, 240)
        share = rng.uniform(0.85, 0.89) if missed else rng.uniform(0.91, 0.98)
        return {"numerator": Decimal(round(den * share)), "denominator": Decimal(den)}
    if name == "门诊人次":
        return {"value": Decimal(round(_visits(y, m, misses)))}
    den = rng.randint(150, 210)  # 抗菌药物使用率
    share = rng.uniform(0.41, 0.44) if missed else rng.uniform(0.33, 0.39)
    return {"numerator": Decimal(round(den * share)), "denominator": Decimal(den)}


def _visits(y: int, m: int, misses: set) -> float:
    """门诊人次: a seasonal base in 2020, then each year the same month × its growth."""
    rng = random.Random(f"{SEED}:门诊人次:{y}-{m:02d}")
    if y <= VISITS_BASE_YEAR:
        return (600 + 50 * ((m * 7) % 5)) * rng.uniform(0.97, 1.03)
    growth = rng.uniform(1.08, 1.15) if (y, m) in misses else rng.uniform(1.22, 1.3)
    return _visits(y - 1, m, misses) * growth


def _figures(w, indicators: dict[str, Indicator], today: date) -> None:
    months = _months(today)
    year = today.year
    # Scattered misses this year, and 平均住院日 missed in the last two months (an alert).
    misses = {
        "床位使用率": {(year, 2)},
        "患者满意度": {(year, 4)},
        "门诊人次": {(year, 3), (year, 7)},
        "抗菌药物使用率": {(year, 6)},
        "平均住院日": set(months[-2:]) | {(year - 1, 8)},
    }
    late = {(year, 5), (year, 8)}  # entered after the 10th of the next month
    missing = ("抗菌药物使用率", (year, 3))  # never reported
    rows = []
    tz = timezone.get_current_timezone()
    for name, indicator in sorted(indicators.items()):
        for y, m in months:
            if (name, (y, m)) == missing:
                continue
            figures = _figure(name, y, m, misses.get(name, set()))
            due = measure.due_date(y, m, 5 if (y, m) not in late else 14)
            rows.append(
                {
                    "indicator_id": indicator.pk,
                    "year": y,
                    "month": m,
                    "value": figures.get("value"),
                    "numerator": figures.get("numerator"),
                    "denominator": figures.get("denominator"),
                    "entered_at": timezone.make_aware(datetime.combine(due, time(9, 0)), tz),
                }
            )
    w.sync(
        Actual.objects.filter(indicator__in=[i.pk for i in indicators.values()]),
        ("indicator_id", "year", "month"),
        rows,
    )
