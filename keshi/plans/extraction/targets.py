"""Department targets (指标): 床位使用率达到85%以上, 平均住院日不超过9天, 门诊人次较上年增长20%.

A target is a percentage said of a measure (…率, …度, 占比, growth), or a value in 天/分钟/例 said of
an indicator (平均住院日, …时间) without a per-person period — 每天作业时间不超过60分钟 is a
requirement, not a target. Percentages that measure nothing (平时成绩占30%) are skipped.
"""

import re
from dataclasses import dataclass

from .clauses import Clause
from .numerals import NUMBER, parse_number
from .vocab import PREFIX_OPS, PREFIX_RE, SUFFIX_OPS, SUFFIX_RE

PERCENT = re.compile(
    rf"(?P<n1>{NUMBER})\s*%?\s*(?:[-—–―~～至到]+)\s*(?P<n2>{NUMBER})\s*%|(?P<n>{NUMBER})\s*(?P<unit>[%‰])"
)
INDICATOR_VALUE = re.compile(
    rf"(?P<n1>{NUMBER})\s*(?:[-—–―~～至到]+)\s*(?P<n2>{NUMBER})\s*(?P<unit1>天|日|分钟|小时|例|人次|台次|万元)"
    rf"|(?P<n>{NUMBER})\s*(?P<unit>天|日|分钟|小时|例|人次|台次|万元)"
)
MEASURE = re.compile(
    r"率|度|占比|比例|比重|总量|人数|人次|增长|下降|提高|降低|提升|减少|达到|控制|保持"
)
INDICATOR = re.compile(r"住院日|时间|天数|例数|台次|人次|周转|收入|费用")
GROWTH = re.compile(r"增长|增加|提高|提升|上升")
DECLINE = re.compile(r"下降|降低|减少")
VERBS = re.compile(
    r"达到|保持在|控制在|稳定在|提高到|提高至|提升到|提升至|降至|降低到|降低至|增长|增加|提高|提升|"
    r"下降|降低|减少|不低于|不少于|不超过|低于|高于|超过|少于|≥|≤|<|>|为"
)
BASELINE = [(r"较上学期|比上学期", "term"), (r"较上(?:学)?年|比上(?:学)?年|同比|全年|年度", "year")]
DISTRIBUTIVE = re.compile(r"每(?:天|日|周|月|人|位|名|次|学期)")


@dataclass
class Target:
    source: str
    metric: str
    value: float
    value_max: float | None
    op: str
    unit: str
    period: str | None
    line: int = 0

    def to_dict(self) -> dict:
        def plain(number):
            return int(number) if isinstance(number, float) and number.is_integer() else number

        return {
            "source": self.source,
            "metric": self.metric,
            "value": plain(self.value),
            "value_max": plain(self.value_max),
            "op": self.op,
            "unit": self.unit,
            "period": self.period,
        }


def _op(text: str, start: int, end: int, ranged: bool) -> str:
    suffix = SUFFIX_RE.match(text[end:])
    if suffix and suffix[0] not in ("余", "多"):
        return SUFFIX_OPS[suffix[0]]
    prefix = list(PREFIX_RE.finditer(text[max(0, start - 8) : start]))
    if ranged:
        return ">="
    if prefix:
        return PREFIX_OPS[prefix[-1][0]]
    before = text[max(0, start - 8) : start]
    if GROWTH.search(before) or DECLINE.search(before):
        return ">="
    return "="


def _metric(text: str, start: int) -> str:
    head = re.split(r"[、，,；;：:（(]", text[:start])[-1]
    verb = list(VERBS.finditer(head))
    if verb:
        cut = verb[-1]
        word = cut[0]
        metric = head[: cut.start()]
        if GROWTH.fullmatch(word) or DECLINE.fullmatch(word):
            metric += word
        elif not metric.strip():
            metric = head[cut.end() :]
    else:
        metric = head
    metric = re.sub(r"^(?:确保|力争|争取|全年|要|使|保证|实现)+", "", metric.strip())
    return metric.rstrip("的在为")


def _period(text: str) -> str | None:
    for pattern, period in BASELINE:
        if re.search(pattern, text):
            return period
    return None


def find_targets(clause: Clause, sentence_text: str, before: str = "") -> list[tuple[Target, int]]:
    """Targets of one clause with their start offsets (the requirement reader skips them).
    ``before`` is the sentence up to this clause: "D2B时间（…）控制在90分钟以内" names its measure
    in an earlier clause."""
    text, found = clause.norm, []
    for pattern, needs in ((PERCENT, MEASURE), (INDICATOR_VALUE, INDICATOR)):
        for match in pattern.finditer(text):
            head = text[: match.start()]
            if not needs.search((before + head)[-16:]) and not needs.search(
                text[match.end() : match.end() + 3]
            ):
                continue
            if pattern is INDICATOR_VALUE and DISTRIBUTIVE.search(head):
                continue
            if re.search(r"第$|^\s*[年月日号]", head[-1:] + text[match.end() : match.end() + 1]):
                continue
            ranged = bool(match["n1"])
            try:
                value = parse_number(match["n1"] or match["n"])
                value_max = parse_number(match["n2"]) if ranged else None
            except ValueError:
                continue
            unit = match.groupdict().get("unit") or match.groupdict().get("unit1") or "%"
            period = _period(text) or (_period(sentence_text) if GROWTH.search(text) else None)
            target = Target(
                source=clause.text,
                metric=_metric(text, match.start()) or _metric(before, len(before)),
                value=value,
                value_max=value_max,
                op=_op(text, match.start(), match.end(), ranged),
                unit=unit,
                period=period,
                line=clause.line,
            )
            found.append((target, match.start()))
    return found
