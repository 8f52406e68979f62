"""Writes: fingerprinting texts into the index, checking records, flags, corpus, settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.org.models import Org
from keshi.originality import fingerprint as fp
from keshi.originality.extract import extract_text, is_text_file
from keshi.originality.models import Band, CorpusText, Document, Flag, OrgSettings
from keshi.originality.normalize import normalize
from keshi.originality.search import compare, settings_for
from keshi.records.models import Activity, Attachment


def _bands(document: Document, norm: str) -> list[Band]:
    return [
        Band(document=document, part=part, band=band, key=key)
        for part, keys in fp.fingerprint(norm)
        for band, key in enumerate(keys)
    ]


@transaction.atomic
def index_text(*, existing: Document | None, **fields) -> Document | None:
    """Store ``fields["text"]`` with its band keys, replacing ``existing``. Texts too short to
    check are not stored."""
    if existing is not None:
        existing.delete()
    norm = normalize(fields["text"])
    if len(norm) < fp.MIN_CHARS:
        return None
    document = Document.objects.create(length=len(norm), **fields)
    Band.objects.bulk_create(_bands(document, norm), batch_size=500)
    return document


def index_activity(activity: Activity) -> bool:
    """(Re)fingerprint a record's own text; False when it had not changed."""
    existing = Document.objects.filter(activity=activity, source=Document.Source.RECORD).first()
    if existing is not None and existing.text == activity.text:
        return False
    if existing is None and len(normalize(activity.text)) < fp.MIN_CHARS:
        return False
    index_text(
        existing=existing,
        source=Document.Source.RECORD,
        org_id=activity.org_id,
        person_id=activity.person_id,
        activity=activity,
        text=activity.text,
    )
    return True


def index_attachment(attachment: Attachment) -> bool:
    if not is_text_file(attachment.name):
        return False
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        text = extract_text(attachment.name, data)
    except ValueError:
        return False
    activity = attachment.activity
    index_text(
        existing=Document.objects.filter(attachment=attachment).first(),
        source=Document.Source.ATTACHMENT,
        org_id=activity.org_id,
        person_id=activity.person_id,
        activity=activity,
        attachment=attachment,
        text=text,
    )
    return True


@transaction.atomic
def check_activity(activity: Activity) -> Flag | None:
    """Compare each of the record's texts with what its org may be compared with; flag the
    record when the best similarity reaches the org's threshold, unflag it when it no longer
    does. A changed text opens a resolved flag again."""
    threshold = settings_for(activity.org).threshold
    best = None
    for document in Document.objects.filter(activity=activity):
        result = compare(
            document.text,
            org=activity.org,
            exclude_activity=activity.pk,
            exclude_person=activity.person_id,
        )
        Document.objects.filter(pk=document.pk).update(score=result.score)
        if best is None or result.score > best[1].score:
            best = (document, result)
    flag = Flag.objects.filter(activity=activity).first()
    if best is None or best[1].score < threshold:
        if flag is not None:
            flag.delete()
        return None
    document, result = best
    matches = [
        {"document": m.document.pk, "similarity": round(m.similarity, 4)} for m in result.matches
    ]
    if flag is None:
        flag = Flag(activity=activity)
    elif flag.document_id != document.pk or flag.matches != matches:
        flag.status, flag.reason, flag.resolved_by, flag.resolved_at = (
            Flag.Status.OPEN,
            "",
            None,
            None,
        )
    flag.document, flag.score, flag.matches = document, result.score, matches
    flag.top = result.matches[0].document
    flag.save()
    return flag


def fingerprint_activity(activity_id: int) -> Flag | None:
    activity = Activity.objects.select_related("org").filter(pk=activity_id).first()
    if activity is None:
        return None
    changed = index_activity(activity)
    if not changed and Document.objects.filter(activity=activity, score__isnull=False).exists():
        return Flag.objects.filter(activity=activity).first()
    return check_activity(activity)


def fingerprint_attachment(attachment_id: int) -> Flag | None:
    attachment = Attachment.objects.select_related("activity__org").filter(pk=attachment_id).first()
    if attachment is None or not index_attachment(attachment):
        return None
    return check_activity(attachment.activity)


@transaction.atomic
def resolve_flag(*, flag: Flag, by, status: str, reason: str = "") -> Flag:
    reason = (reason or "").strip()
    if status not in (Flag.Status.ACCEPTED, Flag.Status.CONFIRMED, Flag.Status.OPEN):
        raise ValidationError({"status": _("无效的处理结果。")})
    if status == Flag.Status.ACCEPTED and not reason:
        raise ValidationError({"reason": _("标为可接受（引用）时须写明理由。")})
    flag.status, flag.reason = status, reason[:500]
    flag.resolved_by = by if status != Flag.Status.OPEN else None
    flag.resolved_at = timezone.now() if status != Flag.Status.OPEN else None
    flag.save()
    return flag


@transaction.atomic
def add_corpus_text(*, org: Org, name: str, text: str, by=None) -> CorpusText:
    """Add (or replace, by file name) one template text of ``org``'s reference corpus."""
    name = name.strip()[:200]
    if not name:
        raise ValidationError({"name": _("请填写文件名。")})
    if len(normalize(text)) < fp.MIN_CHARS:
        raise ValidationError(
            {
                "text": _("“%(name)s”正文太短（少于 %(n)d 字），无法查重。")
                % {"name": name, "n": fp.MIN_CHARS}
            }
        )
    corpus, _created = CorpusText.objects.update_or_create(
        org=org, name=name, defaults={"text": text, "uploaded_by": by}
    )
    index_text(
        existing=Document.objects.filter(corpus=corpus).first(),
        source=Document.Source.CORPUS,
        org=org,
        corpus=corpus,
        text=text,
    )
    return corpus


def add_corpus_file(*, org: Org, name: str, data: bytes, by=None) -> CorpusText:
    try:
        text = extract_text(name, data)
    except ValueError as exc:
        raise ValidationError({"file": f"{name}：{exc}"}) from None
    return add_corpus_text(org=org, name=name, text=text, by=by)


@transaction.atomic
def delete_corpus_text(*, corpus: CorpusText) -> None:
    corpus.delete()


@transaction.atomic
def save_settings(*, org: Org, threshold: float, district_wide: bool) -> OrgSettings:
    found, _created = OrgSettings.objects.get_or_create(org=org)
    found.threshold, found.district_wide = threshold, district_wide
    found.full_clean()
    found.save()
    return found
