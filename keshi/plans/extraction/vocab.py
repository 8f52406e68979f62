"""The genre's vocabulary: period markers, comparators, measure units and activity-kind words.

Chinese legal reading of bounds: 以上/以下/以内 include the number, 不满/不足/超过/低于 do not.
"""

import re
from dataclasses import dataclass

from .numerals import NUMBER

# --- periods ---------------------------------------------------------------------------
# (pattern, period, strict): a strict marker (一学期, 一年, 半年) is a period only when a count or
# a comparator follows it at once ("一学期至少写一篇", "一年两期"; not "用一学期的时间").
PERIODS: list[tuple[str, str | None, bool]] = [
    (r"每(?:两|二|2)(?:个)?(?:周|星期)|每隔一周|隔周|间周|双周|每半个?月", "2weeks", False),
    (r"每半学期|半学期|每半期", None, False),  # half a term: no period of the model
    (r"每半年", "half-year", False),
    (r"每(?:个)?(?:天|日|晚)|每个工作日|天天", "day", False),
    (r"每(?:一)?(?:周|星期|礼拜)|周周", "week", False),
    (r"每(?:个)?学?月|月月", "month", False),
    (r"每(?:个)?季度?", "quarter", False),
    (r"每(?:个|一)?学期|每期", "term", False),
    (r"每(?:个|一)?学年|每年|全年|每一年", "year", False),
    # a routine named by its period: 周练一篇, 周记每周1篇, 月考, 日记 — and 年内/学期内
    (r"(?<![每一本上下这那两三四五六七八九十第隔])周(?=练|记|测|考|反思|小结)", "week", False),
    (r"(?<![每一本上下这那两三四五六七八九十第隔个])月(?=考|测|反思|小结)", "month", False),
    (r"(?<![每一本上下这那两三四五六七八九十第隔])日(?=记|练|测)", "day", False),
    (r"(?<![\d一二三四五六七八九十两上下前近几])年内", "year", False),
    (r"(?<![\d一二三四五六七八九十两上下前近几])学期内", "term", False),
    (r"(?:两|二)(?:个)?(?:周|星期)", "2weeks", True),
    (r"一(?:个)?(?:周|星期)", "week", True),
    (r"一个?月", "month", True),
    (r"一(?:个)?学期", "term", True),
    (r"一(?:个)?学年|一年", "year", True),
    (r"半年", "half-year", True),
]
# Say which period the plan talks about, but do not by themselves make a number a quota.
WEAK_PERIODS: list[tuple[str, str]] = [(r"本学期|本期", "term"), (r"本学年|本年度", "year")]
PER_SUFFIX = {"周": "week", "月": "month", "学期": "term", "期": "term", "年": "year"}
PER_SUFFIX |= {"学年": "year", "天": "day", "日": "day"}

# --- comparators -----------------------------------------------------------------------
PREFIX_COMPARATORS: list[tuple[str, str]] = [
    ("不得少于|不能少于|不应少于|不宜少于|不少于|至少|最少|最低|不低于|不得低于|起码", ">="),
    ("大于或等于|大于等于|≥|>=|争取|力争|达到", ">="),
    ("很多于", ">="),  # 不少于 in reworded web copies ("听课很多于60节")
    ("不得超过|不能超过|不宜超过|不超过|不多于|最多|至多|≤|<=|小于或等于|控制在", "<="),
    ("超过|多于|大于|高于|>", ">"),
    ("少于|不足|低于|不到|未满|不满|小于|<", "<"),
    ("大约|约", "="),
]
SUFFIX_COMPARATORS: list[tuple[str, str]] = [
    ("及以上|或以上|以上|之上|余|多", ">="),
    ("及以下|或以下|以下|以内|之内", "<="),
    ("左右", "="),
]


def _alternation(pairs: list[tuple[str, str]]) -> tuple[re.Pattern, dict[str, str]]:
    words = {word: op for alternatives, op in pairs for word in alternatives.split("|")}
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered)), words


PREFIX_RE, PREFIX_OPS = _alternation(PREFIX_COMPARATORS)
SUFFIX_RE, SUFFIX_OPS = _alternation(SUFFIX_COMPARATORS)

# --- units -----------------------------------------------------------------------------
UNIT = (
    r"(?:学时|课时|学分|人次|小时|分钟|节(?![日约假点奏目])|篇|次(?![性日])|字(?!一)|本(?![学期年])"
    r"|项|个?工作日|个(?![月学星工周小季半多人])|场|轮|回(?!事)|份|堂|遍|期|例|张|户"
    r"|版(?![本权面次式]))"
)
# A personal goals line (个人发展目标：指导好4名青年教师、协助好2所学校…) counts people,
# schools and sets as well.
GOAL_UNIT = rf"(?:{UNIT}|名|所|套|门|位)"
RANGE_SEP = r"[-—–―~～∽至到]+"


def _quantity_re(unit: str) -> re.Pattern:
    return re.compile(
        rf"(?P<n1>{NUMBER})(?:\s*(?P<u1>{unit}))?\s*(?P<sep>{RANGE_SEP})\s*(?P<n2>{NUMBER})"
        rf"\s*(?P<more>余|多)?\s*(?P<unit>{unit})"
        rf"|(?P<n>{NUMBER})\s*(?P<more1>余|多)?\s*(?P<unit1>{unit})"
    )


QUANTITY = _quantity_re(UNIT)
GOAL_QUANTITY = _quantity_re(GOAL_UNIT)

# --- kinds -----------------------------------------------------------------------------
KINDS: list[tuple[str, str]] = [
    ("inspection", r"检查|抽查|查阅|督查|巡查|抽检|检阅|视导|督导"),
    ("observation", r"(?<!被)(?:听评课|听课|评课|观课|随堂听|课堂观察|听[^，。；、听]{0,8}?课)"),
    (
        "open_class",
        r"公开课|示范课|汇报课|研究课|展示课|观摩课|优质课|研讨课|过关课|教研课|评优课"
        r"|(?:体验|提高|实践|达标|精品|比武|录像|引路|诊断)课|送教|开放课堂",
    ),
    ("lesson_plan", r"教案|教学预案|教学设计|导学案|说课稿|备课(?!组)"),
    (
        "group_activity",
        r"集体备课|集体读书|集体学习|集中学习|教研活动|研讨活动|研究活动|主题教研|同课异构|沙龙"
        r"|磨课|备课组活动|教研组活动|读书会|读书交流|网上教研|网络教研|经验交流|意见交流|研讨",
    ),
    (
        "meeting",
        r"教研会|组长会|班主任会|家长会|会议|例会|碰头会|座谈会|分析会|研讨会|交流会|总结会|推进会|办公会|工作会"
        r"|(?:沟通|审议|恳谈|分享|汇报|论证|协调|评审|动员|表彰|讲评|质控|联席|通报|备课)会"
        r"|(?:科务|院务|校务|党委|行政|交班|周)会",
    ),
    ("training", r"培训|讲座|业务学习|继续教育|进修|研修|学术(?:会议|论坛|交流|活动)"),
    ("reflection", r"反思|随笔|一得|心得|体会|札记|感悟|教育故事|教学故事|叙事"),
    (
        "reading",
        r"读书笔记|读书心得|读书报告|阅读推荐|读后感|精读|专著|摘抄|摘记|摘录|好书|读书|学习笔记",
    ),
    ("paper", r"论文|案例|课题报告|研究报告|(?:学科|调研|调查|专题|分析)报告|文章"),
    ("blog", r"博客|论坛|美文|跟帖|公众号"),
    ("contest", r"竞赛|比赛|大赛|参赛|赛课|联赛|评比|评选"),
    # Counted work that is none of the above: being observed, students' work, clinical and
    # hygiene routines, materials, plans and exhibitions.
    (
        "other",
        r"被听课|被听|作文|查房|查看患者|消毒|清洗|暴晒|擦抹|资料|材料|展览|展评|工作计划|教研计划"
        r"|家访|黑板报|板报|手抄报|墙报|简报|宣传栏"
        r"|班会|晨会|队会"  # with the pupils: a 班主任's work, no staff meeting
        r"|考试|考核|考评|测验|抽考|月考|演练"  # exams and drills: sat, not held as a meeting
        r"|试卷|试题|习题|模拟题"  # papers set for pupils
        r"|会诊|MDT|病例讨论",  # clinical work on a case, not a staff meeting
    ),
]
KIND_RE = [(kind, re.compile(pattern)) for kind, pattern in KINDS]
TEXT_KINDS = {"reflection", "paper", "reading", "lesson_plan", "blog", "other"}
EVENT_KINDS = {"meeting", "contest", "training", "group_activity", "inspection", "observation"}
EVENT_KINDS |= {"other"}
EVENT_KINDS |= {"open_class", "blog"}
UNIT_KINDS: dict[str, set[str]] = {
    "节": {"observation", "open_class", "lesson_plan", "training"},
    "堂": {"observation", "open_class"},
    "课时": {"training", "observation", "open_class"},
    "学时": {"training", "observation"},  # 每学期听课不少于8学时: lessons heard, by the hour
    "学分": {"training"},
    "小时": {"training"},
    "篇": TEXT_KINDS,
    "本": {"reading", "reflection", "lesson_plan"},
    "份": TEXT_KINDS,
    "字": TEXT_KINDS | {"observation"},
    "人次": {"observation", "training"},
    "张": {"other"},  # 每周交一张钢笔字: practice sheets
    "版": {"other"},  # 每周写两版粉笔字: boards
}
for _unit in ("名", "所", "套", "门", "位"):  # a personal goal's people, schools, sets, courses
    UNIT_KINDS[_unit] = {"other"}
UNIT_KINDS["人"] = {"training", "other"}  # 安排一人外出进修: people sent
for _unit in ("次", "场", "轮", "回", "遍"):
    UNIT_KINDS[_unit] = EVENT_KINDS


def compatible(kind: str, unit: str) -> bool:
    return kind == "inspection" or kind in UNIT_KINDS.get(unit, EVENT_KINDS | TEXT_KINDS)


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int


def kind_hits(text: str) -> list[Hit]:
    """Kind words in ``text``; a word inside a longer one (心得 in 读书心得) is dropped."""
    hits = [
        Hit(kind, match.start(), match.end())
        for kind, pattern in KIND_RE
        for match in pattern.finditer(text)
    ]
    kept = [
        hit
        for hit in hits
        if not any(
            other is not hit
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            for other in hits
        )
    ]
    return sorted(kept, key=lambda hit: (hit.start, hit.end))


def mask_titles(text: str) -> str:
    """Blank out 《书名》 so a document's name (《听课记录》) is not read as the activity."""
    return re.sub(r"《[^》]*》", lambda match: "□" * len(match[0]), text)
