"""Reads for pages: flags in scope, and what of a flag's evidence a user may see.

A teacher sees their own flag's score and that it resembles others' work, never the other
text. Reviewers — office, leaders and district staff over the org, group leads over their
members — see the passages; the other side of a passage only when that text is a corpus
template or a record they may read themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from keshi.org.models import Org
from keshi.org.scoping import manageable, scope_for, visible
from keshi.originality.models import CorpusText, Document, Flag
from keshi.originality.passages import Passage, align
from keshi.records.models import Activity
from keshi.records.selectors import reviewable

CONTEXT = 30  # characters shown around a passage


def flags(user, *, status: str = "", q: str = "") -> QuerySet[Flag]:
    qs = visible(user, Flag.objects.all()).select_related(
        "activity__person", "activity__kind", "activity__org", "top"
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(activity__person__name__icontains=q) | Q(activity__title__icontains=q))
    return qs.order_by("status", "-score", "-pk")


def status_counts(user) -> dict[str, int]:
    rows = visible(user, Flag.objects.all()).values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def flag_for(user, pk: int) -> Flag | None:
    return flags(user).filter(pk=pk).first()


def flag_of_activity(user, activity: Activity) -> Flag | None:
    return visible(user, Flag.objects.filter(activity=activity)).first()


def is_owner(user, flag: Flag) -> bool:
    return scope_for(user).person_id == flag.activity.person_id


def may_see_passages(user, flag: Flag) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if is_owner(user, flag):
        return False
    path = flag.activity.org.path
    return any(path.startswith(p) for p in scope.read_paths) or may_resolve(user, flag)


def may_resolve(user, flag: Flag) -> bool:
    return reviewable(user).filter(pk=flag.activity_id).exists()


def _may_read(user, document: Document) -> bool:
    if document.source == Document.Source.CORPUS:
        return True
    return visible(user, Activity.objects.filter(pk=document.activity_id)).exists()


@dataclass
class Side:
    before: str
    passage: str
    after: str


@dataclass
class EvidenceRow:
    mine: Side
    theirs: Side | None  # None: the other text is not the viewer's to read


@dataclass
class Evidence:
    document: Document
    similarity: float
    readable: bool
    rows: list[EvidenceRow]


def _side(text: str, start: int, end: int) -> Side:
    return Side(text[max(0, start - CONTEXT) : start], text[start:end], text[end : end + CONTEXT])


def evidence(user, flag: Flag, *, limit: int = 5) -> list[Evidence]:
    """The flag's best matches with aligned passages; call only if may_see_passages."""
    ids = [m["document"] for m in flag.matches[:limit]]
    documents = Document.objects.select_related(
        "activity__person", "activity__kind", "corpus", "attachment", "org"
    ).in_bulk(ids)
    mine = flag.document.text
    out = []
    for match in flag.matches[:limit]:
        document = documents.get(match["document"])
        if document is None:
            continue
        readable = _may_read(user, document)
        passages: list[Passage] = align(mine, document.text)
        rows = [
            EvidenceRow(
                mine=_side(mine, p.start, p.end),
                theirs=_side(document.text, p.other_start, p.other_end) if readable else None,
            )
            for p in passages
        ]
        out.append(Evidence(document, match["similarity"], readable, rows))
    return out


def corpus_texts(user, *, q: str = "") -> QuerySet[CorpusText]:
    qs = visible(user, CorpusText.objects.all()).select_related("org")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(text__icontains=q))
    return qs.order_by("org__path", "name")


def manageable_orgs(user) -> QuerySet[Org]:
    return manageable(user, Org.objects.all()).order_by("path")
