"""A term of work records for a demo school, as plain data. Pure: no Django.

Each teacher gets a habit — most are steady, about a quarter slow, one rarely records anything,
one is very diligent, and the ``teacher`` login records the week's observations on Fridays and is
short of training credits, so their 我的任务 page has something behind. One teacher goes on
maternity leave mid-term (an exemption).

The whole term is planned from seeded ``random.Random`` streams that do not depend on the day
of the run; only the records dated up to ``Frame.until`` are returned. Every record has a stable
``key``, so a later run adds the days since and a run on the same day adds nothing. Review
states (论文: 已提交 → 已通过 / 已退回) do depend on the day: a paper is reviewed one to three weeks
after it is handed in.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from keshi.calendar import periods as P
from keshi.calendar.ages import full_years
from keshi.demo import texts
from keshi.demo.people import Teacher
from keshi.demo.school import SEED, SchoolSpec

REVIEW_LAG = (5, 21)  # days from handing in to review


@dataclass(frozen=True)
class Frame:
    """The term being filled: its key (``2026-1``), dates, working days and the last day."""

    key: str
    start: date
    end: date
    until: date
    workdays: frozenset[date]

    def working(self, start: date, end: date) -> list[date]:
        n = (end - start).days + 1
        return [d for d in (start + timedelta(days=i) for i in range(n)) if d in self.workdays]


@dataclass(frozen=True)
class Habit:
    name: str  # steady | slow | rare | diligent | uneven
    reliability: float  # chance of doing a weekly / monthly task in time
    pace: float  # share of a term quota done, at an even rate
    report_missing: float  # chance that a training's report is never handed in
    fridays: bool = False  # records the week's observations on Friday


HABITS = {
    "steady": Habit("steady", 0.93, 1.0, 0.08),
    "slow": Habit("slow", 0.72, 0.7, 0.25),
    "rare": Habit("rare", 0.12, 0.2, 0.7),
    "diligent": Habit("diligent", 1.0, 1.6, 0.0),
    "uneven": Habit("uneven", 0.8, 0.5, 0.3, fridays=True),
}


@dataclass(frozen=True)
class Leave:
    staff_no: str
    start: date
    end: date
    reason: str = "产假"


@dataclass
class RecordSpec:
    key: str
    staff_no: str
    kind: str
    date: date
    title: str = ""
    quantity: Decimal = Decimal(1)
    credits: Decimal = Decimal(0)
    text: str = ""
    observed: str = ""  # staff_no
    data: dict = field(default_factory=dict)
    status: str = "submitted"
    review_comment: str = ""
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class Program:
    """Which records a school's requirements (``keshi.demo.requirements``) call for."""

    term_observations: bool = False  # 15 / 8 / 组长 50 / 135教师 40 a term
    weekly_observations: int = 0
    mentoring: bool = False  # 徒弟 4 a week, 师傅 1 a fortnight
    blog_age_max: int | None = None
    group_activities: bool = False
    monthly_reflection: bool = False
    weekly_reflection_tag: str = ""
    training: bool = False
    leave: bool = False


PROGRAMS = {
    "demo": Program(
        term_observations=True,
        mentoring=True,
        blog_age_max=40,
        group_activities=True,
        monthly_reflection=True,
        training=True,
        leave=True,
    ),
    "demo2": Program(weekly_observations=2, weekly_reflection_tag="青年教师"),
}


@dataclass
class Plan:
    records: list[RecordSpec]
    habits: dict[str, Habit]
    leave: Leave | None


def generate(
    school: SchoolSpec,
    frame: Frame,
    *,
    uneven: str = "",
    steady: tuple[str, ...] = (),
    review_kinds: frozenset[str] = frozenset({"paper"}),
) -> Plan:
    """The records of ``school`` in ``frame``. ``uneven`` is the staff number given the
    ``uneven`` habit, ``steady`` those kept steady (the other logins)."""
    program = PROGRAMS.get(school.code, Program())
    habits, leave = _habits(school, frame, program, uneven=uneven, steady=steady)
    w = _Writer(school, frame, habits)
    for t in sorted(school.teachers, key=lambda t: t.staff_no):
        w.teacher(t, program)
    records = [r for r in w.records if r.date <= frame.until and not _on_leave(r, leave)]
    for r in records:
        if r.kind in review_kinds:
            _review(r, frame.until)
    return Plan(records, habits, leave)


def _on_leave(r: RecordSpec, leave: Leave | None) -> bool:
    return leave is not None and r.staff_no == leave.staff_no and leave.start <= r.date


def _review(r: RecordSpec, until: date) -> None:
    """Reviewed one to three weeks after it came in; about one in seven returned."""
    rng = random.Random(f"{SEED}:{r.key}:review")
    day = r.date + timedelta(days=rng.randint(*REVIEW_LAG))
    if day > until:
        return
    r.reviewed_at = datetime.combine(day, time(16, 30))
    if rng.random() < 0.15:
        r.status, r.review_comment = "returned", rng.choice(texts.RETURN_COMMENTS)
    else:
        r.status = "approved"


def _habits(
    school: SchoolSpec, frame: Frame, program: Program, *, uneven: str, steady: tuple[str, ...]
) -> tuple[dict[str, Habit], Leave | None]:
    rng = random.Random(f"{SEED}:{frame.key}:{school.code}:habits")
    people = sorted(school.teachers, key=lambda t: t.staff_no)
    paired = {m.mentor for m in school.mentorships} | {m.mentee for m in school.mentorships}
    leads = {m.staff_no for m in school.memberships if m.role == "lead"}
    special = {uneven, *steady}
    free = [t for t in people if t.staff_no not in special | paired | leads]
    rare, diligent = rng.sample(free, 2)
    leave = None
    if program.leave:
        pool = [
            t for t in free if t not in (rare, diligent) and t.gender == "F" and 26 <= t.age <= 36
        ]
        who = rng.choice(pool)
        start = P.monday_of(frame.start) + timedelta(weeks=7)
        leave = Leave(who.staff_no, start, frame.end)
    habits: dict[str, Habit] = {}
    for t in people:
        if t.staff_no == uneven:
            habits[t.staff_no] = HABITS["uneven"]
        elif t is rare:
            habits[t.staff_no] = HABITS["rare"]
        elif t is diligent:
            habits[t.staff_no] = HABITS["diligent"]
        elif t.staff_no not in special and rng.random() < 0.25:
            habits[t.staff_no] = replace(HABITS["slow"], pace=rng.uniform(0.55, 0.85))
        else:
            habits[t.staff_no] = replace(HABITS["steady"], pace=rng.uniform(1.0, 1.25))
    return habits, leave


class _Writer:
    def __init__(self, school: SchoolSpec, frame: Frame, habits: dict[str, Habit]) -> None:
        self.school, self.frame, self.habits = school, frame, habits
        self.records: list[RecordSpec] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.by_group: dict[str, list[Teacher]] = {}
        for t in sorted(school.teachers, key=lambda t: t.staff_no):
            self.by_group.setdefault(t.group, []).append(t)
        subject_groups = {g.name for g in school.groups if g.kind == "subject"}
        self.leads = {
            m.staff_no for m in school.memberships
            if m.role == "lead" and m.group in subject_groups
        }  # fmt: skip
        self.mentors = {m.mentee: m.mentor for m in school.mentorships}
        self.mentees: dict[str, list[str]] = {}
        for m in sorted(school.mentorships, key=lambda m: m.mentee):
            self.mentees.setdefault(m.mentor, []).append(m.mentee)

    def rng(self, t: Teacher, stream: str) -> random.Random:
        return random.Random(f"{SEED}:{self.frame.key}:{t.staff_no}:{stream}")

    def add(self, t: Teacher, stream: str, kind: str, day: date, **values) -> None:
        n = self.counts.get((t.staff_no, stream), 0)
        self.counts[(t.staff_no, stream)] = n + 1
        key = f"{self.frame.key}:{t.staff_no}:{stream}:{n}"
        self.records.append(RecordSpec(key, t.staff_no, kind, day, **values))

    def periods(self, kind: str, *, weekday: int | None = None) -> list[P.Deadline]:
        f = self.frame
        return P.deadlines(
            kind,
            (f.start, f.end),
            weekday=weekday,
            is_workday=(lambda d: d in f.workdays) if weekday is not None else None,
            anchor=f.start,
        )

    def teacher(self, t: Teacher, program: Program) -> None:
        habit = self.habits[t.staff_no]
        if program.term_observations:
            self.term_observations(t, habit)
        if program.weekly_observations:
            self.weekly(
                t, habit, "observe", program.weekly_observations, self.colleague_observation
            )
        if program.mentoring and t.staff_no in self.mentors:
            mentor = self.school.teacher(self.mentors[t.staff_no])
            self.weekly(t, habit, "mentor", 4, self.observation_of(mentor))
        if program.mentoring:
            for staff_no in self.mentees.get(t.staff_no, []):
                mentee = self.school.teacher(staff_no)
                self.weekly(
                    t, habit, f"mentee{staff_no}", 1, self.observation_of(mentee), "two_weeks"
                )
        if program.blog_age_max is not None and full_years(t.birth_date, self.frame.start) <= (
            program.blog_age_max
        ):
            self.weekly(t, habit, "blog", 1, self.blog)
        if program.group_activities and t.staff_no in self.leads:
            self.weekly(t, habit, "group", 1, self.group_activity)
        if program.monthly_reflection:
            self.reflections(t, habit)
        if program.weekly_reflection_tag in t.tags:
            self.weekly(t, habit, "reflection", 1, self.reflection)
        self.paper(t, habit)
        if program.training:
            self.training(t, habit)

    # -- observations ------------------------------------------------------------------------

    def quota(self, t: Teacher) -> int:
        if t.staff_no in self.mentors:
            return 3  # the mentor's lessons count too
        if t.staff_no in self.leads:
            return 50
        if "135教师" in t.tags:
            return 40
        return 15 if full_years(t.teaching_start, self.frame.start) <= 2 else 8

    def term_observations(self, t: Teacher, habit: Habit) -> None:
        rng = self.rng(t, "observe")
        days = self.frame.working(self.frame.start, self.frame.end)
        n = math.ceil(self.quota(t) * habit.pace * rng.uniform(1.0, 1.12))
        for i in range(n):
            day = days[min(int((i + rng.random()) * len(days) / n), len(days) - 1)]
            self.colleague_observation(t, "observe", day, rng)

    def colleague_observation(self, t: Teacher, stream: str, day: date, rng) -> None:
        others = [
            o for o in self.by_group[t.group] if o is not t and o.staff_no != self.mentors.get(t.staff_no)
        ]  # fmt: skip
        self.observe(t, rng.choice(others), stream, day, rng)

    def observation_of(self, observed: Teacher):
        def record(t: Teacher, stream: str, day: date, rng) -> None:
            self.observe(t, observed, stream, day, rng)

        return record

    def observe(self, t: Teacher, o: Teacher, stream: str, day: date, rng) -> None:
        lesson = texts.topic(rng, o.subject)
        data = {
            "class_name": texts.klass(rng, o.grade),
            "subject": o.subject,
            "topic": lesson,
            "lesson_no": rng.randint(1, 7),
            "comments": rng.choice(texts.OBSERVATION_COMMENTS),
        }
        qty = Decimal(2) if rng.random() < 0.05 else Decimal(1)  # 连堂
        self.add(t, stream, "observation", day, title=lesson, observed=o.staff_no,
                 quantity=qty, data=data)  # fmt: skip

    # -- weekly and fortnightly tasks --------------------------------------------------------

    def weekly(self, t: Teacher, habit: Habit, stream: str, target: int, make, kind="week"):
        rng = self.rng(t, stream)
        for d in self.periods(kind):
            days = self.frame.working(d.period.start, d.due)
            if rng.random() < habit.reliability:
                k = target + (rng.random() < 0.15)
            else:
                k = rng.randrange(target)
            if not days:
                continue
            for _ in range(k):
                day = days[-1] if habit.fridays and stream == "mentor" else rng.choice(days)
                make(t, stream, day, rng)

    def blog(self, t: Teacher, stream: str, day: date, rng) -> None:
        lesson = texts.topic(rng, t.subject)
        title = rng.choice(texts.BLOG_TITLES).format(topic=lesson, subject=t.subject)
        link = f"https://blog.example.com/{t.staff_no}/{day:%Y%m%d}"
        self.add(t, stream, "blog", day, title=title, data={"link": link})

    def group_activity(self, t: Teacher, stream: str, day: date, rng) -> None:
        lesson = texts.topic(rng, t.subject)
        title = rng.choice(texts.GROUP_ACTIVITIES).format(topic=lesson)
        data = {"place": f"{t.group}办公室", "host": t.name.full}
        self.add(t, stream, "group_activity", day, title=title, data=data)

    # -- writing -----------------------------------------------------------------------------

    def reflection(self, t: Teacher, stream: str, day: date, rng, *, short: bool | None = None):
        if short is None:  # now and then one falls short of 800 字 without noticing
            short = rng.random() < 0.06
        target = rng.randint(420, 760) if short else rng.randint(830, 1050)
        title, text = texts.reflection(
            rng,
            subject=t.subject,
            lesson=texts.topic(rng, t.subject),
            where=texts.klass(rng, t.grade),
            target=target,
            short=short,
        )
        self.add(t, stream, "reflection", day, title=title, text=text)

    def reflections(self, t: Teacher, habit: Habit) -> None:
        """每月一篇，800字以上，每月最后一周星期五前: some write one too short, some none."""
        rng = self.rng(t, "reflection")
        for d in self.periods("month", weekday=P.FRIDAY):
            span = (d.due - d.period.start).days + 1
            on = [d.period.start + timedelta(days=rng.randrange(span)) for _ in range(2)]
            if rng.random() < habit.reliability:
                self.reflection(t, "reflection", on[0], rng)
                if habit.name == "diligent":
                    self.reflection(t, "reflection", on[1], rng, short=False)
            elif rng.random() < 0.7:
                self.reflection(t, "reflection", on[0], rng, short=True)

    def paper(self, t: Teacher, habit: Habit) -> None:
        rng = self.rng(t, "paper")
        if rng.random() >= min(habit.reliability * habit.pace + 0.1, 1.0):
            return
        first, last = self.frame.start + timedelta(days=21), self.frame.end - timedelta(days=5)
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        title, text, data = texts.paper(rng, t.subject)
        self.add(t, "paper", "paper", day, title=title, text=text, data=data)

    def training(self, t: Teacher, habit: Habit) -> None:
        """校本研修 on the first Friday of each month (2 学分), and the teacher's own courses —
        about one a month at an even pace; a training without its report is incomplete."""
        rng = self.rng(t, "training")
        for d in self.periods("month"):
            fridays = [x for x in self.frame.working(d.period.start, d.due) if x.weekday() == 4]
            if fridays and rng.random() < habit.reliability:
                title = rng.choice(texts.SCHOOL_TRAININGS)
                self.train(t, habit, fridays[0], title, "本校教科室", "校级", 2, rng)
        days = self.frame.working(self.frame.start, self.frame.end)
        months = len(days) / 21
        n = round(months * 1.15 * habit.pace * rng.uniform(0.9, 1.1))
        for i in range(n):
            day = days[min(int((i + rng.random()) * len(days) / n), len(days) - 1)]
            organiser, level, title = rng.choice(texts.OUTSIDE_TRAININGS)
            self.train(t, habit, day, title, organiser, level, rng.choice((4, 5, 6, 8)), rng)

    def train(self, t, habit, day, title, organiser, level, credits, rng) -> None:
        data = {"organiser": organiser, "level": level, "certificate": ""}
        if rng.random() >= habit.report_missing:
            data["report"] = rng.choice(texts.TRAINING_REPORTS)
        self.add(t, "training", "training", day, title=title, quantity=Decimal(credits),
                 credits=Decimal(credits), data=data)  # fmt: skip
