"""The demo hospital's own work as records and rules (#24 item 3), through the apps' services:
the 神经内科's 业务学习 (2学时 each, twice a month since January — 郑宇航 misses one every third
month) owed under 每月业务学习不少于2次, 三基三严 training and its 考核 with scores each quarter,
monthly 病例讨论 and 教学查房, 疑难病例讨论 and 应急演练, 周明远's 进修 at the 省人民医院 under
每半年选派一人进修 (owed by the 科室), two 不良事件 reports (one closed by the 医务科), and a
新技术新项目 at 开展.

Idempotent by natural key (requirement name, record kind and person and date, report title,
project title); deterministic: the records keep a fixed calendar within the 年度 (a later run adds
only the days since), the reports and the project's dates count back from ``today``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from keshi.org.models import Group, Org, Person
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity
from keshi.research import lifecycle
from keshi.research import services as research
from keshi.research.models import Kind, ResearchProject, Stage
from keshi.rules import services as rules
from keshi.rules.models import Requirement
from keshi.safety import services as safety
from keshi.safety.models import IncidentReport

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

NEURO = "神经内科"
STUDY_RULE, SENT_RULE = "每月业务学习", "每半年选派进修"
STUDY_TOPICS = ("急性缺血性脑卒中静脉溶栓规范", "帕金森病的规范化诊疗", "癫痫持续状态的急诊处理",
                "脑卒中后吞咽障碍评估", "神经内科危急值报告流程", "抗血小板治疗的个体化")  # fmt: skip
EXAM_SCORES = {"H001": "95", "H002": "93", "H003": "91", "H004": "88", "H005": "79"}
NEW_TECH = "重复经颅磁刺激治疗卒中后抑郁"


def write(w: _Writer, org: Org, today: date) -> None:
    office = get_user_model().objects.filter(username="hospital_office").first()
    neuro = Group.objects.filter(org=org, name=NEURO).first()
    if office is None or neuro is None:
        return
    people = {p.staff_no: p for p in Person.objects.filter(org=org, memberships__group=neuro)}
    _rules(w, org, neuro, office)
    _study(w, people, office, today)
    _other_work(w, people, office, today)
    _reports(w, people, office, today)
    _new_tech(w, org, people, office, today)


def _kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(org=None, code=code)


def _rules(w: _Writer, org: Org, neuro: Group, office) -> None:
    if not Requirement.objects.filter(org=org, name=STUDY_RULE).exists():
        rules.create_requirement(
            org=org, user=office, name=STUDY_RULE, kinds=[_kind("business_study")], threshold=2,
            period=Requirement.Period.MONTH, groups=[neuro], source_text="每月业务学习不少于2次。",
        )  # fmt: skip
        w.created["requirement"] += 1
    if not Requirement.objects.filter(org=org, name=SENT_RULE).exists():
        rules.create_requirement(
            org=org, user=office, name=SENT_RULE, kinds=[_kind("advanced_study")], threshold=1,
            period=Requirement.Period.HALF_YEAR, owner=Requirement.Owner.GROUP, groups=[neuro],
            source_text="每半年选派一人进修。",
        )  # fmt: skip
        w.created["requirement"] += 1


def _record(w: _Writer, today: date, person: Person, code: str, day: date, by, **values) -> None:
    """One record, unless it is after ``today`` or already there."""
    kind = _kind(code)
    if day > today or Activity.objects.filter(person=person, kind=kind, date=day).exists():
        return
    record_activity(person=person, kind=kind, by=person.user or by, on=day, **values)
    w.created["activity"] += 1


def _months(today: date) -> list[date]:
    """The first days of the months of ``today``'s 年度 up to its month. The records below keep
    a fixed calendar (the same days every year), so a later run adds only the days since."""
    return [date(today.year, month, 1) for month in range(1, today.month + 1)]


def _study(w: _Writer, people: dict[str, Person], office, today: date) -> None:
    """Twice a month (the 8th and the 22nd, those already past), 2学时 each; 郑宇航 is on
    night duty on the 22nd of every third month (one short of 每月2次 then)."""
    for m, first in enumerate(_months(today)):
        for k, day in enumerate((first.replace(day=8), first.replace(day=22))):
            topic = STUDY_TOPICS[(2 * m + k) % len(STUDY_TOPICS)]
            for no, person in sorted(people.items()):
                if no == "H005" and k == 1 and first.month % 3 == 1:  # Jan, Apr, Jul, Oct
                    continue
                _record(w, today, person, "business_study", day, office, quantity=2,
                        data={"topic": topic, "speaker": "陈建华", "place": "科室示教室"})  # fmt: skip


def _other_work(w: _Writer, people: dict[str, Person], office, today: date) -> None:
    """三基三严 training and its 考核 in the middle month of each quarter; a 病例讨论 and a
    教学查房 every month; a 疑难病例讨论 every second month; an 应急演练 at each quarter's end;
    周明远's 进修 from the start of each half-year."""
    head, doctor = people["H001"], people["H004"]
    for first in _months(today):
        if first.month % 3 == 2:
            for no, person in sorted(people.items()):
                _record(w, today, person, "sanji_training", first.replace(day=12), office,
                        quantity=2, data={"topic": "心肺复苏与电除颤", "part": "基本技能",
                                          "speaker": "林晓梅"})  # fmt: skip
                score = EXAM_SCORES.get(no, "85")
                _record(w, today, person, "sanji_exam", first.replace(day=19), office,
                        data={"score": score, "mode": "操作",
                              "passed": "合格" if Decimal(score) >= 80 else "不合格"})  # fmt: skip
        _record(w, today, doctor, "case_discussion", first.replace(day=15), office,
                data={"case": "住院号 2026xxxx08 · 后循环缺血", "host": "陈建华",
                      "attendees": 9})  # fmt: skip
        _record(w, today, people["H003"], "teaching_rounds", first.replace(day=20), office,
                data={"case": "急性脑梗死溶栓后", "lead": "周明远", "attendees": 6})  # fmt: skip
        if first.month % 2 == 0:
            _record(w, today, head, "critical_case_discussion", first.replace(day=26), office,
                    data={"category": "疑难病例", "case": "住院号 2026xxxx21 · 自身免疫性脑炎",
                          "host": "陈建华",
                          "conclusion": "完善脑脊液抗体检查，请风湿免疫科会诊。"})  # fmt: skip
        if first.month % 3 == 0:
            _record(w, today, people["H002"], "emergency_drill", first.replace(day=28), office,
                    data={"scenario": "卒中绿色通道应急演练", "place": "急诊与神经内科",
                          "attendees": 14,
                          "review": "DNT 时间 38 分钟，影像衔接需再缩短。"})  # fmt: skip
        if first.month in (1, 7):
            half = first.replace(day=2)
            _record(w, today, people["H003"], "advanced_study", half, office,
                    title="省人民医院神经介入进修",
                    data={"type": "进修", "host_org": "省人民医院", "speciality": "神经介入",
                          "end": str(half + timedelta(days=90))})  # fmt: skip


def _reports(w: _Writer, people: dict[str, Person], office, today: date) -> None:
    neuro = Group.objects.get(org=people["H004"].org, name=NEURO)
    specs = (
        ("H004", 9, "fall", "3", "患者夜间如厕时滑倒",
         "12床患者夜间自行如厕时滑倒，当班护士即刻评估，无外伤，已告知家属并上报。",
         "加设防滑垫和床旁呼叫提示，夜间加强巡视。", ""),
        ("H005", 20, "drug", "4", "医嘱剂量单位录入错误（已拦截）",
         "开具甘露醇时剂量单位误选，药师审方时发现并退回，未用于患者。",
         "已更正医嘱。", "信息科在医嘱系统中为脱水药增加剂量上限提示；科内通报，不作处罚。"),
    )  # fmt: skip
    for no, back, category, severity, title, description, measures, handling in specs:
        if IncidentReport.objects.filter(org=neuro.org, title=title).exists():
            continue
        reporter = people[no]
        report = safety.report_incident(
            reporter=reporter, by=reporter.user or office, department=neuro,
            occurred_on=today - timedelta(days=back), category=category, severity=severity,
            title=title, description=description, measures=measures,
        )  # fmt: skip
        if handling:
            safety.handle_report(report=report, by=office, status="closed", handling=handling)
            at = timezone.make_aware(datetime.combine(today - timedelta(days=back - 3), time(10)))
            IncidentReport.objects.filter(pk=report.pk).update(handled_at=at)
        w.created["incidentreport"] += 1


def _new_tech(w: _Writer, org: Org, people: dict[str, Person], office, today: date) -> None:
    """Declared, assessed, and now at 开展 with its 开展情况记录 waiting for review."""
    if ResearchProject.objects.filter(org=org, title=NEW_TECH).exists():
        return
    leader = people["H003"]
    project = research.create_project(
        org=org, kind=Kind.NEW_TECH, title=NEW_TECH, level="school", category="康复治疗",
        leader=leader, members=[people["H004"], people["H002"]], funding=Decimal(20000),
        start_date=date(today.year, 3, 1), end_date=date(today.year + 1, 2, 28),
    )  # fmt: skip
    flow = lifecycle.NEW_TECH
    comments = {lifecycle.DECLARED: "技术成熟、本院具备条件，提交评估。",
                lifecycle.ASSESSED: "伦理委员会与技术评估通过，同意开展。"}  # fmt: skip
    for name in flow.stages[:3]:
        stage = project.stages.get(stage=name)
        files = [(label, f"{label}.txt", f"{NEW_TECH}\n{label}".encode(), "text/plain")
                 for label in flow.required_documents[name]]  # fmt: skip
        research.submit_documents(stage=stage, files=files, by=leader.user or office)
        if name in comments:
            project = research.review_stage(
                stage=stage, decision="passed", comment=comments[name], by=office
            )
    passed = list(project.stages.exclude(decided_at=None).order_by("pk"))
    for k, stage in enumerate(passed):  # a month apart up to today (the run's time is not)
        day = today - timedelta(days=30 * (len(passed) - k))
        at = timezone.make_aware(datetime.combine(day, time(16)))
        Stage.objects.filter(pk=stage.pk).update(decided_at=at, submitted_at=at - timedelta(days=7))
        Activity.objects.filter(data__research_stage=stage.pk).update(date=day)
    Stage.objects.filter(project=project, decided_at=None).update(
        submitted_at=timezone.make_aware(datetime.combine(today - timedelta(days=3), time(9)))
    )
    w.created["researchproject"] += 1
