"""Which activity kind a count counts (听15节公开课 → observation): the words around it, the verb
that governs it, then the other clauses of its sentence, then the sentence before — each word
only where it fits the count's unit (篇 fits texts, 次 fits events).
"""

import re
from itertools import takewhile

from .clauses import Clause
from .counts import Quantity, quantities
from .vocab import UNIT_KINDS, compatible, kind_hits, mask_titles

TEXT_UNITS = {"篇", "份", "本", "字", "张", "版"}
# Where the noun phrase after a count ends and a verb of someone else's begins.
NOUN_END = re.compile(r"供|交给|交由|由|并|以便|用于|后(?:交|由|进行)|进行|作为")
GOVERNING_KINDS = [("听", "observation"), ("读|阅读|精读|学习", "reading")]
GOVERNING_KINDS += [("查", "inspection"), ("备", "lesson_plan"), ("上", "open_class")]
GOVERNING = re.compile(
    r"(?:听|阅读|精读|读|学习|(?<![检抽调审排普核])查|(?<![准预])备|(?<![以之向晚早马])上)"
    r"(?:至少|不少于)?$"
)
ADJACENT = re.compile(r"(?:至少|不少于|不低于|不超过|最多|达到|约|各|共|累计|\s)*$")
LENGTH_UNITS = {"课时", "小时", "分钟", "学时", "节", "字"}


def _pick(hits, unit: str, *, last: bool, strict: bool = True) -> str | None:
    good = [hit for hit in hits if not strict or compatible(hit.kind, unit)]
    if not good:
        return None
    return (good[-1] if last else good[0]).kind


def _checked(before: str, unit: str) -> str | None:
    """ "检查业务学习记录一次": an inspection of a kind's records is the inspection, counted in
    events (a count of texts after it is the texts: 检查后撰写反思1篇)."""
    hits = kind_hits(before)
    if unit not in TEXT_UNITS and hits and any(hit.kind == "inspection" for hit in hits[:-1]):
        return "inspection"
    return None


def _other_clauses(
    sentence: list[Clause], ci: int, quantity: Quantity
) -> list[tuple[Clause, bool]]:
    """The sentence's other clauses in the order they may name this count's kind, each with
    whether its last kind word counts (a clause before) or its first (one after). A bare count
    ("每周一次") names the item after it; a bracket qualifies the item before it, never what
    follows it. A clause that counts in another unit (听课3节 next to 谈话1次) names its own
    item; a length (不少于3000字) is of the item before it."""
    clause = sentence[ci]

    def counts_alike(other: Clause) -> bool:
        return all(q.unit == quantity.unit for q in quantities(other.norm))

    before = [sentence[i] for i in range(ci - 1, -1, -1)]
    after = [c for c in sentence[ci + 1 :] if counts_alike(c)]
    if clause.paren:
        after = list(takewhile(lambda c: c.paren, after))
    qualified = sentence[ci - 1] if ci and clause.paren else None  # 教学设计0.5学时(至少4份)
    if quantity.unit not in LENGTH_UNITS:
        before = [c for c in before if c is qualified or counts_alike(c)]
    bare = len(re.sub(r"[\W\d]", "", mask_titles(clause.norm))) <= 6 and not clause.paren
    ordered = [(c, False) for c in after] + [(c, True) for c in before]
    return ordered if bare else ordered[len(after) :] + ordered[: len(after)]


def choose_kind(
    sentence: list[Clause],
    ci: int,
    quantity: Quantity,
    low: int,
    context: list[Clause],
    *,
    loose: bool = False,
) -> str | None:
    if UNIT_KINDS.get(quantity.unit) == {"other"}:
        return "other"
    text = mask_titles(sentence[ci].norm)
    after = re.split(r"[、/]", text[quantity.end :], maxsplit=1)[0]
    after = NOUN_END.split(after, maxsplit=1)[0]  # 一份手写教案|供组长检查: the noun phrase
    before = text[low : quantity.start]
    around = [h for h in kind_hits(text) if h.start < quantity.start and h.end >= quantity.end]
    if around and compatible(around[0].kind, quantity.unit):
        return around[0].kind  # 听徒弟1节课
    # the verb right before the count governs it: 听15节公开课, 至少听 5 次
    verb = GOVERNING.search(before.rstrip()[-3:])
    if verb:
        word = re.sub(r"至少|不少于", "", verb[0])
        kind = next(kind for pattern, kind in GOVERNING_KINDS if re.fullmatch(pattern, word))
        taught = word != "上" or "课" in after  # 上一节提高课, not 上一次…
        if taught and quantity.unit in UNIT_KINDS and kind in UNIT_KINDS[quantity.unit]:
            return kind
    item = before.rsplit("、", 1)[-1]  # in a list "听一节汇报课、查一次作业", the item's own words
    adjacent = ADJACENT.sub("", before)
    hits = [hit for hit in kind_hits(adjacent) if hit.end == len(adjacent)]
    if hits and quantity.unit == "次":  # 摘记不少于10次: what is done that many times
        return _checked(item, quantity.unit) or hits[-1].kind
    for strict in (True, False) if loose else (True,):
        # after a count of events, their head word (the last: 一次…意见交流, 一次…论文竞赛);
        # after a count of texts, the first they name (一篇教学反思或案例分析)
        head = quantity.unit not in TEXT_UNITS
        kind = _pick(kind_hits(after), quantity.unit, last=head, strict=strict)
        kind = kind or _checked(item, quantity.unit)
        kind = kind or _pick(kind_hits(item), quantity.unit, last=True, strict=strict)
        kind = kind or _pick(kind_hits(before), quantity.unit, last=True, strict=strict)
        if kind:
            return kind
        for clause, last in _other_clauses(sentence, ci, quantity):
            kind = _pick(
                kind_hits(mask_titles(clause.norm)), quantity.unit, last=last, strict=strict
            )
            if kind:
                return kind
        if strict:
            for clause in reversed(context):
                kind = _pick(kind_hits(mask_titles(clause.norm)), quantity.unit, last=True)
                if kind:
                    return kind
        if "活动" in text and quantity.unit in ("次", "场"):
            return "group_activity"
    if quantity.unit in ("学时", "学分"):
        return "training"
    return None
