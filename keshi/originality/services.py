"""Writes: fingerprinting texts into the index, checking records, flags, corpus, settings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.documents.archive import UploadLimits
from keshi.org.models import Org
from keshi.originality import batch
from keshi.originality import fingerprint as fp
from keshi.originality.extract import ExtractionFailed, extract_text_isolated, is_text_file
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


def _text_of(name: str, data: bytes) -> str:
    """The text of an uploaded .txt/.docx, extracted in a child process under the configured
    limits (KESHI_PARSE_TIMEOUT, KESHI_PARSE_MEMORY_BYTES and the archive limits):
    :class:`ExtractionFailed` when over one, ValueError for a broken file."""
    return extract_text_isolated(
        name,
        data,
        limits=UploadLimits.from_settings(settings),
        seconds=settings.KESHI_PARSE_TIMEOUT,
        memory_bytes=settings.KESHI_PARSE_MEMORY_BYTES,
    )


def index_attachment(attachment: Attachment) -> bool:
    """(Re)fingerprint a text attachment; False when it has no text to check. A file over the
    limits raises :class:`ExtractionFailed`, so that the task fails with the reason."""
    if not is_text_file(attachment.name):
        return False
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        text = _text_of(attachment.name, data)
    except ExtractionFailed:
        raise
    except ValueError:  # not readable as text: nothing to check
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


BULK_CHUNK = 5000
REBUILD_FROM = 20_000  # texts; and more band rows than stored: drop and rebuild the band index


@transaction.atomic
def add_corpus_texts(
    *, org: Org, items: list[tuple[str, str]], by=None, workers: int = 2
) -> tuple[int, list[tuple[str, str]]]:
    """Add (or replace, by file name) many template texts of ``org``'s corpus at once: what
    ``keshi originality index-corpus`` does. Fingerprints in ``workers`` processes while this
    one stores chunks of ``BULK_CHUNK`` texts, band rows in index order in one statement.

    One transaction: all or nothing. On SQLite, a large import (``REBUILD_FROM`` texts or more,
    adding more band rows than are stored) drops the band index and builds it again at the end,
    which is several times faster than growing it row by row; checks wait for the import
    meanwhile. Returns (texts added, [(name, why skipped)])."""
    items = [(name.strip()[:200], text) for name, text in items]
    # PostgreSQL refuses CREATE INDEX while the transaction holds deferred foreign-key checks on
    # the table (seen in the full suite despite SET CONSTRAINTS ALL IMMEDIATE); COPY into the
    # indexed table is fast enough there, so only SQLite rebuilds.
    rebuild = (
        connection.vendor == "sqlite"
        and len(items) >= REBUILD_FROM
        and _band_rows() < len(items) * fp.BANDS
    )
    if rebuild:
        _drop_band_index()
    skipped: list[tuple[str, str]] = []
    done = 0
    texts = [text for _name, text in items]
    for chunk in batch.chunks(
        zip(items, batch.prints_all(texts, workers), strict=True), BULK_CHUNK
    ):
        kept = []
        for (name, text), (length, prints) in chunk:
            if not name:
                skipped.append((name, _("请填写文件名。")))
            elif length < fp.MIN_CHARS:
                skipped.append(
                    (name, _("正文太短（少于 %(n)d 字），无法查重。") % {"n": fp.MIN_CHARS})
                )
            else:
                kept.append((name, text, length, prints))
        _store_corpus(org, kept, by, in_index_order=not rebuild)
        done += len(kept)
    if rebuild:
        _create_band_index()
    return done, skipped


def _band_rows() -> int:
    """About how many band rows are stored (ids are never reused much): cheap at any size."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {Band._meta.db_table}")
        low, high = cursor.fetchone()
    return 0 if low is None else high - low + 1


def _drop_band_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {Band._meta.indexes[0].name}")


def _create_band_index() -> None:
    index = Band._meta.indexes[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {index.name} ON {Band._meta.db_table} ({', '.join(index.fields)})"
        )


def _store_corpus(
    org: Org, kept: list[tuple[str, str, int, list]], by, *, in_index_order: bool
) -> None:
    if not kept:
        return
    latest = {name: n for n, (name, *_rest) in enumerate(kept)}  # a name twice: the last wins
    kept = [kept[n] for n in sorted(latest.values())]
    CorpusText.objects.filter(org=org, name__in=list(latest)).delete()
    corpora = CorpusText.objects.bulk_create(
        [CorpusText(org=org, name=name, text=text, uploaded_by=by) for name, text, *_r in kept]
    )
    documents = Document.objects.bulk_create(
        [
            Document(source=Document.Source.CORPUS, org=org, corpus=c, text=t, length=n)
            for c, (_name, t, n, _p) in zip(corpora, kept, strict=True)
        ]
    )
    rows = [
        (band, key, d.pk, part)
        for d, (*_r, prints) in zip(documents, kept, strict=True)
        for part, keys in prints
        for band, key in enumerate(keys)
    ]
    if in_index_order:  # the index grows at few places instead of at random
        rows.sort()
    _insert_bands(rows)


def _insert_bands(rows: list[tuple[int, int, int, int]]) -> None:
    """(band, key, document id, part) rows: PostgreSQL's COPY, else one ``executemany``."""
    table, columns = Band._meta.db_table, "band, key, document_id, part"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)", rows)


def add_corpus_file(*, org: Org, name: str, data: bytes, by=None) -> CorpusText:
    try:
        text = _text_of(name, data)
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
