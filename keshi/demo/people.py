"""The teachers of a demo school: names, dates, 工号, phones, 职称 and tags. Pure: no Django.

Ages, 教龄, titles and tags are those on ``REFERENCE`` (the day the demo was written): they are
data, fixed like the names, not recomputed from the clock.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from keshi.calendar.ages import full_years
from keshi.demo.names import Name, NameGenerator

REFERENCE = date(2026, 11, 26)
TITLES = ("二级教师", "一级教师", "高级教师", "正高级教师")
CORE_SUBJECTS = ("语文", "数学", "英语")


@dataclass(frozen=True)
class SubjectPlan:
    subject: str
    count: int
    new: int = 0  # 新教师 among them; each gets a mentor
    grades: tuple[int, ...] = (0, 1, 2)
    prep: bool = False  # one 备课组 per grade
    deputy: bool = False  # the 教研组 has a 副组长
    teaches: tuple[str, ...] = ()  # the teachers' own subjects, when not ``subject``

    @property
    def group(self) -> str:
        return f"{self.subject}教研组"


@dataclass
class Teacher:
    staff_no: str
    name: Name
    gender: str
    birth_date: date
    work_start: date
    teaching_start: date
    subject: str
    group: str
    new: bool
    grade: int | None = None
    title: str = ""
    position: str = ""
    phone: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def teaching_years(self) -> int:
        return full_years(self.teaching_start, REFERENCE)

    @property
    def age(self) -> int:
        return full_years(self.birth_date, REFERENCE)

    def seniority(self) -> tuple:
        return (TITLES.index(self.title), self.teaching_years, self.staff_no)


def make_teachers(plans, rng: random.Random, names: NameGenerator) -> list[Teacher]:
    teachers, new_count = [], 0
    for plan in plans:
        for i in range(plan.count):
            subject = plan.teaches[i % len(plan.teaches)] if plan.teaches else plan.subject
            female = 0.35 if plan.subject == "体育与健康" else 0.7
            gender = "F" if rng.random() < female else "M"
            new = i < plan.new
            if new:  # 教龄 0, 1 or 2 on REFERENCE, straight from university
                start_year = REFERENCE.year - new_count % 3
                new_count += 1
                birth_year = start_year - (26 if rng.random() < 0.3 else 23)
                birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(243))
                work_start = teaching_start = date(start_year, 9, 1)
            else:
                birth_year = REFERENCE.year - rng.randint(28, 58)
                birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
                start_year = birth.year + rng.choices((22, 23, 25), (6, 1, 3))[0]
                start_year = min(start_year + (birth.month >= 9), REFERENCE.year - 4)
                teaching_start = date(start_year, 9, 1)
                work_start = teaching_start
                if rng.random() < 0.1:  # worked elsewhere before teaching
                    work_start = date(start_year - rng.randint(1, 3), 7, 1)
            teachers.append(
                Teacher(
                    staff_no="",
                    name=names.take(gender),
                    gender=gender,
                    birth_date=birth,
                    work_start=work_start,
                    teaching_start=teaching_start,
                    subject=subject,
                    group=plan.group,
                    new=new,
                )
            )
    return teachers


def number(teachers: list[Teacher], prefix: str, rng: random.Random) -> None:
    """工号 = prefix + year joined + sequence; 手机号 138xxxxxxxx, all distinct."""
    seq: dict[int, int] = {}
    for t in sorted(teachers, key=lambda t: (t.teaching_start, t.birth_date, t.name.full)):
        year = t.teaching_start.year
        seq[year] = seq.get(year, 0) + 1
        t.staff_no = f"{prefix}{year}{seq[year]:03d}"
    phones: list[str] = []
    for t in teachers:
        while (phone := f"138{rng.randrange(10**8):08d}") in phones:
            pass
        phones.append(phone)
        t.phone = phone


def assign_titles(teachers: list[Teacher], rng: random.Random, *, top: bool) -> None:
    for t in teachers:
        years, r = t.teaching_years, rng.random()
        if years < 5:
            t.title = TITLES[0]
        elif years < 10:
            t.title = TITLES[1] if r < 0.7 else TITLES[0]
        elif years < 20:
            t.title = TITLES[2] if r < 0.35 else TITLES[1]
        else:
            t.title = TITLES[2] if r < 0.75 else TITLES[1]
    if top:  # one 正高级教师: the longest-serving core-subject teacher
        core = [t for t in teachers if t.subject in CORE_SUBJECTS]
        max(core, key=lambda t: (t.teaching_years, t.staff_no)).title = TITLES[3]


def by_seniority(teachers) -> list[Teacher]:
    return sorted(teachers, key=Teacher.seniority, reverse=True)


def assign_tags(teachers: list[Teacher], rng: random.Random) -> None:
    n = len(teachers)
    ordered = sorted(teachers, key=lambda t: t.staff_no)

    def pick(tag: str, count: int, ok) -> None:
        pool = [t for t in ordered if ok(t)]
        for t in rng.sample(pool, max(0, min(count, len(pool)))):
            t.tags.append(tag)

    for t in ordered:
        if t.title == TITLES[3]:
            t.tags += ["学科带头人", "市级骨干教师"]
    senior_titles = TITLES[1:]
    backbone = ("市级骨干教师", "区级骨干教师")
    pick("学科带头人", n // 20 - 1, lambda t: t.title == TITLES[2] and t.teaching_years >= 15)
    pick("市级骨干教师", n // 20 - 1, lambda t: t.title in senior_titles and not t.tags)
    pick(
        "区级骨干教师",
        n // 8,
        lambda t: t.title in senior_titles and not set(backbone) & set(t.tags),
    )
    pick("135教师", n // 12, lambda t: 3 <= t.teaching_years <= 10)
    for t in ordered:
        if t.teaching_years < 3:
            t.tags.append("新教师")
        if t.age < 35:
            t.tags.append("青年教师")
        t.tags.sort()
