"""The demo district and its two schools as plain data. Pure: no Django.

Everything comes from one ``random.Random(SEED)`` consumed in a fixed order, so every run builds
the same people, groups, leads and mentor pairs (the teachers themselves: ``people``).
"""

import random
from dataclasses import dataclass, field
from datetime import date

from keshi.demo.names import Name, NameGenerator
from keshi.demo.people import (
    SubjectPlan,
    Teacher,
    assign_tags,
    assign_titles,
    by_seniority,
    make_teachers,
    number,
)

SEED = 20261126
YEAR_START = date(2026, 9, 1)  # 备课组 and 年级组 are assigned per school year
GRADES = ("七年级", "八年级", "九年级")

DISTRICT = ("district", "示范区教育局教科室")
MAIN = ("demo", "示范区实验中学")
SECOND = ("demo2", "示范区育才中学")


MAIN_PLANS = (
    SubjectPlan("语文", 10, new=2, prep=True, deputy=True),
    SubjectPlan("数学", 10, new=1, prep=True, deputy=True),
    SubjectPlan("英语", 9, new=1, prep=True, deputy=True),
    SubjectPlan("物理", 4, new=1, grades=(1, 2), prep=True),
    SubjectPlan("化学", 3, grades=(2,)),
    SubjectPlan("道德与法治", 4, new=1),
    SubjectPlan("历史", 3),
    SubjectPlan("地理", 3, grades=(0, 1)),
    SubjectPlan("生物", 3, grades=(0, 1)),
    SubjectPlan("体育与健康", 5, new=1),
    SubjectPlan("艺术", 4, teaches=("音乐", "美术")),
    SubjectPlan("信息科技", 2),
)
SECOND_PLANS = (
    SubjectPlan("语文", 5, new=1),
    SubjectPlan("数学", 5),
    SubjectPlan("英语", 5),
)
# 职务 held outside the 教研组, each by a senior teacher of the subject named.
MAIN_POSTS = (("副校长", "物理"), ("教务处主任", "英语"), ("德育处主任", "道德与法治"))
OFFICE_HEAD, OFFICE_CLERK = "教科室主任", "教科室干事"


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str  # Group.Kind value
    subject: str = ""
    parent: str = ""


@dataclass(frozen=True)
class MembershipSpec:
    staff_no: str
    group: str
    role: str  # Membership.Role value
    start: date


@dataclass(frozen=True)
class MentorshipSpec:
    mentor: str
    mentee: str
    start: date
    end: date


@dataclass
class SchoolSpec:
    code: str
    name: str
    teachers: list[Teacher]
    groups: list[GroupSpec] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    mentorships: list[MentorshipSpec] = field(default_factory=list)

    def teacher(self, staff_no: str) -> Teacher:
        return next(t for t in self.teachers if t.staff_no == staff_no)


@dataclass(frozen=True)
class Login:
    username: str
    role: str  # shown in the printed table
    sees: str
    name: Name | None = None  # for users who are not a Person
    org: str = ""  # the Person's org code, or the RoleGrant's org code
    staff_no: str = ""  # the Person this user logs in as
    grant: str = ""  # RoleGrant.Role value
    superuser: bool = False


@dataclass
class DemoSpec:
    district: tuple[str, str]
    schools: list[SchoolSpec]
    logins: list[Login]


def build(seed: int = SEED) -> DemoSpec:
    rng = random.Random(seed)
    names = NameGenerator(rng)
    main = _school(MAIN, MAIN_PLANS, rng, names, prefix="", big=True)
    second = _school(SECOND, SECOND_PLANS, rng, names, prefix="YC", big=False)
    return DemoSpec(DISTRICT, [main, second], _logins(main, second, rng, names))


def _school(
    org: tuple[str, str], plans, rng: random.Random, names: NameGenerator, *, prefix: str, big: bool
) -> SchoolSpec:
    teachers = make_teachers(plans, rng, names)
    if big:  # someone born on 29 February
        leap = [t for t in teachers if t.subject == "英语" and not t.new][2]
        leap.birth_date = date(1988, 2, 29)
        leap.teaching_start = leap.work_start = date(2010, 9, 1)
    number(teachers, prefix, rng)
    assign_titles(teachers, rng, top=big)
    for plan in plans:
        mine = [t for t in teachers if t.group == plan.group]
        rng.shuffle(mine)
        for i, t in enumerate(mine):
            t.grade = plan.grades[i % len(plan.grades)]
    school = SchoolSpec(org[0], org[1], teachers)
    _mentors(school)
    _roles(school, plans, rng, big=big)
    assign_tags(teachers, rng)
    return school


def _mentors(school: SchoolSpec) -> None:
    """Each 新教师 gets an experienced teacher of the same subject (青蓝工程), spreading the load."""
    load: dict[str, int] = {}
    for mentee in sorted((t for t in school.teachers if t.new), key=lambda t: t.staff_no):
        same = [t for t in school.teachers if t.subject == mentee.subject and not t.new]
        for minimum in (10, 5, 3):
            pool = [t for t in same if t.teaching_years >= minimum]
            if pool:
                break
        # 师徒同年级 where possible, so the pair can watch each other's lessons.
        mentor = min(
            pool,
            key=lambda t: (
                load.get(t.staff_no, 0),
                t.grade != mentee.grade,
                -t.teaching_years,
                t.staff_no,
            ),
        )
        load[mentor.staff_no] = load.get(mentor.staff_no, 0) + 1
        start = mentee.teaching_start
        school.mentorships.append(
            MentorshipSpec(mentor.staff_no, mentee.staff_no, start, date(start.year + 3, 8, 31))
        )


def _roles(school: SchoolSpec, plans, rng: random.Random, *, big: bool) -> None:
    teachers, groups, members = school.teachers, school.groups, school.memberships
    taken: list[str] = []  # staff numbers that already hold a 职务

    def give(t: Teacher, position: str) -> Teacher:
        t.position = position
        taken.append(t.staff_no)
        return t

    def senior(pool, *, new_ok: bool = False) -> Teacher:
        free = [t for t in pool if t.staff_no not in taken and (new_ok or not t.new)]
        return by_seniority(free)[0]

    for plan in plans:
        mine = [t for t in teachers if t.group == plan.group]
        groups.append(GroupSpec(plan.group, "subject", subject=plan.subject))
        lead = give(senior(mine), "教研组长")
        deputy = give(senior(mine), "教研组副组长") if plan.deputy else None
        for t in mine:
            role = "lead" if t is lead else "deputy" if t is deputy else "member"
            members.append(MembershipSpec(t.staff_no, plan.group, role, t.teaching_start))
    if not big:
        return
    for post, subject in MAIN_POSTS:
        give(senior([t for t in teachers if t.group == f"{subject}教研组"]), post)
    head = give(senior([t for t in teachers if t.group == "数学教研组"]), OFFICE_HEAD)
    clerk = sorted(
        (t for t in teachers if t.group == "历史教研组" and t.staff_no not in taken),
        key=lambda t: (t.teaching_years, t.staff_no),
    )[0]
    give(clerk, OFFICE_CLERK)
    groups.append(GroupSpec("教科室", "department"))
    members.append(MembershipSpec(head.staff_no, "教科室", "lead", head.teaching_start))
    members.append(MembershipSpec(clerk.staff_no, "教科室", "member", clerk.teaching_start))
    for plan in (p for p in plans if p.prep):
        for g in plan.grades:
            name = f"{GRADES[g]}{plan.subject}备课组"
            groups.append(GroupSpec(name, "prep", subject=plan.subject, parent=plan.group))
            mine = [t for t in teachers if t.group == plan.group and t.grade == g]
            free = [t for t in mine if t.staff_no not in taken and not t.new]
            lead = give(senior(mine), "备课组长") if free else by_seniority(mine)[0]
            for t in mine:
                role = "lead" if t is lead else "member"
                members.append(MembershipSpec(t.staff_no, name, role, YEAR_START))
    for g, grade in enumerate(GRADES):
        name = f"{grade}组"
        groups.append(GroupSpec(name, "grade"))
        mine = sorted((t for t in teachers if t.grade == g), key=lambda t: t.staff_no)
        pool = [t for t in mine if t.staff_no not in taken and t.teaching_years >= 10]
        head = give(rng.choice(pool), "年级主任")
        for t in mine:
            role = "lead" if t is head else "member"
            members.append(MembershipSpec(t.staff_no, name, role, YEAR_START))
        pool = [t for t in mine if t.staff_no not in taken and not t.new]
        for t in rng.sample(pool, min(6, len(pool))):  # six classes a grade
            give(t, "班主任")


def _logins(
    main: SchoolSpec, second: SchoolSpec, rng: random.Random, names: NameGenerator
) -> list[Login]:
    def find(school: SchoolSpec, **match) -> Teacher:
        return next(
            t
            for t in sorted(school.teachers, key=lambda t: t.staff_no)
            if all(getattr(t, k) == v for k, v in match.items())
        )

    office = find(main, position=OFFICE_HEAD)
    lead = find(main, group="语文教研组", position="教研组长")
    mentees = {m.mentee for m in main.mentorships}
    teacher = next(
        t for t in sorted(main.teachers, key=lambda t: t.staff_no)
        if t.subject == "语文" and t.staff_no in mentees
    )  # fmt: skip
    teacher2 = find(second, group="数学教研组", position="")
    principal = names.take("M" if rng.random() < 0.5 else "F")
    district = names.take("M" if rng.random() < 0.5 else "F")
    school, other = main.name, second.name
    return [
        Login("admin", "系统管理员", "全部单位和数据，含后台管理", Name("", "系统管理员"),
              superuser=True),
        Login("office", f"教科室主任 {office.name.full}（科室管理员）",
              f"{school}的全部数据，可管理", org=main.code, staff_no=office.staff_no,
              grant="office"),
        Login("leader", f"校长 {principal.full}（只读）", f"{school}的全部数据，只读",
              principal, org=main.code, grant="leader"),
        Login("lead", f"语文教研组长 {lead.name.full}", "本人及语文教研组（含备课组）成员的数据",
              org=main.code, staff_no=lead.staff_no),
        Login("teacher", f"语文新教师 {teacher.name.full}", "本人的数据（有师傅）",
              org=main.code, staff_no=teacher.staff_no),
        Login("district", f"区教科室 {district.full}", f"{school}、{other}的全部数据，只读",
              district, org=DISTRICT[0], grant="district"),
        Login("teacher2", f"{other}数学教师 {teacher2.name.full}", "本人的数据",
              org=second.code, staff_no=teacher2.staff_no),
    ]  # fmt: skip
