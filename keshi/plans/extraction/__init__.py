"""Reading a work plan (工作计划) into requirements, targets, sections, 分工 and 行事历.

Pure Python: no Django. ``extract(read_path("plan.docx"))`` → ``Extraction``; ``.to_dict()`` is
the JSON of ``keshi extract-plan --format json``.
"""

import re
from dataclasses import dataclass

from .audience import HOSPITAL_PLAN, is_group_plan
from .caps import attach_caps
from .clauses import Clause, split_lines
from .headings import heading_scopes
from .reader import Document, read_bytes, read_path, read_text
from .requirements import Requirement, SentenceReader
from .sections import analyse
from .targets import Target, find_targets, goal_label

__all__ = ["Extraction", "extract", "extract_text", "read_bytes", "read_path", "read_text"]


@dataclass
class Extraction:
    requirements: list[Requirement]
    targets: list[Target]
    structure: dict  # sections, duties, calendar

    def to_dict(self) -> dict:
        return {
            "requirements": [item.to_dict() for item in self.requirements],
            "targets": [item.to_dict() for item in self.targets],
            **self.structure,
        }


def horizon(lines: list[str]) -> str:
    """The period a plan covers — the default for a quota that names none."""
    title = " ".join(lines[:3])
    if re.search(r"学期|秋季|春季|上学期|下学期", title):
        return "term"
    if re.search(r"\d{4}\s*年(?:度)?.{0,12}计划|年度工作计划|学年", title):
        return "year"
    if HOSPITAL_PLAN.search(title):
        return "year"  # a hospital plans by the year: it has no terms
    return "term"


def extract(document: Document) -> Extraction:
    texts = document.texts
    clauses = split_lines(texts)
    sentences: dict[int, list[Clause]] = {}
    for clause in clauses:
        sentences.setdefault(clause.sentence, []).append(clause)
    targets: list[Target] = []
    skip: set[tuple[int, int, int]] = set()
    period = horizon(texts)
    scopes = heading_scopes(texts)
    for sentence in sentences.values():
        whole = "".join(clause.norm for clause in sentence)
        scope = scopes.get(sentence[0].line)
        headed = scope.goal if scope is not None else None  # under "（二）教研发展目标"
        goal = goal_label(sentence) or headed
        for index, clause in enumerate(sentence):
            before = "".join(c.norm for c in sentence[:index])
            for target, start in find_targets(
                clause, whole, before, horizon=period, goal=goal, headed=bool(headed)
            ):
                targets.append(target)
                skip.add((clause.sentence, index, start))  # sentence: unique, lines may hold many
    reader = SentenceReader(period, skip, scopes)
    requirements: list[Requirement] = []
    previous: list[Clause] = []
    for sentence in sentences.values():
        context = previous if previous and previous[0].line == sentence[0].line else []
        found = reader.read(sentence, context)
        requirements.extend(found)
        previous = sentence
    if is_group_plan(reader.title):
        for target in targets:
            target.owner = "group"
    return Extraction(attach_caps(requirements), targets, analyse(document.lines))


def extract_text(text: str) -> Extraction:
    return extract(read_text(text))
