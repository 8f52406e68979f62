"""Quantitative requirements (量化要求) in a plan's clauses: 每学期听课不少于15节 and the like.

A number is a requirement when it carries a unit of work (节、篇、次、学时…) and its clause — or
its sentence — says it is a quota: a period (每周, 一学期), a comparator (不少于, 以上) or a
distributor (每人, 每位, 每篇). Years, dates, list numbers, ordinals (第三), slogans in quotes
("四个一") and rewards/penalties (每缺一次按旷课一节论处) are not. Clauses of one sentence share
context: "每师每期至少要设计一篇教案，撰写一篇论文" gives the second clause the first one's period,
comparator and audience.

Who owes it (``owner``): each person of the audience (``person``), each group (``group``:
每个教研组每月一次…), the org as an event it holds (``org``: 每月召开一次组长会), or the holders of
a post (``role``: 校长每学期听课不少于30节). A list of posts gives one requirement per post. The
subject flows to the following clauses of its sentence, never from a parenthesis and never
into the next sentence.
"""

import re
from dataclasses import dataclass, field

from .audience import (
    GROUP_PLAN,
    Subject,
    default_owner,
    is_total,
    segment_subject,
    subject_of,
    title_role,
)
from .clauses import Clause
from .numerals import NUMBER, adjacent_range, parse_number
from .vocab import (
    PER_SUFFIX,
    PERIODS,
    PREFIX_OPS,
    PREFIX_RE,
    QUANTITY,
    SUFFIX_OPS,
    SUFFIX_RE,
    UNIT,
    UNIT_KINDS,
    WEAK_PERIODS,
    compatible,
    kind_hits,
    mask_titles,
)

STRICT_FOLLOW = re.compile(
    rf"^[必须需应要都还得能当可]{{0,4}}(?:{PREFIX_RE.pattern}|{NUMBER}\s*(?:余|多)?\s*{UNIT})"
)
DISTRIBUTOR = re.compile(r"每(?:人|位|名|个|师|一位|一名|篇|次|节|单元|组|班)|人人|人均")
PER_ITEM = re.compile(r"每(?:篇|次|节|份|单元)")
REWARD = re.compile(r"论处|扣分|加分|给予奖励|记功")
ORDINAL = re.compile(r"第(?:[\d一二三四五六七八九十]+、)*$")
WORD_ONE = "同统唯万之逐划专单任某每"
HELD_IN_PERIOD = re.compile(
    rf"(?:本学期|本期|本学年|本年度|今年|全年)[^，,。；;]{{0,4}}?"
    rf"(?:组织|举办|召开|举行|开展)(?:{NUMBER})(?:次|场|届)"
)
FREQUENT = {"day", "week", "2weeks", "month"}
GOVERNING_KINDS = [("听", "observation"), ("读|阅读|精读|学习", "reading")]
GOVERNING = re.compile(r"(?:听|阅读|精读|读|学习)(?:至少|不少于)?$")


@dataclass
class Requirement:
    source: str
    value: float
    value_max: float | None
    op: str
    unit: str
    period: str | None
    kind: str | None
    who: str | None
    line: int = 0
    audience: dict = field(default_factory=dict)
    owner: str = "person"  # person | group | org | role

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "value": _plain(self.value),
            "value_max": _plain(self.value_max),
            "op": self.op,
            "unit": self.unit,
            "period": self.period,
            "kind": self.kind,
            "who": self.who,
            "owner": self.owner,
            "audience": self.audience or None,
        }


def _plain(number: float | None) -> float | int | None:
    return int(number) if isinstance(number, float) and number.is_integer() else number


@dataclass
class Marker:
    start: int
    end: int
    period: str | None
    signal: bool = True


@dataclass
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    more: bool


def period_markers(text: str) -> list[Marker]:
    markers: list[Marker] = []
    taken: set[int] = set()
    for pattern, period, strict in PERIODS:
        for match in re.finditer(pattern, text):
            if taken & set(range(match.start(), match.end())):
                continue
            if text[: match.start()].endswith("第"):
                continue
            if strict and not STRICT_FOLLOW.match(text[match.end() :]):
                continue
            markers.append(Marker(match.start(), match.end(), period))
            taken |= set(range(match.start(), match.end()))
    for pattern, period in WEAK_PERIODS:
        for match in re.finditer(pattern, text):
            markers.append(Marker(match.start(), match.end(), period, signal=False))
    return sorted(markers, key=lambda marker: marker.start)


def _quoted(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|\"[^\"]*\"|「[^」]*」", text)]


def quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    quoted = _quoted(text)
    for match in QUANTITY.finditer(text):
        start, before = match.start(), text[: match.start()]
        first = match["n1"] or match["n"]
        unit = match["unit"] or match["unit1"]
        if ORDINAL.search(before) or any(a <= start < b for a, b in quoted):
            continue
        if first.startswith("一") and before[-1:] and before[-1] in WORD_ONE:
            continue
        if unit == "期" and not re.search(r"(?:一|每)(?:学)?(?:年|学期)$", before):
            continue
        try:
            if match["n1"]:
                value, value_max = parse_number(match["n1"]), parse_number(match["n2"])
            elif span := adjacent_range(first):
                value, value_max = span
            else:
                value, value_max = parse_number(first), None
        except ValueError:
            continue
        more = bool(match["more"] or match["more1"])
        found.append(Quantity(start, match.end(), value, value_max, unit, more))
    return found


def comparator(text: str, quantity: Quantity, low: int) -> tuple[str | None, bool]:
    """The comparator of a quantity, and whether it distributes over the clauses that follow
    (a prefix does: "至少设计一篇教案，撰写一篇论文"; a suffix binds to its number: "3次以上")."""
    suffix = SUFFIX_RE.match(text[quantity.end :])
    if suffix and not (suffix[0] in ("余", "多") and quantity.more):
        return SUFFIX_OPS[suffix[0]], False
    window = text[max(low, quantity.start - 12) : quantity.start]
    found = list(PREFIX_RE.finditer(window))
    if found:
        return PREFIX_OPS[found[-1][0]], True
    if quantity.more:
        return ">=", False
    return None, False


def has_signal(text: str) -> bool:
    if any(marker.signal for marker in period_markers(text)):
        return True
    if (
        PREFIX_RE.search(text)
        or DISTRIBUTOR.search(text)
        or re.search(r"/\s*(?:学期|学年|年|月|周)", text)
    ):
        return True
    if HELD_IN_PERIOD.search(text):
        return True  # 本学期开展两次…大赛: an event the plan schedules
    return any(SUFFIX_RE.match(text[q.end :]) or q.more for q in quantities(text))


def _pick(hits, unit: str, *, last: bool, strict: bool = True) -> str | None:
    good = [hit for hit in hits if not strict or compatible(hit.kind, unit)]
    if not good:
        return None
    return (good[-1] if last else good[0]).kind


def choose_kind(
    sentence: list[Clause],
    ci: int,
    quantity: Quantity,
    low: int,
    context: list[Clause],
    *,
    loose: bool = False,
) -> str | None:
    text = mask_titles(sentence[ci].norm)
    after = re.split(r"[、/]", text[quantity.end :], maxsplit=1)[0]
    before = text[low : quantity.start]
    around = [h for h in kind_hits(text) if h.start < quantity.start and h.end >= quantity.end]
    if around and compatible(around[0].kind, quantity.unit):
        return around[0].kind  # 听徒弟1节课
    verb = GOVERNING.search(before[-3:])  # the verb right before the count governs it: 听15节公开课
    if verb:
        word = re.sub(r"至少|不少于", "", verb[0])
        kind = next(kind for pattern, kind in GOVERNING_KINDS if re.fullmatch(pattern, word))
        if quantity.unit in UNIT_KINDS and kind in UNIT_KINDS[quantity.unit]:
            return kind
    for strict in (True, False) if loose else (True,):
        kind = _pick(kind_hits(after), quantity.unit, last=False, strict=strict)
        kind = kind or _pick(kind_hits(before), quantity.unit, last=True, strict=strict)
        if kind:
            return kind
        others = [sentence[i] for i in range(ci - 1, -1, -1)]
        following = sentence[ci + 1 :]
        bare = len(re.sub(r"[\W\d]", "", text)) <= 6
        for clause in following + others if bare else others + following:
            hits = kind_hits(mask_titles(clause.norm))
            kind = _pick(hits, quantity.unit, last=clause in others, strict=strict)
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


class SentenceReader:
    """Reads one sentence's clauses left to right, carrying period, comparator and subject."""

    def __init__(self, horizon: str, skip: set[tuple[int, int, int]]) -> None:
        self.horizon, self.skip = horizon, skip
        self.title = ""  # the plan's first lines: a group's own plan owns its events

    def read(self, sentence: list[Clause], context: list[Clause]) -> list[Requirement]:
        if sentence[0].line < 3:
            self.title += "".join(clause.norm for clause in sentence)
        whole = "".join(clause.norm for clause in sentence)
        signals = [has_signal(clause.norm) for clause in sentence]
        found: list[Requirement] = []
        carry_period, carry_op = None, None
        carry_subject: Subject | None = None
        for ci, clause in enumerate(sentence):
            text = clause.norm
            markers = period_markers(text)
            reward = any(REWARD.search(c.norm) for c in sentence[ci:])
            own_period = [marker for marker in markers if marker.signal]
            low = 0
            head = min(
                [m.start for m in markers] + [q.start for q in quantities(text)] + [len(text)]
            )
            own = subject_of(text[:head], whole)
            subject = own or carry_subject
            for qi, quantity in enumerate(quantities(text)):
                if (clause.line, ci, quantity.start) in self.skip:
                    continue
                if reward and not own_period:
                    low = quantity.end
                    continue
                if not signals[ci] and (not any(signals) or quantity.unit in ("个", "项")):
                    low = quantity.end
                    continue
                if qi and (later := segment_subject(text[low : quantity.start])):
                    subject = own = later
                period = self._period(text, quantity, markers, carry_period)
                op, distributes = comparator(text, quantity, low)
                if op is None and quantity.value_max is not None:
                    op = ">="
                if op is None and carry_op and (not own_period or clause.paren):
                    op, distributes = carry_op, True
                op = op or "="
                kind = choose_kind(sentence, ci, quantity, low, context)
                bare = kind is None and quantity.unit == "次" and period in FREQUENT
                if bare:
                    kind = "group_activity"
                kind = kind or choose_kind(sentence, ci, quantity, low, context, loose=True)
                bound = subject or self._default(kind, text, quantity, bare=bare)
                if bound == Subject("person") and is_total(
                    kind, quantity.value, quantity.unit, whole
                ):
                    bound = Subject("org")  # 教师撰写论文不少于100篇: the staff's total
                for who in bound.whos:
                    found.append(
                        Requirement(
                            source=clause.text,
                            value=quantity.value,
                            value_max=quantity.value_max,
                            op=op,
                            unit=quantity.unit,
                            period=period,
                            kind=kind,
                            who=who,
                            line=clause.line,
                            audience=bound.audience(who),
                            owner=bound.owner,
                        )
                    )
                carry_period = period if not PER_ITEM.search(text) else carry_period
                carry_op = op if distributes and clause.ends not in ";；" else None
                low = quantity.end
            if own and not clause.paren:
                carry_subject = own  # a subject in brackets stays there
            if own_period and not found:
                carry_period = own_period[-1].period
        return found

    def _default(self, kind: str | None, text: str, quantity: Quantity, *, bare: bool) -> Subject:
        """Who owes a quota whose sentence names no subject: a duties document's post, the org
        or a group for the events they hold, else everyone."""
        group_plan = bool(GROUP_PLAN.search(self.title))
        owner = default_owner(kind, text[: quantity.start], text, group_plan=group_plan, bare=bare)
        post = title_role(self.title)
        if post and owner in ("person", "org"):
            return Subject("role", (post,))
        return Subject(owner)

    def _period(self, text: str, quantity: Quantity, markers: list[Marker], carry: str | None):
        per = re.match(r"\s*/\s*(学期|学年|周|月|年|天|日|期)", text[quantity.end :])
        if per:
            return PER_SUFFIX[per[1]]
        before = [marker for marker in markers if marker.end <= quantity.start]
        after = [marker for marker in markers if marker.start >= quantity.end and marker.signal]
        if before:
            return before[-1].period
        if after:
            return after[0].period
        if PER_ITEM.search(text[: quantity.start]) or quantity.unit in ("字", "分钟"):
            return None
        return carry or self.horizon
