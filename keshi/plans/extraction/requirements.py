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
    GROUP_ROLES,
    TEACHERS,
    Subject,
    default_owner,
    is_total,
    segment_subject,
    subject_of,
    title_role,
)
from .clauses import Clause
from .numerals import NUMBER, adjacent_range, parse_number
from .targets import goal_label
from .vocab import (
    GOAL_QUANTITY,
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
    rf"^[必须需应要都还得能当可]{{0,4}}(?:写|读|听|上|交|做|开|撰写|完成|参加|上交)?"
    rf"(?:{PREFIX_RE.pattern}|{NUMBER}\s*(?:余|多)?\s*{UNIT})"
)  # 一学期至少写一篇, 一学期要写5000字
DISTRIBUTOR = re.compile(r"每(?:人|位|名|个|师|一位|一名|一个|篇|次|节|单元|组|班)|人人|人均")
PER_ITEM = re.compile(r"每(?:篇|次|节|份|单元)")
REWARD = re.compile(r"论处|扣分|加分|给予奖励|记功|扣(?:除)?\s*\d+\s*(?:分|元)|罚款|惩\s*\d")
ORDINAL = re.compile(r"第(?:[\d一二三四五六七八九十]+、)*$")
WORD_ONE = "同统唯万之逐划专单任某每"
HELD_IN_PERIOD = re.compile(
    rf"(?:本学期|本期|本学年|本年度|今年|全年)[^，,。；;]{{0,4}}?"
    rf"(?:组织|举办|召开|举行|开展)(?:{NUMBER})(?:次|场|届)"
)
FREQUENT = {"day", "week", "2weeks", "month"}
GROUP_ROUTINE = FREQUENT - {"day"}
LENGTH = re.compile(r"每次(?:活动|时间)?(?:不少于|至少|不低于|约)?\s*$")
TIMES = {"课时", "小时", "分钟", "学时", "节"}
# A clause that states a condition ("如青年教师已开课，指导教师…") names no one who owes what follows.
CONDITION = re.compile(r"^\s*(?:如果?|若|假如|倘若|凡是?)(?!何|期)")
TEXT_UNITS = {"篇", "份", "本", "字", "张", "版"}
# Where the noun phrase after a count ends and a verb of someone else's begins.
NOUN_END = re.compile(r"供|交给|交由|由|并|以便|用于|后(?:交|由|进行)|进行|作为")
GOVERNING_KINDS = [("听", "observation"), ("读|阅读|精读|学习", "reading")]
GOVERNING_KINDS += [("查", "inspection"), ("备", "lesson_plan"), ("上", "open_class")]
GOVERNING = re.compile(
    r"(?:听|阅读|精读|读|学习|(?<![检抽调审排普核])查|(?<![准预])备|(?<![以之向晚早马])上)"
    r"(?:至少|不少于)?$"
)


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
    # a quote still open where the clause ends ("教研组每周“四个一”:" cut at the colon) runs on
    pattern = r"“[^”]*(?:”|$)|\"[^\"]*\"|「[^」]*(?:」|$)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


FILING = re.compile(r"一式$")
ISSUE = re.compile(r"[^，,。；;]{0,4}?(?:报|刊|专栏|简讯|橱窗|宣传栏)")
FILED_COPY = re.compile(
    r"(?:(?:交|送|报|留|存)[^，,。；;]{0,6}?(?:处|室|办|档|案|部|组)|各(?:存|留|执|持|保存))(?:一|1)份$"
)
DISPATCH = re.compile(
    rf"(?:安排|选派|派出|选送|输送|推荐)(?P<n>{NUMBER})\s*(?:名|人)(?=\s*(?:外出|参加|到|赴|去)?"
    r"[^，,。；;]{0,10}(?:进修|培训|学习|研修|跟岗|挂职))"
)


def quantities(text: str, *, goal: bool = False) -> list[Quantity]:
    """The counts of a clause; ``goal``: of a personal goals line, which counts people too."""
    found: list[Quantity] = []
    quoted = _quoted(text)
    for match in (GOAL_QUANTITY if goal else QUANTITY).finditer(text):
        start, before = match.start(), text[: match.start()]
        first = match["n1"] or match["n"]
        unit = match["unit"] or match["unit1"]
        if ORDINAL.search(before) or any(a <= start < b for a, b in quoted):
            continue
        if first.startswith("一") and before[-1:] and before[-1] in WORD_ONE:
            continue
        periodical = re.search(r"(?:一|每)(?:学)?(?:年|学期)$", before)
        if unit == "期" and not periodical and not ISSUE.match(text[match.end() :]):
            continue  # 每学年两期 or 每周出一期黑板报 (an issue of a paper), not 二期工程
        if unit.endswith("工作日") and re.search(r"(?:最后|最初|头|首|前|后)$", before):
            continue  # 每月最后一个工作日前: a date
        if FILING.search(before) or (unit == "份" and FILED_COPY.search(text[: match.end()])):
            continue  # 一式三份, 交教导处一份: copies of a document, not a quota
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
    for match in DISPATCH.finditer(text):  # 每半年安排一人外出进修: people sent
        try:
            value = parse_number(match["n"])
        except ValueError:
            continue
        found.append(Quantity(match.start("n"), match.end(), value, None, "人", False))
    return sorted(found, key=lambda quantity: quantity.start)


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
    if re.search(r"达\s*$", window):
        return ">=", False  # 听课达10节: "reach" is a floor
    if quantity.more:
        return ">=", False
    return None, False


CREDIT_BEFORE = re.compile(r"(?:记|计|得|扣|奖|加|折合|折算|赋|给予?|每(?:篇|次|节|项|份|本))\s*$")
TRAINING_WORD = re.compile(r"培训|研修|学习|进修|继续教育|讲座|网络|远程")


def is_credit(text: str, quantity: Quantity, low: int, own_period: list) -> bool:
    """学时/学分 that an item earns, not a quota: "每次记2学时", "每篇1.5学时", "提供一份教学
    设计0.5学时", a cell or bracket "(2.5学时)". A credit has no comparator, and no period or
    training word of its own."""
    if quantity.unit not in ("学时", "学分"):
        return False
    if comparator(text, quantity, low)[0] or quantity.value_max is not None:
        return False  # 最多折算20学时 is a cap (caps.py), 不少于72学时 a quota
    if CREDIT_BEFORE.search(text[low : quantity.start]):
        return True
    return not own_period and not TRAINING_WORD.search(text[: quantity.start])


def is_article(sentence: list[Clause], ci: int, found: list[Quantity], qi: int) -> bool:
    """A bare 一份/一本 before the clause's real count is an article: "提供一份教学设计至少4篇",
    "读完一本专著必须完成2篇读书心得", or before the bracket right after it: "一份教学设计
    (至少4份)"."""
    text = sentence[ci].norm
    quantity = found[qi]
    if quantity.value != 1 or text[quantity.start] != "一" or quantity.unit not in ("份", "本"):
        return False
    if comparator(text, quantity, 0)[0]:
        return False
    later = found[qi + 1 :]
    following = sentence[ci + 1] if ci + 1 < len(sentence) else None
    if following is not None and following.paren:
        later += quantities(following.norm)
    return any(other.value != 1 and other.unit not in ("学时", "学分", "字") for other in later)


def is_qualifier(sentence: list[Clause], ci: int, quantity: Quantity) -> bool:
    """A bracket that holds nothing but a count, right after a clause with a count of its own,
    says how long that item is ("开好一次研讨课(3∽6节)"): it is not a second quota."""
    clause = sentence[ci]
    if not clause.paren or ci == 0 or sentence[ci - 1].paren:
        return False
    rest = clause.norm[: quantity.start] + clause.norm[quantity.end :]
    return not re.sub(r"[\s约共计]", "", rest) and bool(quantities(sentence[ci - 1].norm))


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
    if any(q.value_max is not None for q in quantities(text)):
        return True  # 开展3-4次主题式研讨: a range is said only of a quota
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
    for strict in (True, False) if loose else (True,):
        # after a count of events, their head word (the last: 一次…意见交流, 一次…论文竞赛);
        # after a count of texts, the first they name (一篇教学反思或案例分析)
        head = quantity.unit not in TEXT_UNITS
        kind = _pick(kind_hits(after), quantity.unit, last=head, strict=strict)
        kind = kind or _pick(kind_hits(item), quantity.unit, last=True, strict=strict)
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


def _after_period(
    text: str, head: int, markers: list[Marker], counts: list[Quantity]
) -> Subject | None:
    """A subject named after the period that opens the clause: "每学期青年教师至少阅读2本"."""
    opening = [marker for marker in markers if marker.start == head]
    if not opening:
        return None
    start = opening[0].end
    end = min([q.start for q in counts if q.start >= start] + [len(text)])
    words = text[start:end]
    comparing = PREFIX_RE.search(words)
    words = words[: comparing.start()] if comparing else words
    if re.match(r"[对向为给和与]", words):
        return None  # "每学期对每位教师至少听课两节": the teachers are the object
    subject = subject_of(words)
    if subject == Subject("person") and not TEACHERS.match(words):
        return None  # "每周处室全体成员开好一次碰头会": the office's meeting, no one's quota
    return subject


def _owed(subject: Subject) -> list[tuple[str, str | None, dict]]:
    """(owner, who, audience) of each requirement a subject gives: one per post, per unit."""
    return [
        (part.owner, who, part.audience(who))
        for part in (subject, *subject.also)
        for who in part.whos
    ]


class SentenceReader:
    """Reads one sentence's clauses left to right, carrying period, comparator and subject."""

    def __init__(
        self, horizon: str, skip: set[tuple[int, int, int]], scopes: dict | None = None
    ) -> None:
        self.horizon, self.skip = horizon, skip
        self.scopes = scopes or {}  # line → the period heading above it (headings.py)
        self.title = ""  # the plan's first lines: a group's own plan owns its events

    def read(self, sentence: list[Clause], context: list[Clause]) -> list[Requirement]:
        if sentence[0].line < 3:
            self.title += "".join(clause.norm for clause in sentence)
        whole = "".join(clause.norm for clause in sentence)
        signals = [has_signal(clause.norm) for clause in sentence]
        label = goal_label(sentence)
        personal = bool(label and "个人" in label)  # 个人发展目标：…: each count is a quota
        if personal:
            signals = [True] * len(sentence)
        found: list[Requirement] = []
        carry_period, carry_op = None, None
        carry_subject: Subject | None = None
        scope = self.scopes.get(sentence[0].line)
        if scope is not None:  # "二、班主任每周应该做的事" above: weekly, the 班主任's
            carry_period, carry_subject = scope.period, scope.subject
        for ci, clause in enumerate(sentence):
            text = clause.norm
            markers = period_markers(text)
            reward = any(REWARD.search(c.norm) for c in sentence[ci:])
            own_period = [marker for marker in markers if marker.signal]
            counts = quantities(text, goal=personal)
            low = 0
            head = min([m.start for m in markers] + [q.start for q in counts] + [len(text)])
            own = subject_of(text[:head], whole) or _after_period(text, head, markers, counts)
            subject = own or carry_subject
            for qi, quantity in enumerate(counts):
                if (clause.sentence, ci, quantity.start) in self.skip:
                    continue
                if reward and not own_period:
                    low = quantity.end
                    continue
                headed = scope is not None and quantity.unit not in ("个", "项")
                if (
                    not signals[ci]
                    and not headed
                    and (not any(signals) or quantity.unit in ("个", "项"))
                ):
                    low = quantity.end
                    continue
                if (
                    is_credit(text, quantity, low, own_period)
                    or is_article(sentence, ci, counts, qi)
                    or is_qualifier(sentence, ci, quantity)
                ):
                    low = quantity.end
                    continue
                if qi and not personal and (later := segment_subject(text[low : quantity.start])):
                    subject = own = later
                period = self._period(
                    text, quantity, markers, carry_period, headed=scope is not None
                )
                op, distributes = comparator(text, quantity, low)
                if op is None and quantity.value_max is not None:
                    op = ">="
                if op is None and carry_op and (not own_period or clause.paren):
                    op, distributes = carry_op, True
                op = op or "="
                kind = choose_kind(sentence, ci, quantity, low, context)
                bare = (
                    kind in (None, "other")
                    and quantity.unit == "次"
                    and period in GROUP_ROUTINE
                    and self._group_post(subject)
                )  # 每周一次: a group's meeting; 每天三次巡视 is no group's, nor a 班主任's 家访
                if bare:
                    kind = kind or "group_activity"
                kind = kind or choose_kind(sentence, ci, quantity, low, context, loose=True)
                bound = subject or (
                    Subject("person")  # a personal goal is the writer's own to do
                    if personal
                    else self._default(kind, text, quantity, bare=bare)
                )
                if bound == Subject("person") and is_total(
                    kind, quantity.value, quantity.unit, whole
                ):
                    bound = Subject("org")  # 教师撰写论文不少于100篇: the staff's total
                owed = _owed(bound)
                if found and LENGTH.search(text[low : quantity.start]) and quantity.unit in TIMES:
                    item = found[-1]  # "集体备课每周一次，每次两课时": the length of that item
                    kind = item.kind
                    owed = [(item.owner, item.who, item.audience)]
                for owner, who, audience in owed:
                    found.append(
                        Requirement(
                            source=clause.text,
                            value=quantity.value,
                            value_max=quantity.value_max,
                            op=op,
                            unit=quantity.unit,
                            period=period,
                            kind=kind or "other",  # counted work the vocabulary lacks
                            who=who,
                            line=clause.line,
                            audience=audience,
                            owner=owner,
                        )
                    )
                carry_period = period if not PER_ITEM.search(text) else carry_period
                carry_op = (
                    op if distributes and clause.ends not in ";；" and not clause.paren else None
                )  # a comparator in brackets stays there
                low = quantity.end
            if own and not clause.paren and not (CONDITION.match(text) and not counts):
                carry_subject = own  # a subject in brackets, or in a condition, stays there
            if own_period and not found:
                carry_period = own_period[-1].period
        return found

    def _group_post(self, subject: Subject | None) -> bool:
        """Whether a bare routine (每周一次) may be a group's: not when a post other than a
        group lead's owns it (a 班主任's duties, or the heading above names one)."""
        posts = [title_role(self.title)]
        if subject is not None and subject.owner == "role":
            posts += subject.whos
        return all(post is None or post in GROUP_ROLES for post in posts)

    def _default(self, kind: str | None, text: str, quantity: Quantity, *, bare: bool) -> Subject:
        """Who owes a quota whose sentence names no subject: a duties document's post, the org
        or a group for the events they hold, else everyone."""
        group_plan = bool(GROUP_PLAN.search(self.title))
        owner = default_owner(kind, text[: quantity.start], text, group_plan=group_plan, bare=bare)
        post = title_role(self.title)
        if post and owner in ("person", "org"):
            return Subject("role", (post,))
        return Subject(owner)

    def _period(
        self,
        text: str,
        quantity: Quantity,
        markers: list[Marker],
        carry: str | None,
        *,
        headed: bool = False,
    ):
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
        return carry if headed else carry or self.horizon  # 每半期 above: no period
