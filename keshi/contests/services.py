"""Contest operations: create, enter, assign judges, score, publish, recommend upward."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from keshi.checks import scoring
from keshi.contests import aggregate
from keshi.contests.assign import AssignmentError, assign
from keshi.contests.models import Assignment, Contest, Entry
from keshi.org.models import Group, Membership, Person
from keshi.org.scoping import can_manage_org
from keshi.records.uploads import UploadLimits, UploadRejected, check_upload

PREFIX = {
    Contest.Kind.PAPER: "LW",
    Contest.Kind.REFLECTION: "FS",
    Contest.Kind.LESSON: "YZ",
    Contest.Kind.DESIGN: "SJ",
    Contest.Kind.GROUP: "JY",
    Contest.Kind.STAR: "MX",
    Contest.Kind.NEWCOMER: "XX",
    Contest.Kind.SUBJECT: "JS",
}
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
PHASES = [p for p, _ in Contest.Phase.choices]


def _require_manager(by, contest: Contest) -> None:
    if not can_manage_org(by, contest.org):
        raise PermissionDenied("只有本单位教科室可以管理此评比")


def new_code(kind: str) -> str:
    while True:
        code = f"{PREFIX.get(kind, 'PB')}-" + "".join(secrets.choice(_ALPHABET) for _ in range(4))
        if not Entry.objects.filter(code=code).exists():
            return code


@transaction.atomic
def create_contest(*, org, by, **fields) -> Contest:
    if not can_manage_org(by, org):
        raise PermissionDenied("只有本单位教科室可以创建评比")
    return Contest.objects.create(org=org, created_by=by, **fields)


# Fields that decide scores and awards: fixed once judging starts / results are out.
FROZEN_WITH_RUBRIC = ("rubric",)
FROZEN_WITH_RESULTS = (
    "aggregation",
    "quota_first",
    "quota_second",
    "quota_third",
    "quota_merit",
)


@transaction.atomic
def update_contest(*, contest: Contest, by, **fields) -> Contest:
    """Edit a contest. The rubric cannot change once judging has started (its criteria are
    frozen into the contest); aggregation and quotas cannot change once results are out."""
    _require_manager(by, contest)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    errors = {}
    judging = contest.rubric_frozen or _scored(contest)
    for name, value in fields.items():
        current = getattr(contest, name)
        if name in FROZEN_WITH_RUBRIC and judging and value != current:
            errors[name] = "评审已开始，评分表已冻结，不能更换或修改评分项目"
        if name in FROZEN_WITH_RESULTS and contest.published and value != current:
            errors[name] = "结果已公示，不能修改汇总方式和名额"
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.save()
    return contest


def _scored(contest: Contest) -> bool:
    return Assignment.objects.filter(entry__contest=contest, total__isnull=False).exists()


def freeze_rubric(contest: Contest) -> None:
    """Copy the rubric into the contest, so that later edits of the shared rubric (it belongs to
    keshi.checks) cannot change what judges score against."""
    if contest.rubric_data:
        return
    rubric = contest.rubric
    contest.rubric_data = {
        "name": rubric.name,
        "criteria": rubric.criteria,
        "levels": rubric.levels,
    }
    contest.save(update_fields=["rubric_data"])


@transaction.atomic
def submit_entry(
    *,
    contest: Contest,
    title: str,
    person: Person | None = None,
    group: Group | None = None,
    upload_name: str = "",
    data: bytes = b"",
    recommended_from: Entry | None = None,
) -> Entry:
    if contest.phase not in (Contest.Phase.SIGNUP, Contest.Phase.SUBMIT):
        raise ValidationError("评比已进入评审，不能再提交作品")
    if (person is None) == (group is None):
        raise ValidationError("作品的作者须为一位教师或一个组")
    author_org = person.org_id if person else group.org_id
    if recommended_from is None and author_org != contest.org_id:
        raise ValidationError("只有本单位的教师或组可以参加此评比")
    if person and recommended_from is None and contest.entries.filter(person=person).exists():
        raise ValidationError("你已经提交过作品")
    content_type = ""
    if data:
        try:
            content_type = check_upload(
                upload_name,
                data,
                max_bytes=settings.KESHI_MAX_UPLOAD_BYTES,
                limits=UploadLimits.from_settings(settings),
            )
        except UploadRejected as exc:
            raise ValidationError(str(exc)) from None
    entry = Entry(
        contest=contest,
        person=person,
        group=group,
        title=title.strip(),
        code=new_code(contest.kind),
        recommended_from=recommended_from,
        document_name=upload_name if data else "",
        content_type=content_type,
    )
    if data:
        entry.document.save(
            f"document.{upload_name.rsplit('.', 1)[-1].lower()}", ContentFile(data), save=False
        )
    entry.save()
    return entry


def conflicts(entry: Entry) -> set[int]:
    """Judges who may not judge ``entry``: its author, or members of its group."""
    if entry.person_id:
        return {entry.person_id}
    return set(
        Membership.objects.current()
        .filter(group_id=entry.group_id)
        .values_list("person_id", flat=True)
    )


@transaction.atomic
def auto_assign(*, contest: Contest, judges: list[Person], by, per_entry: int | None = None) -> int:
    """Assign judges to the entries that still lack them; returns how many were added."""
    _require_manager(by, contest)
    per_entry = per_entry or contest.judges_per_entry
    if any(j.org_id != contest.org_id for j in judges):
        raise ValidationError("评委须为本单位人员")
    entries = list(contest.entries.prefetch_related("assignments"))
    need = {e.pk: e for e in entries if e.assignments.count() < per_entry}
    loads: dict[int, int] = {}
    for a in Assignment.objects.filter(entry__contest=contest):
        loads[a.judge_id] = loads.get(a.judge_id, 0) + 1
    added = 0
    judge_ids = [j.pk for j in judges]
    for entry in need.values():
        have = {a.judge_id for a in entry.assignments.all()}
        try:
            plan = assign(
                {entry.pk: conflicts(entry) | have}, judge_ids, per_entry - len(have), loads
            )
        except AssignmentError as exc:
            raise ValidationError(f"{entry.code}：{exc}") from None
        for judge_id in plan[entry.pk]:
            Assignment.objects.create(entry=entry, judge_id=judge_id)
            loads[judge_id] = loads.get(judge_id, 0) + 1
            added += 1
    return added


@transaction.atomic
def save_scores(*, assignment: Assignment, by, raw: dict, comment: str = "") -> Assignment:
    contest = assignment.entry.contest
    if assignment.judge.user_id != by.pk:
        raise PermissionDenied("只有被分配的评委可以评分")
    if contest.phase != Contest.Phase.REVIEW:
        raise ValidationError("评比不在评审阶段，不能评分")
    freeze_rubric(contest)
    criteria = contest.criteria_list()
    try:
        scores = scoring.clean_scores(criteria, raw)
    except scoring.ScoringError as exc:
        raise ValidationError(str(exc)) from None
    result = scoring.score(criteria, scores, contest.levels_list())
    assignment.scores = {k: str(v) for k, v in scores.items()}
    assignment.total = result.total
    assignment.comment = comment.strip()
    assignment.scored_at = timezone.now()
    assignment.save()
    return assignment


def compute_results(contest: Contest) -> list[Entry]:
    """Score, rank and award of every entry (unsaved): from the judges' totals, or for a
    学科竞赛 from its last round — only those who reached it are ranked."""
    entries = list(contest.entries.prefetch_related("assignments"))
    scores: dict[int, Decimal] = {}
    if contest.has_rounds:
        last = contest.rounds.order_by("-number").first()
        if last is not None:
            scores = {s.entry_id: s.score for s in last.scores.all() if s.score is not None}
    else:
        for e in entries:
            value = aggregate.aggregate(
                (a.total for a in e.assignments.all() if a.total is not None), contest.aggregation
            )
            if value is not None:
                scores[e.pk] = value
    ranks = aggregate.rank(scores)
    levels = aggregate.awards(ranks, contest.quota_keys())
    for e in entries:
        e.score, e.rank, e.award = scores.get(e.pk), ranks.get(e.pk), levels.get(e.pk, "")
    return entries


@transaction.atomic
def advance(*, contest: Contest, by) -> Contest:
    """Move to the next phase; entering 公示 computes and freezes the results."""
    _require_manager(by, contest)
    index = PHASES.index(contest.phase)
    if index == len(PHASES) - 1:
        raise ValidationError("评比已发布结果")
    target = PHASES[index + 1]
    if target == Contest.Phase.REVIEW:
        if not contest.entries.exists():
            raise ValidationError("还没有参评作品，不能开始评审")
        freeze_rubric(contest)
    if target == Contest.Phase.NOTICE:
        if contest.has_rounds:
            rounds = list(contest.rounds.all())
            if not rounds or any(not r.closed for r in rounds):
                raise ValidationError("各轮比赛结束（录入成绩并确定晋级）后才能公示成绩")
        missing = Assignment.objects.filter(entry__contest=contest, total__isnull=True).count()
        if missing:
            raise ValidationError(f"还有 {missing} 份评分未完成")
        for e in compute_results(contest):
            e.save(update_fields=["score", "rank", "award"])
    if target == Contest.Phase.RESULT:
        today = timezone.localdate()
        if contest.result_date and today < contest.result_date:
            raise ValidationError(f"公示期未满：{contest.result_date:%Y-%m-%d} 起才能发布结果")
    contest.phase = target
    contest.save(update_fields=["phase"])
    if target == Contest.Phase.RESULT:
        from keshi.appraisal.services import grant_contest_awards

        grant_contest_awards(contest)
    return contest


@transaction.atomic
def recommend(*, entry: Entry, target: Contest, by) -> Entry:
    """推荐上报: a copy in the parent org's contest, linked back to the original."""
    if not can_manage_org(by, entry.contest.org):
        raise PermissionDenied("只有本单位教科室可以推荐作品")
    if entry.contest.phase != Contest.Phase.RESULT:
        raise ValidationError("结果发布后才能推荐作品")
    if target.org_id != entry.contest.org.parent_id:
        raise ValidationError("只能推荐到上级单位的评比")
    if target.entries.filter(recommended_from=entry).exists():
        raise ValidationError("该作品已推荐到此评比")
    data = b""
    if entry.document:
        with entry.document.open("rb") as f:
            data = f.read()
    return submit_entry(
        contest=target,
        title=entry.title,
        person=entry.person,
        group=entry.group,
        upload_name=entry.document_name,
        data=data,
        recommended_from=entry,
    )
