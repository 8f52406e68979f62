"""The check: which stored texts a text resembles. Reads only.

A check is one indexed lookup of the text's LSH band keys, then the exact Jaccard similarity of
shingles for the few candidates, limited to what the text may be compared with: records of the
same org (of the whole district when the org's settings say so), and corpus texts of that org,
of its parent orgs and, district-wide, of the district's schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from keshi.org.models import Org
from keshi.originality import fingerprint as fp
from keshi.originality.models import DEFAULT_THRESHOLD, Band, Document, OrgSettings
from keshi.originality.normalize import normalize
from keshi.originality.passages import Passage, align

REPORT_FROM = 0.2  # weaker candidates are not reported as matches


@dataclass
class Match:
    document: Document
    similarity: float
    passages: list[Passage] = field(default_factory=list)


@dataclass
class Result:
    score: float
    matches: list[Match]


@dataclass(frozen=True)
class Reach:
    """Which documents a text of an org is compared with (``None``: everything)."""

    records_path: str | None
    corpus_paths: tuple[str, ...] = ()

    def allows(self, document: Document) -> bool:
        if self.records_path is None:
            return True
        path = document.org.path
        if document.source == Document.Source.CORPUS:
            return path.startswith(self.records_path) or path in self.corpus_paths
        return path.startswith(self.records_path)


def settings_for(org: Org | None) -> OrgSettings:
    found = OrgSettings.objects.filter(org=org).first() if org else None
    return found or OrgSettings(org=org, threshold=DEFAULT_THRESHOLD)


def reach_for(org: Org | None) -> Reach:
    if org is None:
        return Reach(records_path=None)
    ids = org.path.strip("/").split("/")
    ancestors = tuple(f"/{'/'.join(ids[:n])}/" for n in range(1, len(ids) + 1))
    records_path = org.path
    if settings_for(org).district_wide and org.parent_id:
        records_path = org.parent.path
    return Reach(records_path=records_path, corpus_paths=ancestors)


def candidates(prints: list[tuple[int, list[int]]]) -> set[tuple[int, int]]:
    """(document id, part) of every stored window sharing a band key with the text.

    Plain SQL: building the same 42-way OR through the ORM costs more than the lookups."""
    if not prints:
        return set()
    keys_by_band: dict[int, set[int]] = {}
    for _part, keys in prints:
        for band, key in enumerate(keys):
            keys_by_band.setdefault(band, set()).add(key)
    clauses, params = [], []
    for band, keys in sorted(keys_by_band.items()):
        clauses.append(f"(band = %s AND key IN ({', '.join(['%s'] * len(keys))}))")
        params += [band, *sorted(keys)]
    sql = (
        f"SELECT DISTINCT document_id, part FROM {Band._meta.db_table} WHERE {' OR '.join(clauses)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(d, p) for d, p in cursor.fetchall()}


def _part_shingles(norm: str) -> list[np.ndarray]:
    return [fp.shingles(norm[s:e]) for s, e in fp.windows(len(norm))]


def compare(
    text: str,
    *,
    org: Org | None,
    exclude_activity: int | None = None,
    exclude_person: int | None = None,
    with_passages: bool = False,
) -> Result:
    norm = normalize(text)
    prints = fp.fingerprint(norm)
    found = candidates(prints)
    if not found:
        return Result(score=0.0, matches=[])
    reach = reach_for(org)
    documents = Document.objects.filter(pk__in={d for d, _ in found}).select_related(
        "org", "corpus", "attachment"
    )
    if exclude_activity is not None:
        documents = documents.exclude(activity_id=exclude_activity)
    if exclude_person is not None:
        documents = documents.exclude(person_id=exclude_person)
    mine = _part_shingles(norm)
    matches = []
    for document in documents:
        if not reach.allows(document):
            continue
        theirs = _part_shingles(normalize(document.text))
        parts = [p for d, p in found if d == document.pk and p < len(theirs)]
        similarity = max((fp.jaccard(m, theirs[p]) for m in mine for p in parts), default=0.0)
        if similarity >= REPORT_FROM:
            matches.append(Match(document=document, similarity=similarity))
    matches.sort(key=lambda m: (-m.similarity, m.document.pk))
    if with_passages:
        for match in matches:
            match.passages = align(text, match.document.text)
    return Result(score=matches[0].similarity if matches else 0.0, matches=matches)


def as_json(text: str, result: Result) -> dict:
    """The check command's output."""
    return {
        "score": round(result.score, 4),
        "matches": [
            {
                "source": m.document.label,
                "similarity": round(m.similarity, 4),
                "passages": [
                    {
                        "text": text[p.start : p.end],
                        "other": m.document.text[p.other_start : p.other_end],
                    }
                    for p in m.passages
                ],
            }
            for m in result.matches
        ],
    }
