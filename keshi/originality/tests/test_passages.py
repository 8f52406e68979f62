from keshi.originality.passages import align
from keshi.originality.tests.samples import COPIED, ORIGINAL, TEMPLATE


def test_moved_sentences_are_found_and_shown_as_written():
    passages = align(COPIED, TEMPLATE)
    assert len(passages) >= 4
    shown = [COPIED[p.start : p.end] for p in passages]
    # The first sentence of the copy comes from the middle of the template.
    assert any(s.startswith("教研组长负责制定本学科的教研活动策划") for s in shown)
    for p in passages:
        assert TEMPLATE[p.other_start : p.other_end][:6] == COPIED[p.start : p.end][:6]


def test_an_original_text_has_no_passages_in_common():
    assert align(ORIGINAL, TEMPLATE) == []
