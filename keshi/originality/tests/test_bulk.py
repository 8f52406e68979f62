"""The bulk corpus import (``services.add_corpus_texts``, used by ``index-corpus`` and the
bench): same fingerprints as one by one, replace by name, skip short texts, rebuild the index."""

import pytest
from django.db import connection

from keshi.originality import batch, services
from keshi.originality.models import Band, CorpusText, Document
from keshi.originality.search import compare
from keshi.originality.tests.samples import COPIED, ORIGINAL, TEMPLATE


def test_worker_processes_give_the_same_fingerprints_in_order(monkeypatch):
    texts = [TEMPLATE, ORIGINAL, "短", COPIED] * 3
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    assert list(batch.prints_all(texts, workers=2)) == [batch.prints(t) for t in texts]


@pytest.mark.django_db
def test_bulk_import_replaces_by_name_and_skips_short_texts(cast):
    done, skipped = services.add_corpus_texts(
        org=cast.school, items=[("a.txt", ORIGINAL), ("短.txt", "太短了"), ("b.txt", TEMPLATE)]
    )
    assert done == 2 and [name for name, _why in skipped] == ["短.txt"]
    one = Document.objects.get(corpus__name="b.txt")
    assert Band.objects.filter(document=one).count() == 42 * len(batch.prints(TEMPLATE)[1])
    assert compare(COPIED, org=cast.school).matches[0].document == one
    services.add_corpus_texts(org=cast.school, items=[("b.txt", ORIGINAL)])
    assert CorpusText.objects.filter(org=cast.school).count() == 2
    assert not Document.objects.filter(pk=one.pk).exists()
    assert compare(COPIED, org=cast.school).score < 0.5


@pytest.mark.django_db
def test_large_import_rebuilds_the_band_index(cast, monkeypatch):
    """On SQLite the index is dropped and built again; on PostgreSQL it stays. Either way the
    index is there afterwards and finds the copy."""
    monkeypatch.setattr(services, "REBUILD_FROM", 2)
    services.add_corpus_texts(org=cast.school, items=[("a.txt", ORIGINAL), ("b.txt", TEMPLATE)])
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Band._meta.db_table)
    assert indexes["originality_band_key"]["columns"] == ["band", "key"]
    assert compare(COPIED, org=cast.school).score >= 0.5
