"""Who a requirement applies to: the audience words of a clause, and their structured reading.

``parse_audience("教龄不足三年")`` → ``{"teaching_years_max": 2}``. Bounds are inclusive, as on the
Requirement model: 以上/以下/以内/之内 include the number; 不足/不满/未满/低于 exclude it, 超过 too.
"""

import re
from dataclasses import dataclass

from .numerals import NUMBER, parse_number

ROLES = [
    "主治医师以上", "副主任医师以上", "校级领导", "教学领导", "中层领导", "中层干部", "行政人员",
    "教研组长", "备课组长", "年级组长", "学科组长", "学科主任", "年级主任", "教科室成员", "教研员",
    "副组长", "组长", "班主任", "青年教师", "新教师", "新进教师", "骨干教师", "学科带头人",
    "指导教师", "徒弟", "师傅", "导师", "普通教师", "其他教师", "科主任", "副主任", "护士长", "主治医师",
    "住院医师", "进修医师", "规培医师", "护理人员", "护士", "医师", "学生",
]  # fmt: skip
# 学生处, 学生工作, 学生会 name a unit or a field of work, not students.
ROLE_RE = re.compile(
    "|".join(sorted(ROLES, key=len, reverse=True)).replace("学生", "学生(?!处|工作|会|科)")
)
AGE_RE = re.compile(
    rf"(?P<pre>不满|未满|不足|超过|低于)?(?P<n>{NUMBER})周?岁(?P<post>及以下|及以上|以下|以上|以内|之内)?"
)
YEARS_RE = re.compile(
    rf"教龄(?:在)?(?P<pre>不足|不满|未满|超过|满)?(?P<n>{NUMBER})年(?P<post>及以下|及以上|以下|以上|以内|之内)?"
    rf"|(?P<n2>{NUMBER})年(?P<post2>及以下|及以上|以下|以上|以内|之内)?教龄(?P<post3>以上|以下|以内)?"
    rf"|(?P<pre4>不足|不满|未满|超过|满)?(?P<n4>{NUMBER})年(?P<post4>及以下|及以上|以下|以上|以内)?的"
    rf"(?=教师|老师|[，,、每]|$)"
)
GENERIC_RE = re.compile(r"([\u4e00-\u9fa5\d]{1,10}?(?:教师|老师|医师|人员|成员))")
NOT_AUDIENCE = (
    "凡是",
    "凡",
    "每",
    "各",
    "全体",
    "所有",
    "全校",
    "本组",
    "组内",
    "学科组内",
    "一般",
    "广大",
    "要求",
)
GROUP_ROLES = {"组长": "lead", "教研组长": "lead", "备课组长": "lead", "年级组长": "lead"}
GROUP_ROLES |= {"学科组长": "lead", "副组长": "deputy"}
MENTORSHIP = {"徒弟": "mentee", "师傅": "mentor", "指导教师": "mentor", "导师": "mentor"}


def _bound(pre: str | None, post: str | None, number: int) -> tuple[int | None, int | None]:
    """(min, max) inclusive for 不足三年 → (None, 2), 40周岁以下 → (None, 40), 十年以上 → (10, None)."""
    if pre in ("不足", "不满", "未满", "低于"):
        return None, number - 1
    if pre == "超过":
        return number + 1, None
    if pre == "满" or (post and "上" in post):
        return number, None
    if post:
        return None, number
    return number, number


def find_audience(text: str) -> str | None:
    """The audience words at the head of a clause (its subject), or None for everyone."""
    found = [m for m in (YEARS_RE.search(text), AGE_RE.search(text)) if m]
    if found:
        match = min(found, key=lambda m: m.start())
        return match[0]
    role = ROLE_RE.search(text)
    if role:
        return role[0]
    generic = GENERIC_RE.search(text)
    if generic:
        words = re.split(
            r"要求|规定|鼓励|每一[位名个]|每位|每名|每个|全体|所有|广大|各位|全组|本组|组内",
            generic[1],
        )[-1]
        while prefix := next((p for p in NOT_AUDIENCE if words.startswith(p)), None):
            words = words[len(prefix) :]
        words = re.sub(rf"^(?:{NUMBER})?[位名个]", "", words)  # 安排一位教师…: counted, anyone
        if words not in ("", "教师", "老师", "医师", "人员", "成员", "位教师", "名教师"):
            return words
    return None


def parse_audience(text: str | None) -> dict:
    """Structured audience: teaching_years_min/max, age_min/max, group_role, tag, mentorship."""
    if not text:
        return {}
    result: dict = {}
    years = YEARS_RE.search(text)
    if years:
        number = int(parse_number(years["n"] or years["n2"] or years["n4"]))
        post = years["post"] or years["post2"] or years["post3"] or years["post4"]
        low, high = _bound(years["pre"] or years["pre4"], post, number)
        result |= {"teaching_years_min": low, "teaching_years_max": high}
    age = AGE_RE.search(text)
    if age:
        low, high = _bound(age["pre"], age["post"], int(parse_number(age["n"])))
        result |= {"age_min": low, "age_max": high}
    role = ROLE_RE.search(text)
    if role:
        word = role[0]
        if word in GROUP_ROLES:
            result["group_role"] = GROUP_ROLES[word]
        elif word in MENTORSHIP:
            result["mentorship"] = MENTORSHIP[word]
        elif not (years or age) or word not in ("新教师", "学生"):
            result["tag"] = word
    elif not (years or age):
        result["tag"] = text
    return {key: value for key, value in result.items() if value is not None}


# ---- who owes it: a person, a group, the org, or a role holder ---------------------------------
# A post that one or a few people hold (校长, 教导主任, 教研组长, 班主任, 科主任, 主治医师…): a rule
# whose subject is such a post binds its holders. A generic noun ending (…主任, …组长, …负责人)
# admits the genre's many titles without listing each one.
# "分管/主管/负责…的" (分管本科教学、学生工作的校领导) names which holders of the post; the
# noun before the title may be a unit's name (教学指导评估中心正副主任, 职能部门处级领导干部).
IN_CHARGE = r"(?:分管|主管|负责)[\u4e00-\u9fa5、]{1,12}?的"
HOLDER = (
    rf"(?:{IN_CHARGE})?"
    r"(?:(?:副)?主任医师|主治医师|住院医师|[二三]级医师|教研员|教科室(?:成员|人员)|行政人员"
    r"|(?![每全所和及与或])[\u4e00-\u9fa5]{0,10}?"
    r"(?:校长|院长|园长|书记|主任(?!医师)|组长|负责人|干事|护士长|[处科部馆所]长"
    r"|领导干部|领导(?!小?组)|干部|班子成员))"
)
HOLDER_RE = re.compile(HOLDER)
LIST_SEP = r"(?:[、/]|和|及|与|或|以及)"
HEAD_FILLER = re.compile(r"^(?:要求|凡是?|由|其中|另外|此外|同时|对于?|各|包括)")
PERSON_NOUN = re.compile(r"教师|老师|成员|人员|每人|每位|每名|人人|医生|护士(?!长)|职工")
GROUP_UNIT = r"(?:教研|备课|年级|学科|课题|学习|教学|专业)组|学科|组内|本组|全组|各组|每组|小组"
GROUP_HEAD_RE = re.compile(
    rf"^(?:要求)?(?:每(?:个|一个)?|各(?:个)?|全)?(?P<unit>{GROUP_UNIT})"
    rf"(?:{LIST_SEP}(?:每(?:个|一个)?|各(?:个)?)?(?:{GROUP_UNIT}))*"
)
GROUP_SCOPE_RE = re.compile(r"以(?P<unit>(?:教研|备课|年级|学科|课题)组)为单位")
GROUP_KINDS = {"教研": "subject", "学科": "subject", "备课": "prep", "年级": "grade"}
GROUP_KINDS |= {"课题": "research"}
ORG_UNIT = (
    r"学校|我校|本校|全校|学院|医院|全院|本院|我院|院部|本园|我园|全园|幼儿园|园部|园所|教科室"
    r"|教务处|教导处|德育处|政教处|教研室|教科所|教研中心|教师发展中心|护理部|医务科|医务部|科教科"
    r"|团委|少先队|工会|校办|科室"
    r"|[\u4e00-\u9fa5]{0,8}?(?:领导小组|领导组|工作小组|委员会)"  # a body, not a post
)
# Each of the units a district or a hospital plans for: 各校, 每所学校, 各科室, 各病区 — an org each.
EACH_ORG = r"(?:各|每所|每个)(?:学校|校(?!区)|幼儿园|园所|科室|病区|处室|部门|单位|中心)"
ORG_HEAD_RE = re.compile(
    rf"^(?:由)?(?P<unit>{EACH_ORG}|{ORG_UNIT})"
    r"(?!成员|人员|主任|领导|干部|负责人|教研员|教师|老师|的)"
)
OBJECT_VERB = re.compile(r"组织|带领|指导|督促|安排|通过|协助|帮助|召集|邀请|检查|深入")
# Teachers as such, unqualified: everyone ("…校长40节，教研组长30节，教师20节").
TEACHERS = re.compile(r"^(?:全体|所有|全组|全校|全院|广大)?(?:教师|老师)")
EVERYONE = re.compile(r"全体|每位|每名|所有|人人|每人|各位|每个教师|每一[位名个]|全校|全组")
SUFFIX_WORDS = r"及以上|或以上|以上|之上|及以下|或以下|以下|以内|之内|左右"
# Who owes a quota whose clause names no subject: events the org or a group holds.
ATTEND = re.compile(r"参加|参与|出席|观摩|执教|承担")
ATTEND_NEAR = re.compile(r"[听上讲](?:至少|不少于)?$")
HOLDS = re.compile(r"组织|举办|召开|举行|邀请|开设|开展|承办|评选")
ORG_WIDE = re.compile(r"全校|全院|全园|校级|院级|园级|全体教师参加|全员参加|全体教职工")
PER_PERSON = re.compile(r"每位|每名|每人|人人|人均|每个教师|每一[位名个]|全体教师|每师")
TOTAL_KINDS = {"reflection", "lesson_plan", "reading"}
ORG_MEETING = re.compile(
    r"(?:行政|校务|组长|班主任|家长|教职工|全体教师|工作|审议|表彰|动员|推进|座谈|总结|分析|质量分析)"
    r"(?:大|例)?会"
)
GROUP_MEETING = re.compile(r"教研会|备课会|(?<!领导)组会|组务会")
# Work each class does with its pupils (班会, 晨会, 板报): each class's, not the org's event.
CLASS_WORK = re.compile(r"(?<!班主任)(?:班会|晨会|队会|团活动|黑板报|板报|手抄报|墙报)")
# A hospital's or a department's own plan: what it says with no subject, the department does.
HOSPITAL_PLAN = re.compile(
    r"医院|卫生院|护理(?:部|工作|计划|质量|质控|小组|单元)|医务科|病区|病房|(?<![教])科室|[内外儿妇眼骨]科"
    r"|(?<![教学本专])科(?:年度)?(?:工作)?计划"  # 急诊科工作计划, 麻醉科年度计划
)
GROUP_PLAN = re.compile(
    r"(?:教研|备课|年级|学科|课题)组.{0,16}计划|组(?:工作|活动)计划|班(?:级|队)(?:工作)?计划"
)


def is_group_plan(title: str) -> bool:
    """A group's or a class's own plan (教研组工作计划, 班级工作计划): it owns its events and
    targets. A hospital's 质控小组 plan is the department's, not a school group's."""
    return bool(GROUP_PLAN.search(title)) and not HOSPITAL_PLAN.search(title)


ORG_BY_RE = re.compile(rf"由(?:{ORG_UNIT})(?!成员|人员|主任|领导|干部|负责人|教研员|教师)")


ET_CETERA = re.compile(r"^(.+?)等[\u4e00-\u9fa5]{1,6}$")
ALL_HOLDERS = re.compile(rf"^(?:全体|所有|各级)(?={HOLDER})")
# A list number run into the words before it ("…听课学时数规定1校领导每学期4学时"): the
# subject starts after it.
RUN_IN_NUMBER = re.compile(rf"(?:^\s*|(?<=[\u4e00-\u9fa5]))\d{{1,2}}\s*[.．、]?\s*(?={HOLDER})")


def _post_of_units(text: str) -> list[str]:
    """Units named before the post they all have ("人事处、办公室、科研处、团委正副职领导"): one
    post, held in each unit; 系、教研室主任 too. Each unit is a bare name: no post, no people,
    no 的."""
    items = re.split(LIST_SEP, re.split(r"[^\u4e00-\u9fa5、/]", text, maxsplit=1)[0])
    if len(items) < 2 or not HOLDER_RE.fullmatch(items[-1]):
        return []
    if any(
        not 1 <= len(item) <= 10
        or item in ("正", "副")
        or "的" in item
        or HOLDER_RE.search(item)
        or PERSON_NOUN.search(item)
        for item in items[:-1]
    ):
        return []
    return [items[-1]]


def holder_list(text: str) -> list[str]:
    """The posts that open a clause's subject, in order: "校长、副校长每学期…" → [校长, 副校长].
    Empty when the subject is not a list of posts alone ("干部、教师" names teachers too, and
    "每位教研组长" distributes over people)."""
    rest = HEAD_FILLER.sub("", text.strip(), count=1)
    rest = ALL_HOLDERS.sub("", rest, count=1)  # 全体校领导: all of the post's holders
    summed = ET_CETERA.match(rest)
    if summed and LIST_OF_POSTS.fullmatch(summed[1]) and (posts := holder_list(summed[1])):
        return posts  # 校长、书记等校级领导: the posts named, not their summary
    if not HOLDER_RE.match(rest):
        return _post_of_units(rest)
    found: list[str] = []
    while True:
        match = HOLDER_RE.match(rest)
        if not match:
            break
        rest = rest[match.end() :]
        if HOLDER_RE.match(rest):
            return []  # "领导班主任工作": a verb and its object, not a post
        found.append(re.sub(rf"^{IN_CHARGE}", "", match[0]) or match[0])
        sep = re.match(LIST_SEP, rest)
        if sep and (units := _post_of_units(rest[sep.end() :])):
            found += units  # …教研室主任和教务处、学生处等领导: the last post, held in units
            break
        if not sep or not HOLDER_RE.match(rest[sep.end() :]):
            if sep and PERSON_NOUN.match(rest[sep.end() :].lstrip("其他全体各位所有")):
                return []  # 干部、教师: everyone
            break
        rest = rest[sep.end() :]
    return found


POSTS = set(ROLES) | {"校长", "副校长", "教导主任", "教务主任", "政教主任", "德育主任", "负责人"}
POSTS |= {"教研室主任", "教科室主任", "课题负责人", "护士长", "科护士长", "主任", "学科教研组长"}
TITLE_ROLE = re.compile(
    r"((?:[\u4e00-\u9fa5]{0,4}?(?:组长|班主任|主任|校长|负责人|护士长)))(?:工作|岗位)?职责"
)


CLASS_PLAN = re.compile(r"班(?:级|队)(?:工作)?计划|班主任(?:工作)?计划")


def title_role(title: str) -> str | None:
    """The post a duties document is about ("教研组长工作职责"): its quotas bind that post's
    holders even where a sentence names no subject. A class's plan is its 班主任's."""
    if CLASS_PLAN.search(title):
        return "班主任"
    match = TITLE_ROLE.search(title)
    if not match:
        return None
    words = match[1]
    known = [words[-n:] for n in (5, 4, 3, 2) if words[-n:] in POSTS]
    return known[0] if known else words


def group_subject(text: str) -> str | None:
    """The group unit a clause's subject names (每个教研组, 各备课组, 组内, 教研组、备课组), or
    None. "组内教师…" names people, not the group."""
    match = GROUP_HEAD_RE.match(HEAD_FILLER.sub("", text.strip(), count=1))
    if match and not PERSON_NOUN.search(text[match.end() :]):
        return match[0]
    return None


def group_kind(text: str | None) -> str | None:
    """Group.Kind of a group phrase: 教研组/学科 → subject, 备课组 → prep, 年级组 → grade."""
    for word, kind in GROUP_KINDS.items():
        if word in (text or ""):
            return kind
    return None


def org_subject(text: str) -> bool:
    """Whether the org itself (学校, 教科室, 护理部…) is the clause's subject: "学校每学期举办…",
    "由教导处检查…" — but not "学校要求每位教师…", which binds the teachers."""
    stripped = text.strip()
    match = ORG_HEAD_RE.match(stripped)
    if match:
        rest = stripped[match.end() :]
        if rest.startswith("对"):
            return True  # "教导处对全体教师的常规工作…普查": the teachers are its object
        return not (PERSON_NOUN.search(rest) or re.search(r"要求|规定|鼓励", rest))
    return bool(ORG_BY_RE.search(stripped))


@dataclass(frozen=True)
class Subject:
    """Who a clause binds: ``owner`` and one audience phrase per requirement (a list of posts
    gives one requirement per post; None is everyone of the owner)."""

    owner: str  # person | group | org | role
    whos: tuple[str | None, ...] = (None,)
    also: tuple["Subject", ...] = ()  # "教导处、教研组每月检查一次": the org, and each group

    def audience(self, who: str | None) -> dict:
        if self.owner == "group":
            kind = group_kind(who)
            return {"group_kind": kind} if kind else {}
        if self.owner == "org":
            return {}
        return parse_audience(who)


def _group_who(unit: str) -> str | None:
    words = re.sub(r"^(?:要求)?(?:每(?:个|一个)?|各(?:个)?|全)", "", unit)
    return None if words in ("组内", "本组", "全组", "组", "各组", "每组", "小组") else words


UNIT_ITEM = rf"(?:每(?:个|一个)?|各(?:个)?)?(?:{ORG_UNIT}|{GROUP_UNIT})"
UNIT_LIST = re.compile(rf"^(?:由)?{UNIT_ITEM}(?:{LIST_SEP}{UNIT_ITEM})+$")


def units_of_kinds(head: str) -> Subject | None:
    """A list of units of both kinds opens the subject ("教导处、教研组每月检查一次"): one
    requirement for the org and one for each kind of group."""
    words = head.strip()
    if not UNIT_LIST.match(words):
        return None
    items = re.split(LIST_SEP, re.sub(r"^由", "", words))
    groups = [item for item in items if group_subject(item)]
    if not groups or len(groups) == len(items):
        return None  # all groups: group_subject reads them
    return Subject("org", (None,), tuple(Subject("group", (_group_who(g),)) for g in groups))


LIST_OF_POSTS = re.compile(rf"{HOLDER}(?:{LIST_SEP}{HOLDER})*")
# Someone made to do it: the people after the verb are the ones who do it.
CAUSATIVE = re.compile(r"(?:安排|督促|要求|责成)(?=[^，,；;]*?(?:教师|老师|医师|人员|成员|徒弟))")


def before_object(head: str) -> str:
    """The words before a verb whose object follows ("组织本组教师…" → ""), a verb that is part
    of a post's name (指导教师) excepted."""
    inside = [(m.start(), m.end()) for m in ROLE_RE.finditer(head)]
    for verb in OBJECT_VERB.finditer(head):
        if not any(start <= verb.start() < end for start, end in inside):
            return head[: verb.start()]
    return head


# 每位领导干部: the holders of a post, each. 每位教研组长, 每个教研员 are people of an audience
# (ROLES: a group role, a tag), as 每位教师 are.
EACH_HOLDER = re.compile(rf"^\s*每(?:一)?[位名个](?!{ROLE_RE.pattern})(?={HOLDER})")


def subject_of(head: str, sentence: str = "") -> Subject | None:
    """The subject of a clause from its head (the words before its period, count or
    comparator): a list of posts, a group unit, the org, or the people of an audience. People
    after a verb are its object, not the subject: "组织本组教师…", "指导班主任…"."""
    head = RUN_IN_NUMBER.split(head)[-1]
    head = EACH_HOLDER.sub("", head, count=1)  # 每位领导干部: the post's holders, each
    posts = holder_list(head) if LIST_OF_POSTS.fullmatch(head.strip()) else []
    if posts and not any(OBJECT_VERB.match(post) for post in posts):
        return Subject("role", tuple(posts))  # 教学指导评估中心正副主任: a name, not a verb
    made = CAUSATIVE.search(head)
    if made and (who := find_audience(head[made.end() :])):
        return Subject("person", (who,))  # 指导教师要安排青年教师每学期听…: the 青年教师 do it
    head = before_object(head)
    if is_verb_of_post(head):
        return None  # "领导班主任工作": the org's work on a post, not the post's own
    if TEACHERS.match(head):
        return Subject("person")
    roles = holder_list(head)
    if roles:
        return Subject("role", tuple(roles))
    group = group_subject(head)
    if group:
        return Subject("group", (_group_who(group),))
    mixed = units_of_kinds(head)
    if mixed:
        return mixed
    if org_subject(head):
        return Subject("org")
    who = head_audience(head)
    if who:
        return Subject("person", (who,))
    if EVERYONE.search(head):
        return Subject("person")
    scope = GROUP_SCOPE_RE.search(sentence)  # 集体备课以备课组为单位（每周一次）
    return Subject("group", (scope["unit"],)) if scope else None


# An audience opens the head: after fillers (凡, 全体, 每位…), one character at most (其指导教师).
LEAD_MAX = 1
# A modal or a conjunction inside the words before 教师 makes them a verb phrase: "但必须听取新
# 入职教师" (the 教师 are its object). So does a preposition right before it: "亲自为教师做
# 报告" (作为/成为/评为 are not one).
MODAL = re.compile(
    r"必须|务必|应当|应该|须|需要?|可以|但|且"
    r"|(?<![作成评])[对向为给替](?:全体|所有|每位|每名|广大)?(?:教师|老师|人员|成员|医师)$"
)
PREPOSITION = re.compile(r"(?<![作成评参])[对向为给替跟与]$")
LEAD_WORDS = re.compile(
    r"^(?:要求|凡是?|由|其中|另外|此外|同时|对于|包括|全体|所有|广大|各位|每一?[位名个]|[\s\d、.，,])+"
)


def head_audience(head: str) -> str | None:
    """The audience that opens a head (凡新入职的教师…, 青年教师…). One further in follows a
    verb and is its object ("必须听取本专业副教授以上教师的课"), not the subject; so is one
    that owns a noun after it (部分教师的课程). "对新教师，…" alone in its clause is a topic."""
    who = find_audience(head)
    if not who:
        return None
    at = max(head.find(who), 0)
    lead = LEAD_WORDS.sub("", head[:at])
    rest = head[at + len(who) :].strip()
    own = YEARS_RE.fullmatch(who) or AGE_RE.fullmatch(who)
    if rest.startswith("的") and not own:
        return None  # "部分教师的课程", "徒弟的课": they own the object, not the subject
    if MODAL.search(who) or (PREPOSITION.search(head[:at]) and rest):
        return None  # "向导师汇报": the 导师 are spoken to; "对新教师，…" is a topic
    if len(lead) <= LEAD_MAX or (PREPOSITION.fullmatch(lead) and not rest):
        return who
    if re.fullmatch(r"(?:教师|老师|人员|医师|护士|者)?", rest) and not MODAL.search(lead):
        return lead + who + rest  # 西医院校毕业护士, 调入不满两年的教师: the words qualify it
    return None


def is_verb_of_post(head: str) -> bool:
    """A post word directly followed by another is a verb and its object ("领导班主任工作")."""
    rest = HEAD_FILLER.sub("", head.strip(), count=1)
    match = re.match(r"领导(?!干部|班子)|主管|分管", rest)
    return bool(match and HOLDER_RE.match(rest[match.end() :]) and not HOLDER_RE.fullmatch(rest))


def segment_subject(segment: str) -> Subject | None:
    """A subject that opens the words between two counts of one clause: "校长不少于20节、
    副校长不少于30节" gives the second count 副校长."""
    segment = re.sub(rf"^(?:{SUFFIX_WORDS})?[\s、，,和及与或]*", "", segment)
    if TEACHERS.match(segment):
        return Subject("person")
    roles = holder_list(segment)
    if roles:
        return Subject("role", tuple(roles))
    who = find_audience(segment)
    if who and segment.startswith(who):
        return Subject("person", (who,))
    return None


def is_total(kind: str | None, value: float, unit: str, sentence: str) -> bool:
    """A count no one person writes in a term — 教师撰写论文不少于100篇, 积累优质教案200份 — is the
    whole staff's total, the org's target, unless the sentence distributes it (每人, 人均)."""
    if PER_PERSON.search(sentence) or unit not in ("篇", "份", "本", "项"):
        return False
    return (kind == "paper" and value >= 20) or (kind in TOTAL_KINDS and value >= 100)


def default_owner(
    kind: str | None, before: str, clause: str, *, group_plan: bool, bare: bool = False
) -> str:
    """Who owes a quota whose sentence names no subject. Events are held, not owed by each
    person: a 教研活动 by each group, a meeting or a contest by the org (by the group in a
    group's own plan), a training or an open class when the clause says someone holds it
    (组织, 举办, 开展…). Attending (参加, 听, 上) is personal, and so is everything else."""
    holder = "group" if group_plan else "org"
    if PER_PERSON.search(before):
        return "person"
    if CLASS_WORK.search(clause) and not ATTEND.search(before):
        return "group"  # "每周：一次班会" — each class holds its own
    if bare:
        return holder  # "毛巾每周清洗消毒一次": a routine, not anyone's record
    if ATTEND.search(before) or ATTEND_NEAR.search(before):
        return "person"
    if ORG_WIDE.search(clause) and kind in ("group_activity", "meeting", "contest", "training"):
        return "org"
    if ORG_BY_RE.search(before):
        return "org"
    if kind == "group_activity":
        return "group"
    if kind == "meeting":
        return "group" if GROUP_MEETING.search(clause) else holder
    if kind == "contest":
        return "org"
    if ORG_MEETING.search(clause):
        return "org"
    if kind == "inspection":
        return holder  # "每月抽查30份": the office checks, or the group checks its own
    if kind in ("training", "open_class", "other", None) and HOLDS.search(before):
        return holder  # 召开两次报告会, 开设4课时的课程: held for others, not anyone's record
    return "person"
