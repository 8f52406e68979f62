"""Chinese-aware text normalisation for the originality check. Pure: no Django.

Two texts that differ only in full-width/half-width forms, punctuation, white space, template
filler (``20xx``, ``××``, ``某某``, ``【学校名称】``…) or the numbers filled into it normalise to
the same string. :func:`normalize_with_offsets` gives the same string with, for every kept
character, its index in the original text, so that matched passages can be shown as written.
"""

from __future__ import annotations

import re
import unicodedata

# Placeholders left in templates, and what teachers fill them with (numbers are dropped below).
_FILLER = (
    r"20[xX×*＊]{2}"  # 20xx年
    r"|[xX×＊*]{2,}"  # xx, XX, ××, ***
    r"|某某+"
    r"|【[^】\n]{0,20}】"  # 【学校名称】
    r"|_{2,}"  # 填空线 ____
    r"|○{2,}"
)
# Filler, then everything that is not a letter (punctuation, white space), then digits.
_REMOVE = re.compile(rf"{_FILLER}|[\W\d_]")
# CJK unified ideographs are NFKC-stable: only the runs between them need folding, which
# makes normalising a Chinese text several times faster than NFKC over all of it.
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")


def _nfkc(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize(text: str) -> str:
    """The normalised text: what fingerprints are made of."""
    return _REMOVE.sub("", _NOT_HAN.sub(_nfkc, text or "")).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``(normalize(text), offsets)`` where ``offsets[i]`` is the index in ``text`` of the
    character that became the ``i``-th normalised character. Slower than :func:`normalize`:
    only for showing passages."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text or ""):
        folded = ch if "\u4e00" <= ch <= "\u9fff" else unicodedata.normalize("NFKC", ch)
        for out in folded:
            chars.append(out)
            origin.append(i)
    folded_text = "".join(chars)
    kept: list[str] = []
    offsets: list[int] = []
    start = 0
    for match in _REMOVE.finditer(folded_text):
        kept.append(folded_text[start : match.start()])
        offsets.extend(origin[start : match.start()])
        start = match.end()
    kept.append(folded_text[start:])
    offsets.extend(origin[start:])
    return "".join(kept).lower(), offsets
