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
    CLASS_WORK,
    GROUP_ROLES,
    HOSPITAL_PLAN,
    PER_PERSON,
    TEACHERS,
    Subject,
    default_owner,
    is_group_plan,
    is_total,
    segment_subject,
    subject_of,
    title_role,
)
from .clauses import Clause
from .counts import Marker, Quantity, period_markers, quantities
from .kinds import choose_kind
from .numerals import NUMBER
from .targets import goal_label
from .vocab import (
    PER_SUFFIX,
    PREFIX_OPS,
    PREFIX_RE,
    SUFFIX_OPS,
    SUFFIX_RE,
    UNIT,
)

DISTRIBUTOR = re.compile(r"每(?:人|位|名|个|师|一位|一名|一个|篇|次|节|单元|组|班)|人人|人均")
PER_ITEM = re.compile(r"每(?:篇|次|节|份|单元)")
REWARD = re.compile(
    r"论处|扣分|加分|给予奖励|记功|扣(?:除)?\s*\d+\s*(?:分|元)|罚款|惩\s*\d|取消[^，,。；;]{0,6}资格"
)
THRESHOLD = re.compile(r"\s*(?:及|或)?(?:以上|以下)的?者")  # 累计缺课3次以上者
HELD_IN_PERIOD = re.compile(
    rf"(?:本学期|本期|本学年|本年度|今年|全年)[^，,。；;]{{0,4}}?"
    rf"(?:组织|举办|召开|举行|开展)(?:{NUMBER})(?:次|场|届)"
)
FREQUENT = {"day", "week", "2weeks", "month"}
GROUP_ROUTINE = FREQUENT - {"day"}
LENGTH = re.compile(r"每次(?:活动|时间)?(?:不少于|至少|不低于|约)?\s*$")
TIMES = {"课时", "小时", "分钟", "学时", "节"}
# A clause that states a condition ("如青年教师已开课，指导教师…") names no one who owes what follows;
# 凡 + people ("凡新入职的教师，…") names all of them: the subject.
CONDITION = re.compile(
    r"^\s*(?:如果?|若|假如|倘若|凡是?(?!.*(?:教师|老师|人员|医师|护士|者)$))(?!何|期)"
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
    opening = OPENING_OP.match(text) if low == 0 else None
    if opening:  # "至少在省级刊物上发表或在学术会议上宣读论文1篇": it opens the clause
        return PREFIX_OPS[opening["op"]], True
    if re.search(r"达\s*$", window):
        return ">=", False  # 听课达10节: "reach" is a floor
    if quantity.more:
        return ">=", False
    return None, False


OPENING_OP = re.compile(rf"^\W*(?:原则上|每\w{{1,2}})?(?P<op>{PREFIX_RE.pattern})")
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


RULES_TITLE = re.compile(r"制度|办法|规定|规范|细则|职责")
TIME_LIMIT = re.compile(r"\s*(?:以内|之内|内)(?=[\u4e00-\u9fa5])(?![容部外涵])")


def is_time_limit(text: str, quantity: Quantity) -> bool:
    """ "30分钟内完成分诊", "会诊后48小时内": a time within which each case is done — a
    per-item limit (<=, no period)."""
    return quantity.unit in ("小时", "分钟") and bool(TIME_LIMIT.match(text[quantity.end :]))


def has_signal(text: str) -> bool:
    if any(marker.signal for marker in period_markers(text)):
        return True
    if (
        PREFIX_RE.search(text)
        or DISTRIBUTOR.search(text)
        or re.search(r"/\s*(?:学期|学年|年|月|周)", text)
        or re.search(rf"(?:必须|务必)[^，,；;]{{0,12}}?{NUMBER}\s*{UNIT}", text)
    ):
        return True  # 必须旁听指导教师一次授课: an obligation counts too
    if HELD_IN_PERIOD.search(text):
        return True  # 本学期开展两次…大赛: an event the plan schedules
    if any(q.value_max is not None for q in quantities(text)):
        return True  # 开展3-4次主题式研讨: a range is said only of a quota
    return any(SUFFIX_RE.match(text[q.end :]) or q.more for q in quantities(text))


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


def item_of(sentence: list[Clause], ci: int) -> str:
    """The clause a bracket follows, which the bracket qualifies; "" for any other clause."""
    clause = sentence[ci]
    return sentence[ci - 1].norm if clause.paren and ci and not sentence[ci - 1].paren else ""


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
        goals = (
            scope is not None
            and scope.goal is not None
            and not label
            and not any(marker.signal for marker in period_markers(whole))
        )  # a recurring quota (每月写一篇反思) under 工作目标 stays a quota
        if goals:  # under "（二）教研发展目标": each count is a goal of the org
            signals = [True] * len(sentence)
        if scope is not None:  # "二、班主任每周应该做的事" above: weekly, the 班主任's
            carry_period, carry_subject = scope.period, scope.subject
            if not scope.sets_period:  # "导师的主要职责有：" above: its subject only
                scope = None
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
                if (reward and not own_period) or THRESHOLD.match(text[quantity.end :]):
                    low = quantity.end  # 缺勤3次以上者取消资格: who is penalised, not a quota
                    continue
                headed = scope is not None and quantity.unit not in ("个", "项")
                limit = is_time_limit(text, quantity)
                if (
                    not signals[ci]
                    and not headed
                    and not limit
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
                op = op or (">=" if goals else "=")  # a goal is a floor: 发表论文10篇
                kind = choose_kind(sentence, ci, quantity, low, context)
                if limit:  # 24小时内查看新入院患者: a limit on each case, not a count
                    op, period, kind = "<=", None, "other"
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
                    else Subject("org")
                    if goals
                    else self._default(kind, text, quantity, bare=bare, item=item_of(sentence, ci))
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

    def _default(
        self, kind: str | None, text: str, quantity: Quantity, *, bare: bool, item: str = ""
    ) -> Subject:
        """Who owes a quota whose sentence names no subject: a duties document's post, the org
        or a group for the events they hold, else everyone. ``item``: the words a bracket
        qualifies (教研组会议制度(每两周一次))."""
        post = title_role(self.title)  # a duties document is a post's, not a group's plan
        group_plan = is_group_plan(self.title) and post is None
        before, text = item + text[: quantity.start], item + text
        owner = default_owner(kind, before, text, group_plan=group_plan, bare=bare)
        if quantity.unit == "人":  # 每半年安排一人外出进修: the org sends them
            owner = "group" if group_plan else "org"
        hospital = (
            HOSPITAL_PLAN.search(self.title)
            and not RULES_TITLE.search(self.title)  # a 制度 binds its staff
            and not PER_PERSON.search(before)
        )
        if owner == "person" and hospital and post is None:
            owner = "org"  # a department's plan: 每月开展2次专题讲座 is the department's
        if post and (owner in ("person", "org") or CLASS_WORK.search(text)):
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
