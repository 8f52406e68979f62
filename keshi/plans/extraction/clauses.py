"""Splitting a plan's lines into sentences and clauses, keeping every clause's verbatim text.

A sentence ends at 。！？ or the end of a line; a clause at ，；：、 is *not* a boundary (it joins
the items of one list), brackets are (their content is a clause of its own, marked
``paren``). Offsets index the original line, so ``Clause.text`` is the plan's own words.
"""

import re
from dataclasses import dataclass, replace

from .numerals import normalise

SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:"
OPEN, CLOSE = "（(【[", "）)】]"
LIST_NUMBER = re.compile(
    r"^\s*(?:[-•·●○◆□■*]\s*)?"
    r"(?:第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)][、.．]?|\d+[、.．](?!\d)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]|其[一二三四五六七八九十][、，,])\s*"
)


@dataclass(frozen=True)
class Clause:
    text: str  # verbatim, stripped
    norm: str  # normalise(text): ASCII digits and punctuation, same length
    line: int  # index of the line in the document
    sentence: int  # running sentence number in the document
    index: int  # position within its sentence
    paren: bool = False
    ends: str = ""  # the punctuation that closed it: "，" joins list items, "；" separates them


def strip_list_number(text: str) -> str:
    return LIST_NUMBER.sub("", text, count=1)


def split_line(line: str, *, line_no: int = 0, first_sentence: int = 0) -> list[Clause]:
    """The clauses of one line, in order; sentences numbered from ``first_sentence``."""
    clauses: list[Clause] = []
    sentence, index, start, depth = first_sentence, 0, 0, 0
    norm = normalise(line)

    def close(end: int, *, paren: bool) -> None:
        nonlocal index
        raw, ends = line[start:end], norm[end : end + 1]
        text = raw.strip(" \t\u3000`'\"“”‘’")
        if text and re.search(r"[\w%]", text):
            offset = line.index(text, start)
            clauses.append(
                Clause(
                    text, norm[offset : offset + len(text)], line_no, sentence, index, paren, ends
                )
            )
            index += 1

    for position, char in enumerate(norm):
        if char in OPEN:
            close(position, paren=depth > 0)
            depth += 1
            start = position + 1
        elif char in CLOSE and depth:
            close(position, paren=True)
            depth -= 1
            start = position + 1
        elif char in CLAUSE_END:
            close(position, paren=depth > 0)
            start = position + 1
        elif char in SENTENCE_END:
            close(position, paren=depth > 0)
            start = position + 1
            if depth == 0:
                sentence, index = sentence + 1, 0
    close(len(line), paren=depth > 0)
    return clauses


# A lone Cyrillic Р between Chinese text is a line break lost when a document was copied to
# the web (a "\r" shown as Р, often between a table's cells): "…记录(2学时)Р提供一份教学设计
# 至少4篇。Р上交…". It ends a clause, as a cell does in a table row, and a list number after it
# is dropped like one at the start of a line.
CHUNK_MARK = re.compile(r"(?<![\u0400-\u04ff])\u0420(?![\u0400-\u04ff])")


def split_lines(lines: list[str]) -> list[Clause]:
    clauses: list[Clause] = []
    sentence = 0
    for line_no, whole in enumerate(lines):
        first = len(clauses)
        for piece in CHUNK_MARK.split(whole):
            body = strip_list_number(piece)
            offset_line = body if body.strip() else piece
            found = split_line(offset_line, line_no=line_no, first_sentence=sentence)
            clauses.extend(found)
            if found:
                ended = offset_line.rstrip()[-1:] in SENTENCE_END
                sentence = found[-1].sentence + (1 if ended else 0)
        if len(clauses) > first:
            sentence = clauses[-1].sentence + 1
        _renumber(clauses, first)
    return clauses


def _renumber(clauses: list[Clause], first: int) -> None:
    """Positions within each sentence, counted again after joining a line's pieces."""
    counts: dict[int, int] = {}
    for at in range(first, len(clauses)):
        clause = clauses[at]
        index = counts.get(clause.sentence, 0)
        counts[clause.sentence] = index + 1
        if clause.index != index:
            clauses[at] = replace(clause, index=index)
