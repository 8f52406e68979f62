"""The term's work for the 工作总结's 检查与抽查, 获奖情况 and 课题研究进展 sections, read through the
summary reader's scope. A row belongs to the term when its own date falls in it (an inspection's
term or start, a draw's 公布承诺 day, a contest's 结果发布, a stage decision's day), never later than
the day the summary speaks of. A contest without any date set is placed in no term."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.checks.models import Draw, Inspection, Rectification
from keshi.contests.models import Contest, Entry
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import visible
from keshi.research.models import ResearchProject, Stage


@dataclass
class InspectionLine:
    title: str
    kind: str
    when: str
    status: str
    scored: int
    average: float | None  # 平均得分率 (%)
    levels: str  # "优秀 5、良好 3"


@dataclass
class DrawLine:
    title: str
    day: date
    k: int
    drawn: str  # the names drawn, or "未开签"


@dataclass
class FixLine:
    inspection: str
    text: str
    responsible: str
    due: date
    state: str  # "已整改（12月1日）：补写完成" / "逾期未整改" / "整改中"


@dataclass
class Checks:
    inspections: list[InspectionLine] = field(default_factory=list)
    draws: list[DrawLine] = field(default_factory=list)
    rectifications: int = 0
    rectified: int = 0
    overdue: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)  # (inspection, 检查意见)
    fixes: list[FixLine] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.inspections or self.draws)


@dataclass
class AwardLine:
    contest: str
    level: str  # 校级 / 区级
    winner: str
    title: str
    award: str


@dataclass
class Awards:
    lines: list[AwardLine] = field(default_factory=list)

    def by_level(self) -> list[tuple[str, str, int]]:
        """(级别, 奖项, 件数), in the order they first appear."""
        counts = Counter((x.level, x.award) for x in self.lines)
        return [(level, award, n) for (level, award), n in counts.items()]


@dataclass
class ProjectLine:
    title: str
    level: str
    leader: str
    status: str
    this_term: str  # "立项通过（11月3日）；开题通过（12月1日）" or "—"


@dataclass
class Research:
    projects: list[ProjectLine] = field(default_factory=list)

    def by_status(self) -> list[tuple[str, int]]:
        return list(Counter(p.status for p in self.projects).items())


def _in_term(term: Term, at: date) -> tuple[date, date]:
    return term.start, min(at, term.end)


def checks_of(user, *, org: Org, term: Term, at: date) -> Checks:
    start, end = _in_term(term, at)
    inspections = visible(user, Inspection.objects.filter(org=org)).filter(
        Q(term=term) | Q(term__isnull=True, start__gte=start, start__lte=end)
    )
    scored = inspections.annotate(n=Count("results"), avg=Avg("results__percent"))
    out = Checks()
    for i in scored.order_by("start", "pk"):
        levels = Counter(i.results.exclude(level="").values_list("level", flat=True))
        when = "—"
        if i.start:
            when = f"{i.start.month}月{i.start.day}日"
            if i.end and i.end != i.start:
                when += f"—{i.end.month}月{i.end.day}日"
        out.inspections.append(
            InspectionLine(
                title=i.title,
                kind=i.get_kind_display(),
                when=when,
                status=i.get_status_display(),
                scored=i.n,
                average=float(i.avg) if i.avg is not None else None,
                levels="、".join(f"{lv} {n}" for lv, n in levels.most_common()),
            )
        )
    draws = visible(user, Draw.objects.filter(org=org)).filter(
        committed_at__date__gte=start, committed_at__date__lte=end
    )
    for d in draws.order_by("committed_at", "pk"):
        drawn = "、".join(str(x) for x in d.result) if d.revealed else "未开签"
        out.draws.append(DrawLine(d.title, d.committed_at.date(), d.k, drawn))
    _findings_and_fixes(out, inspections, end)
    return out


FINDINGS_PER_INSPECTION = 5


def _findings_and_fixes(out: Checks, inspections, end: date) -> None:
    """检查意见 as written (a few per inspection, repeated ones once) and every 整改 item."""
    for i in inspections.order_by("start", "pk").prefetch_related("results"):
        seen: list[str] = []
        for r in i.results.all():
            text = r.findings.strip().rstrip("。；;")
            if text and text not in seen:
                seen.append(text)
        out.findings += [(i.title, t) for t in seen[:FINDINGS_PER_INSPECTION]]
    fixes = (
        Rectification.objects.filter(inspection__in=inspections.values("pk"))
        .select_related("inspection", "responsible")
        .order_by("due", "pk")
    )
    for x in fixes:
        out.rectifications += 1
        if x.closed_on and x.closed_on <= end:
            out.rectified += 1
            state = f"已整改（{x.closed_on.month}月{x.closed_on.day}日）"
            if x.closure_note.strip():
                state += f"：{x.closure_note.strip()}"
        elif x.due < end:
            out.overdue += 1
            state = "逾期未整改"
        else:
            state = "整改中"
        out.fixes.append(FixLine(x.inspection.title, x.text, x.responsible.name, x.due, state))


# A contest's day: its 结果发布, else the latest phase date it was given.
CONTEST_DAYS = ("result_date", "notice_start", "review_start", "submit_start", "signup_start")


def _contest_level(contest: Contest) -> str:
    return {Org.Kind.DISTRICT: "区级"}.get(contest.org.kind, "校级")


def awards_of(user, *, org: Org, term: Term, at: date) -> Awards:
    """Awards won by the org's people and groups in contests whose results came out this term:
    the org's own (校级) and those it entered above (区级, by 推荐上报)."""
    start, end = _in_term(term, at)
    people = visible(user, Person.objects.filter(org=org)).values("pk")
    groups = visible(user, Group.objects.filter(org=org)).values("pk")
    entries = (
        Entry.objects.filter(Q(person__in=people) | Q(group__in=groups))
        .exclude(award="")
        .filter(contest__phase=Contest.Phase.RESULT)
        .annotate(day=Coalesce(*(f"contest__{d}" for d in CONTEST_DAYS)))
        .filter(day__gte=start, day__lte=end)
        .select_related("contest__org", "person", "group")
    )
    order = {key: n for n, (key, _label) in enumerate(Contest.LEVELS)}
    rows = sorted(entries, key=lambda e: (e.contest.org.kind != Org.Kind.DISTRICT,
                                          e.contest.pk, order[e.award], e.pk))  # fmt: skip
    return Awards(
        [
            AwardLine(
                contest=e.contest.title,
                level=_contest_level(e.contest),
                winner=e.person.name if e.person_id else e.group.name,
                title=e.title,
                award=e.get_award_display(),
            )
            for e in rows
        ]
    )


def stage_moves(projects, start: date, end: date) -> dict[int, list[str]]:
    """What each project's stages did in [start, end]: "立项通过（11月3日）", in order."""
    decided = (
        Stage.objects.filter(project__in=projects)
        .exclude(decision=Stage.Decision.PENDING)
        .filter(decided_at__date__gte=start, decided_at__date__lte=end)
        .order_by("decided_at", "pk")
    )
    moves: dict[int, list[str]] = {}
    for s in decided:
        day = timezone.localtime(s.decided_at).date()
        moves.setdefault(s.project_id, []).append(
            f"{s.get_stage_display()}{s.get_decision_display()}（{day.month}月{day.day}日）"
        )
    return moves


def research_of(user, *, org: Org, term: Term, at: date) -> Research:
    """Every project of the org not finished before the term, with what its stages did in it."""
    start, end = _in_term(term, at)
    projects = (
        visible(user, ResearchProject.objects.filter(org=org))
        .filter(created_at__date__lte=end)
        .select_related("leader")
        .order_by("level", "pk")
    )
    moves = stage_moves(projects.values("pk"), start, end)
    lines = []
    for p in projects:
        changed = moves.get(p.pk, [])
        if p.finished and not changed and p.created_at.date() < start:
            continue  # concluded before this term: nothing to report
        lines.append(
            ProjectLine(
                title=p.title,
                level=p.get_level_display(),
                leader=p.leader.name if p.leader_id else "—",
                status=p.get_status_display(),
                this_term="；".join(changed) or "—",
            )
        )
    return Research(lines)
