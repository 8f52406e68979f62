"""Department targets (指标): 床位使用率达到85%以上, 平均住院日不超过9天, 门诊人次较上年增长20%.

A target is a percentage said of a measure (…率, …度, 占比, growth), or a value in 天/分钟/例 said of
an indicator (平均住院日, …时间) without a per-person period — 每天作业时间不超过60分钟 is a
requirement, not a target. Percentages that measure nothing (平时成绩占30%) are skipped.
"""

import re
from dataclasses import dataclass

from .clauses import Clause
from .numerals import NUMBER, parse_number
from .vocab import PERIODS, PREFIX_OPS, PREFIX_RE, SUFFIX_OPS, SUFFIX_RE

PERCENT = re.compile(
    rf"(?P<n1>{NUMBER})\s*%?\s*(?:[-—–―~～至到]+)\s*(?P<n2>{NUMBER})\s*%"
    rf"|(?P<n>{NUMBER})\s*(?P<unit>[%‰]|个?百分点)"
    r"|(?P<tenths>[一二三四五六七八九])成(?=以上|以下|左右)"  # 九成以上 = 90% or more
)
# A value of zero said of an adverse measure: 事故发生率0, 差错为零, 护理事故零发生, and a
# bracket after the measure: 压疮发生率(零目标).
ZERO = re.compile(
    r"(?<=[率数])\s*(?:为|是|保持为|控制为)?\s*(?P<n>0|零)(?![\d.%‰个])"
    r"|(?<=[率数故错诉纷件例])\s*为(?P<n2>零)|(?P<n3>零)(?=发生|事故|差错|投诉|纠纷|缺陷|感染|死亡|伤亡|目标)"
)
# A goal score in brackets, said of the measure before it: 合格率(目标值90分).
GOAL_SCORE = re.compile(rf"目标值\s*(?P<n>{NUMBER})\s*(?P<unit>分)")
# A share whose number comes first: 90%以上学生…, 确保80%以上的幼儿…, 九成以上的备课组….
SHARE_AFTER = re.compile(r"^\s*(?:及以上|以上|以下)?\s*的?\s*[\u4e00-\u9fff]")
SHARE_HEAD = re.compile(r"^(?:确保|力争|争取|使|让|要|有|保证|实现|达到|促进|推动)*$")
# Lower is better: a bare value of a measure ending in these is a ceiling (药占比30% → ≤ 30%).
LOWER_BETTER = re.compile(
    r"(?:(?:发生|差错|事故|投诉|纠纷|感染|死亡|病死|流失|辍学|近视|肥胖|缺陷|发病|复发|再入院|不良)率"
    r"|误差|(?:药|耗|药品|耗材)占比|(?:等候|等待|候诊|响应|出报告)时间|住院日|住院天数|费用)$"
)
# A goals line ("教师发展目标：培养校级骨干教师15名，…立项5项") states outcomes: its counts of
# people, projects and courses are the org's targets; a 个人…目标 line's are the writer's quotas.
GOAL_LABEL = re.compile(r"[\u4e00-\u9fff]{0,10}目标")
GOAL_UNIT = r"(?P<unit>名|门|项|所|套|部|个|位|家)(?![月年日次节篇学工小周星])"
GOAL_COUNT = re.compile(
    rf"(?<!第)(?P<n1>{NUMBER})\s*[-—–~～至到]\s*(?P<n2>{NUMBER})\s*{GOAL_UNIT}"  # 1-2名
    rf"|(?<!第)(?P<n>{NUMBER})\s*{GOAL_UNIT.replace('unit', 'unit1')}"
)
BARE_VERB = re.compile(r"(?:增长|增加|提高|提升|上升|下降|降低|减少|达到|达|保持|控制)?")
# Results of an exam held once a year are yearly targets.
YEARLY_EXAM = re.compile(r"高考|中考|学业水平考试|会考")
INDICATOR_VALUE = re.compile(
    rf"(?P<n1>{NUMBER})\s*(?:[-—–―~～至到]+)\s*(?P<n2>{NUMBER})\s*(?P<unit1>天|日|分钟|小时|例|人次|台次|万元)"
    rf"|(?P<n>{NUMBER})\s*(?P<unit>天|日|分钟|小时|例|人次|台次|万元)"
)
MEASURE = re.compile(
    r"率|度|占比|比例|比重|总量|人数|人次|增长|下降|提高|降低|提升|减少|达到|控制|保持|误差|偏差|目标"
)
# A baseline the target starts from: 将预约率从2025年的78%提升至85% — the 78% is no target.
BASELINE_FROM = re.compile(r"从[^，,；;从]{0,14}$")
BASELINE_TO = re.compile(
    r"\s*(?:的水平)?\s*(?:提升|提高|增加|增长|上升|下降|降低|减少|缩短|压缩)?(?:至|到)"
)
# "危急值处理及时性(目标≥98%)": the bracket names no measure of its own; the words before it do.
BRACKET_GOAL = re.compile(r"目标值?\s*[≥≤<>=]*\s*")
# An indicator counted in days, minutes, cases or visits; 目标 names one too (目标年内完成200例…).
INDICATOR = re.compile(
    r"住院日|时间|天数|例数|台次|人次|周转|收入|费用|人数|[诊术院务]量|目标|[比较]上(?:学)?年"
    r"|手术|门诊|出院|入院|病例|接诊"
)
GROWTH = re.compile(r"增长|增加|提高|提升|上升|(?:[比较]上(?:学)?年|同比)多")
DECLINE = re.compile(r"下降|降低|减少")
LOWER_TO = re.compile(r"(?:降|降低|下降|减少|缩短|压缩|减)(?:到|至)\s*$")
VERBS = re.compile(
    r"达到|保持在|控制在|稳定在|提高到|提高至|提升到|提升至|降至|降低到|降低至|增长|增加|提高|提升|"
    r"下降|降低|减少|不低于|不少于|不超过|低于|高于|超过|少于|≥|≤|<|>|为|达"
)
BASELINE = [(r"较上学期|比上学期", "term"), (r"较上(?:学)?年|比上(?:学)?年|同比|全年|年度", "year")]
CEILING_BEFORE = re.compile(r"控制在|保持在|不超过|缩短(?:到|至)|降(?:低)?(?:到|至)")
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
    owner: str = "org"  # a group's own plan sets the group's targets

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
            "owner": self.owner,
        }


def _op(text: str, start: int, end: int, ranged: bool, metric: str = "") -> str:
    """A target's comparator. A bare value names a floor (合格率100% is ≥ 100%), or a ceiling
    when the measure is one where less is better (药占比30%, 平均等候时间15分钟); 达/达到 say
    "reach", so "达20%左右" is ≥ too."""
    before = text[max(0, start - 8) : start]
    reach = re.search(r"达(?:到|至)?\s*$", before)
    suffix = SUFFIX_RE.match(text[end:])
    if suffix and suffix[0] not in ("余", "多") and not (SUFFIX_OPS[suffix[0]] == "=" and reach):
        return SUFFIX_OPS[suffix[0]]
    prefix = list(PREFIX_RE.finditer(before))
    if ranged:
        return ">="
    if prefix:
        return PREFIX_OPS[prefix[-1][0]]
    if LOWER_TO.search(before):
        return "<="  # 降至5%, 缩短到1.5小时: a ceiling to get under
    if GROWTH.search(before) or DECLINE.search(before) or reach:
        return ">="
    return "<=" if LOWER_BETTER.search(metric) else ">="


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
    if BRACKET_GOAL.fullmatch(metric) and re.search(r"[（(]\s*目标", text[:start]):
        metric = re.split(r"[、，,；;：:]", text[: text[:start].rfind(head) - 1])[-1]
    metric = re.sub(r"从.*$", "", metric)  # 将预约率从2025年的78%: the measure is 预约率
    metric = re.sub(r"^(?:将|把)", "", metric.strip())
    metric = re.sub(r"^(?:确保|力争|争取|全年|要|使|保证|实现)+", "", metric.strip())
    return metric.rstrip("的在为要需应")


def _period(text: str) -> str | None:
    for pattern, period in BASELINE:
        if re.search(pattern, text):
            return period
    return None


def _own_period(text: str, sentence_text: str) -> str | None:
    """The period a target's clause names (每季度…覆盖100%, 年护理事故发生率0), else None."""
    for pattern, period, strict in PERIODS:
        if not strict and period and re.search(pattern, text):
            return period
    if re.match(r"\s*年(?![级龄轻底初末])[\u4e00-\u9fff]", text):
        return "year"  # 年门诊量…, 年压疮发生率…: an annual figure
    if YEARLY_EXAM.search(sentence_text):
        return "year"
    return None


def _is_share(head: str, after: str) -> bool:
    """90%以上学生…, 确保80%以上的幼儿…: a share of a population, its number first."""
    return bool(SHARE_HEAD.fullmatch(head.strip()) and SHARE_AFTER.match(after))


def _value(match: re.Match) -> tuple[float, float | None]:
    groups = match.groupdict()
    if groups.get("tenths"):
        return parse_number(groups["tenths"]) * 10, None
    if any(groups.get(name) for name in ("n2", "n3")) and not groups.get("n1"):
        return 0, None  # ZERO: 为零, 零发生
    if groups.get("n1"):
        return parse_number(groups["n1"]), parse_number(groups["n2"])
    return parse_number(groups["n"]), None


def goal_label(sentence: list[Clause]) -> str | None:
    """The label of a goals line ("教师发展目标：…"), None for any other sentence."""
    first = sentence[0]
    if len(sentence) > 1 and first.ends in ":：" and GOAL_LABEL.fullmatch(first.norm.strip()):
        return first.norm.strip()
    return None


def find_targets(
    clause: Clause,
    sentence_text: str,
    before: str = "",
    *,
    horizon: str | None = None,
    goal: str | None = None,
    headed: bool = False,
) -> list[tuple[Target, int]]:
    """Targets of one clause with their start offsets (the requirement reader skips them).
    ``before`` is the sentence up to this clause: "D2B时间（…）控制在90分钟以内" names its measure
    in an earlier clause. A target whose clause names no period holds for ``horizon``, the
    plan's own period. ``headed``: the goal is a heading above the line, not its label."""
    text, found, spans = clause.norm, [], []
    patterns = [(PERCENT, MEASURE), (INDICATOR_VALUE, INDICATOR), (ZERO, None), (GOAL_SCORE, None)]
    if goal and "个人" not in goal and (before or headed):
        patterns.append((GOAL_COUNT, None))
    for pattern, needs in patterns:
        for match in pattern.finditer(text):
            if pattern is GOAL_COUNT and re.match(r"一[个项]", match[0]):
                continue  # 形成一个…: an article, not a count
            if any(start <= match.start() < end for start, end in spans):
                continue  # 5个百分点 is read once
            head, after = text[: match.start()], text[match.end() :]
            share = pattern is PERCENT and _is_share(head, after)
            if (
                needs is not None
                and not share
                and not needs.search((before + head)[-16:])
                and not needs.search(after[:3])
            ):
                continue
            if pattern is INDICATOR_VALUE and DISTRIBUTIVE.search(head):
                continue
            if (
                pattern is INDICATOR_VALUE
                and re.match(r"\s*(?:内|以内|之内)", after)
                and not CEILING_BEFORE.search(head[-10:])
            ):
                continue  # 24小时内完成: a deadline; 住院日控制在8天以内 is a ceiling
            if head.endswith("第") or re.match(r"\s*[年月日号]", after):
                continue  # 第一天, 5月: an ordinal or a date
            if BASELINE_FROM.search(head) and BASELINE_TO.match(after):
                continue  # 从78%提升至85%: where it starts, not where it must get
            ranged = bool(match.groupdict().get("n1"))
            try:
                value, value_max = _value(match)
            except ValueError:
                continue
            unit = match.groupdict().get("unit") or match.groupdict().get("unit1") or "%"
            if share:
                metric = re.sub(r"^\s*(?:及以上|以上|以下)?\s*的?", "", after)
            else:
                metric = _metric(text, match.start())
                if not metric or BRACKET_GOAL.fullmatch(metric):
                    metric = _metric(before, len(before)) or metric
            if BARE_VERB.fullmatch(metric):
                continue  # a bare "提高15%" names nothing it measures
            if pattern is ZERO:
                op = "="
            elif pattern is GOAL_SCORE:
                op = ">="
            else:
                op = _op(text, match.start(), match.end(), ranged, metric)
            period = (
                _period(text)
                or (_period(sentence_text) if GROWTH.search(text) else None)
                or _own_period(text, sentence_text)
                or horizon
            )
            target = Target(
                source=clause.text,
                metric=metric,
                value=value,
                value_max=value_max,
                op=op,
                unit=unit,
                period=period,
                line=clause.line,
            )
            found.append((target, match.start()))
            spans.append((match.start(), match.end()))
    return found
