import numpy as np
from datasketch import MinHash

from keshi.originality import fingerprint as fp
from keshi.originality.normalize import normalize
from keshi.originality.tests.samples import COPIED, ORIGINAL, TEMPLATE


def test_signature_is_datasketchs_minhash_of_the_shingles():
    hashes = fp.shingles(normalize(TEMPLATE))
    reference = MinHash(num_perm=fp.NUM_PERM, seed=fp.SEED, scheme="affine32", hashfunc=int)
    reference.update_batch([int(h) for h in hashes])
    assert np.array_equal(fp.signature(hashes), reference.hashvalues)


def test_shingles_are_distinct_character_ngrams():
    assert len(fp.shingles("abcdefg")) == 3
    assert len(fp.shingles("aaaaaaaa")) == 1
    assert len(fp.shingles("abcd")) == 0


def test_light_edits_stay_similar_and_unrelated_texts_do_not():
    template, copied, original = (fp.shingles(normalize(t)) for t in (TEMPLATE, COPIED, ORIGINAL))
    assert fp.jaccard(template, copied) > 0.6
    assert fp.jaccard(template, original) < 0.05
    assert fp.jaccard(template, template) == 1.0


def test_near_copies_share_band_keys_and_unrelated_texts_do_not():
    ((_, template),) = fp.fingerprint(normalize(TEMPLATE))
    ((_, copied),) = fp.fingerprint(normalize(COPIED))
    ((_, original),) = fp.fingerprint(normalize(ORIGINAL))
    assert len(template) == fp.BANDS and all(0 <= k < 2**63 for k in template)
    assert set(template) & set(copied)
    assert not set(template) & set(original)


def test_long_texts_are_cut_into_overlapping_windows():
    assert fp.windows(1500) == [(0, 1500)]
    parts = fp.windows(4321)
    assert parts[0] == (0, fp.WINDOW) and parts[-1][1] == 4321
    assert all(b[0] < a[1] for a, b in zip(parts, parts[1:], strict=False))
    assert fp.fingerprint("太短") == []
