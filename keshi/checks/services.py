"""Writes for rubrics, inspections, 整改, draws and bulletins. Each validates, then writes in one
transaction; a ``ValidationError`` (Chinese, keyed by form field where one applies) means
nothing was written. Permission checks belong to the views (keshi.checks.selectors)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.closing import check_open, check_term_open
from keshi.checks import compose, lottery, scoring
from keshi.checks.models import (
    Bulletin,
    BulletinItem,
    Draw,
    Inspection,
    InspectionResult,
    Rectification,
    Rubric,
)
from keshi.checks.signals import inspection_completed
from keshi.org.models import Group, Org, Person
from keshi.records.feedback_services import notify
from keshi.records.uploads import UploadLimits, UploadRejected, check_upload

# 佐证材料 may be a photo, a scan or a document — not a slide deck.
EVIDENCE_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# ---- rubrics ---------------------------------------------------------------------------------


def parse_rubric(criteria: str, levels: str) -> tuple[list[dict], list[dict]]:
    errors = {}
    parsed_criteria = parsed_levels = []
    try:
        parsed_criteria = scoring.parse_criteria(criteria)
    except scoring.ScoringError as exc:
        errors["criteria"] = str(exc)
    try:
        parsed_levels = scoring.parse_levels(levels)
    except scoring.ScoringError as exc:
        errors["levels"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return [c.as_json() for c in parsed_criteria], [lv.as_json() for lv in parsed_levels]


@transaction.atomic
def save_rubric(
    *,
    org: Org,
    rubric: Rubric | None = None,
    name: str,
    purpose: str,
    description: str = "",
    criteria: str,
    levels: str = "",
    active: bool = True,
) -> Rubric:
    criteria_json, levels_json = parse_rubric(criteria, levels)
    rubric = rubric or Rubric(org=org)
    if rubric.org_id is None:
        raise ValidationError("内置评分表不能修改，请先复制为本单位的评分表。")
    rubric.name, rubric.purpose, rubric.description = name.strip(), purpose, description
    rubric.criteria, rubric.levels, rubric.active = criteria_json, levels_json, active
    rubric.save()
    return rubric


@transaction.atomic
def copy_rubric(*, rubric: Rubric, org: Org) -> Rubric:
    name = rubric.name if rubric.org_id != org.pk else f"{rubric.name}（副本）"
    return Rubric.objects.create(
        org=org,
        name=name,
        purpose=rubric.purpose,
        description=rubric.description,
        criteria=rubric.criteria,
        levels=rubric.levels,
    )


# ---- inspections -----------------------------------------------------------------------------


def _check_people(org: Org, people: Iterable[Person], field: str) -> None:
    if any(p.org_id != org.pk for p in people):
        raise ValidationError({field: "只能选择本单位的人员。"})


@transaction.atomic
def save_inspection(
    *,
    org: Org,
    by,
    inspection: Inspection | None = None,
    people: Sequence[Person] = (),
    groups: Sequence[Group] = (),
    inspectors: Sequence[Person] = (),
    **fields,
) -> Inspection:
    _check_people(org, people, "people")
    _check_people(org, inspectors, "inspectors")
    if any(g.org_id != org.pk for g in groups):
        raise ValidationError({"groups": "只能选择本单位的组。"})
    rubric = fields.get("rubric")
    if rubric is not None and rubric.org_id not in (None, org.pk):
        raise ValidationError({"rubric": "只能使用内置或本单位的评分表。"})
    start, end = fields.get("start"), fields.get("end")
    if start and end and end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if fields.get("target") == Inspection.Target.GROUPS and not groups:
        raise ValidationError({"groups": "按组评分时请至少选择一个组。"})
    if not people and not groups:
        raise ValidationError({"people": "请选择被检查的教师或组。"})
    if inspection is not None:
        check_term_open(inspection.term)
    check_term_open(fields.get("term"))
    if inspection is None:
        inspection = Inspection(org=org, created_by=by)
    elif inspection.results.exists() and rubric and rubric.pk != inspection.rubric_id:
        raise ValidationError({"rubric": "已有评分结果，不能更换评分表。"})
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save()
    inspection.people.set(people)
    inspection.groups.set(groups)
    inspection.inspectors.set(inspectors)
    return inspection


@transaction.atomic
def start_inspection(*, inspection: Inspection) -> Inspection:
    """进行中: the rubric is frozen into the inspection so later edits leave results alone."""
    check_term_open(inspection.term)
    if inspection.status == Inspection.Status.PLANNED:
        rubric = inspection.rubric
        inspection.rubric_data = {
            "name": rubric.name,
            "criteria": rubric.criteria,
            "levels": rubric.levels,
        }
        inspection.status = Inspection.Status.IN_PROGRESS
        inspection.save(update_fields=["rubric_data", "status"])
    return inspection


@transaction.atomic
def complete_inspection(*, inspection: Inspection) -> Inspection:
    check_term_open(inspection.term)
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise ValidationError("只有进行中的检查可以完成。")
    if not inspection.results.exists():
        raise ValidationError("还没有任何评分结果，不能完成。")
    inspection.status = Inspection.Status.COMPLETED
    inspection.completed_at = timezone.now()
    inspection.save(update_fields=["status", "completed_at"])
    inspection_completed.send(sender=Inspection, inspection=inspection)
    return inspection


@transaction.atomic
def reopen_inspection(*, inspection: Inspection) -> Inspection:
    check_term_open(inspection.term)
    if inspection.status == Inspection.Status.COMPLETED:
        inspection.status = Inspection.Status.IN_PROGRESS
        inspection.completed_at = None
        inspection.save(update_fields=["status", "completed_at"])
    return inspection


@transaction.atomic
def record_scores(
    *, inspection: Inspection, by, rows: Mapping[int, Mapping[str, object]]
) -> list[InspectionResult]:
    """Score a grid: ``rows`` maps a target's id (person or group, per ``inspection.target``)
    to ``{"scores": {criterion key: value}, "findings": str}``. Rows with no score at all are
    skipped; any invalid row raises ``ValidationError({target id: message})``."""
    check_term_open(inspection.term)
    if inspection.status == Inspection.Status.COMPLETED:
        raise ValidationError("检查已完成，不能再修改评分。")
    from keshi.checks.selectors import scoring_targets

    start_inspection(inspection=inspection)
    criteria, levels = inspection.criteria_list(), inspection.levels_list()
    targets = {t.pk: t for t in scoring_targets(inspection)}
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[scoring.Score, dict, str]] = {}
    for target_id, row in rows.items():
        if target_id not in targets:
            errors[str(target_id)] = "不在本次检查范围内"
            continue
        raw = row.get("scores") or {}
        if all(raw.get(c.key) in (None, "") for c in criteria) and not row.get("findings"):
            continue
        try:
            scores = scoring.clean_scores(criteria, raw)
        except scoring.ScoringError as exc:
            errors[str(target_id)] = str(exc)
            continue
        result = scoring.score(criteria, scores, levels)
        cleaned[target_id] = (
            result,
            {k: str(v) for k, v in scores.items()},
            row.get("findings", ""),
        )
    if errors:
        raise ValidationError(errors)
    saved = []
    by_groups = inspection.target == Inspection.Target.GROUPS
    for target_id, (result, scores, findings) in cleaned.items():
        lookup = {"group_id": target_id} if by_groups else {"person_id": target_id}
        obj, _ = InspectionResult.objects.update_or_create(
            inspection=inspection,
            **lookup,
            defaults={
                "scores": scores,
                "total": result.total,
                "percent": result.percent,
                "level": result.level,
                "findings": (findings or "").strip(),
                "scored_by": by,
            },
        )
        saved.append(obj)
    return saved


@transaction.atomic
def add_rectification(
    *,
    inspection: Inspection,
    text: str,
    responsible: Person,
    due: date,
    result: InspectionResult | None = None,
) -> Rectification:
    """A 整改 with its owner and deadline; the owner is told in-app (and by e-mail where the
    org sends e-mail) and finds it under 我的整改."""
    if responsible.org_id != inspection.org_id:
        raise ValidationError({"responsible": _("责任人须为本单位人员。")})
    if result is not None and result.inspection_id != inspection.pk:
        raise ValidationError({"result": _("该结果不属于这次检查。")})
    if not text.strip():
        raise ValidationError({"text": _("请写明整改要求。")})
    item = Rectification.objects.create(
        inspection=inspection, result=result, text=text.strip(), responsible=responsible, due=due
    )
    notify(
        responsible,
        lambda: _("整改通知：%(text)s") % {"text": item.text},
        lambda: (
            _(
                "%(inspection)s 提出整改要求，请于 %(due)s 前完成，并在“我的整改”中上传佐证材料销号。"
            )
            % {"inspection": inspection.title, "due": f"{due:%Y-%m-%d}"}
        ),
        reverse("checks:my_rectifications"),
    )
    return item


def check_evidence(name: str, data: bytes) -> str:
    """The content type of an acceptable 佐证材料, else ``ValidationError({"evidence": …})``.
    The project's upload check (size, real type by content, Office bombs) plus: no slides."""
    try:
        content_type = check_upload(
            name,
            data,
            max_bytes=settings.KESHI_MAX_UPLOAD_BYTES,
            limits=UploadLimits.from_settings(settings),
        )
    except UploadRejected as exc:
        raise ValidationError({"evidence": str(exc)}) from None
    if content_type not in EVIDENCE_TYPES:
        raise ValidationError(
            {"evidence": _("佐证材料只能是图片（JPG、PNG）、PDF、Word 或 Excel 文件。")}
        )
    return content_type


@transaction.atomic
def close_rectification(
    *,
    rectification: Rectification,
    closed_on: date,
    note: str,
    by,
    evidence_name: str = "",
    evidence: bytes = b"",
) -> Rectification:
    """销号: needs the 整改情况 and one evidence file. Who may close (the 责任人 or the office)
    is the view's question."""
    errors = {}
    if rectification.closed_on is not None:
        raise ValidationError(_("该整改事项已经销号。"))
    if not note.strip():
        errors["closure_note"] = _("请写明整改情况。")
    if not evidence:
        errors["evidence"] = _("请上传佐证材料（图片、PDF、Word 或 Excel）。")
    if closed_on is None:
        errors["closed_on"] = _("请填写完成日期。")
    if errors:
        raise ValidationError(errors)
    content_type = check_evidence(evidence_name, evidence)
    rectification.closed_on, rectification.closure_note = closed_on, note.strip()
    rectification.closed_by = by
    rectification.evidence.save(evidence_name, ContentFile(evidence), save=False)
    rectification.evidence_name = evidence_name[:200]
    rectification.evidence_type, rectification.evidence_size = content_type, len(evidence)
    rectification.save(
        update_fields=[
            "closed_on",
            "closure_note",
            "closed_by",
            "evidence",
            "evidence_name",
            "evidence_type",
            "evidence_size",
        ]
    )
    return rectification


# ---- draws -----------------------------------------------------------------------------------


def _clean_population(population: Sequence[str], k: int) -> list[str]:
    try:
        items = lottery.clean_population(population)
        lottery.check(items, k)
    except lottery.LotteryError as exc:
        raise ValidationError({"population": str(exc)}) from None
    return items


@transaction.atomic
def commit_draw(
    *,
    org: Org,
    title: str,
    population: Sequence[str],
    k: int,
    by,
    population_kind: str = Draw.Population.OTHER,
    drawer: Person | None = None,
    redraw_of: Draw | None = None,
    redraw_reason: str = "",
) -> Draw:
    """Step 1: a fresh secret seed; its SHA-256 is published with the population and k."""
    items = _clean_population(population, k)
    if drawer is not None and drawer.org_id != org.pk:
        raise ValidationError({"drawer": "抽签人须为本单位人员。"})
    seed = lottery.new_seed()
    return Draw.objects.create(
        org=org,
        title=title.strip(),
        population_kind=population_kind,
        population=items,
        k=k,
        commitment=lottery.commitment(seed),
        seed=seed,
        drawer=drawer,
        created_by=by,
        committed_at=timezone.now(),
        redraw_of=redraw_of,
        redraw_reason=redraw_reason,
    )


@transaction.atomic
def commit_pair(
    *,
    org: Org,
    grade: str,
    subjects: Sequence[str],
    k_subjects: int,
    classes: Sequence[str],
    k_classes: int,
    by,
    drawer: Person | None = None,
) -> tuple[Draw, Draw]:
    """The usual 抽查: a grade's head draws three subjects' lesson plans and three classes'
    homework. Both draws are committed together; nothing is written if either is invalid."""
    errors = {}
    for field, items, k in (("subjects", subjects, k_subjects), ("classes", classes, k_classes)):
        try:
            _clean_population(items, k)
        except ValidationError as exc:
            errors[field] = exc.message_dict["population"]
    if errors:
        raise ValidationError(errors)
    grade = grade.strip()
    lesson = commit_draw(
        org=org,
        title=f"{grade}教案抽查（抽学科）",
        population=subjects,
        k=k_subjects,
        by=by,
        population_kind=Draw.Population.SUBJECTS,
        drawer=drawer,
    )
    homework = commit_draw(
        org=org,
        title=f"{grade}作业抽查（抽班级）",
        population=classes,
        k=k_classes,
        by=by,
        population_kind=Draw.Population.CLASSES,
        drawer=drawer,
    )
    return lesson, homework


@transaction.atomic
def reveal_draw(*, draw: Draw, by) -> Draw:
    """Step 2: compute the selection from the committed seed and publish seed and result."""
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if locked.revealed:
        raise ValidationError("这次抽签已经抽过了。")
    locked.result = lottery.draw(locked.seed, locked.population, locked.k)
    locked.drawn_by, locked.revealed_at = by, timezone.now()
    locked.save(update_fields=["result", "drawn_by", "revealed_at"])
    draw.result, draw.drawn_by, draw.revealed_at = locked.result, by, locked.revealed_at
    return locked


@transaction.atomic
def redraw(*, draw: Draw, reason: str, by) -> Draw:
    """A new committed draw over the same population, linked to the old one (which stays)."""
    if not reason.strip():
        raise ValidationError({"reason": "重抽必须写明原因。"})
    if not draw.revealed:
        raise ValidationError({"reason": "尚未抽签，不需要重抽。"})
    if Draw.objects.filter(redraw_of=draw).exists():
        raise ValidationError({"reason": "这次抽签已经重抽过，请对最新的一次操作。"})
    return commit_draw(
        org=draw.org,
        title=draw.title,
        population=draw.population,
        k=draw.k,
        by=by,
        population_kind=draw.population_kind,
        drawer=draw.drawer,
        redraw_of=draw,
        redraw_reason=reason.strip(),
    )


# ---- bulletins -------------------------------------------------------------------------------


def next_number(org: Org) -> int:
    return (Bulletin.objects.filter(org=org).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_bulletin(
    *,
    org: Org,
    by,
    title: str,
    issue_date: date,
    editor: str = "",
    number: int | None = None,
    inspections: Sequence[Inspection] = (),
    draws: Sequence[Draw] = (),
    activities: Sequence[compose.Piece] = (),
    news: str = "",
) -> Bulletin:
    check_open(org_id=org.pk, day=issue_date)
    number = number or next_number(org)
    if Bulletin.objects.filter(org=org, number=number).exists():
        raise ValidationError({"number": f"第{number}期已存在。"})
    if any(i.org_id != org.pk for i in inspections) or any(d.org_id != org.pk for d in draws):
        raise ValidationError("只能编入本单位的检查和抽签。")
    bulletin = Bulletin.objects.create(
        org=org,
        number=number,
        title=title.strip(),
        issue_date=issue_date,
        editor=editor,
        created_by=by,
    )
    pieces = [compose.from_inspection(i) for i in inspections]
    pieces += [compose.from_draw(d) for d in draws]
    pieces += list(activities)
    pieces += compose.from_news(news)
    for position, piece in enumerate(pieces, start=1):
        add_piece(bulletin=bulletin, piece=piece, position=position)
    return bulletin


def add_piece(*, bulletin: Bulletin, piece: compose.Piece, position: int | None = None):
    check_open(org_id=bulletin.org_id, day=bulletin.issue_date)
    if position is None:
        position = (bulletin.items.aggregate(p=Max("position"))["p"] or 0) + 1
    return BulletinItem.objects.create(
        bulletin=bulletin,
        position=position,
        source=piece.source,
        source_id=piece.source_id,
        heading=piece.heading,
        body=piece.body,
        table=piece.table or {},
    )


@transaction.atomic
def update_item(*, item: BulletinItem, heading: str, body: str) -> BulletinItem:
    check_open(org_id=item.bulletin.org_id, day=item.bulletin.issue_date)
    if not heading.strip():
        raise ValidationError({"heading": "小标题不能为空。"})
    item.heading, item.body = heading.strip(), body
    item.save(update_fields=["heading", "body"])
    return item


@transaction.atomic
def set_published(*, bulletin: Bulletin, published: bool) -> Bulletin:
    check_open(org_id=bulletin.org_id, day=bulletin.issue_date)
    if published and not bulletin.items.exists():
        raise ValidationError("简报还没有内容，不能发布。")
    bulletin.status = Bulletin.Status.PUBLISHED if published else Bulletin.Status.DRAFT
    bulletin.published_at = timezone.now() if published else None
    bulletin.save(update_fields=["status", "published_at"])
    return bulletin
