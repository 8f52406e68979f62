"""Who a requirement applies to: the audience words of a clause, and their structured reading.

``parse_audience("教龄不足三年")`` → ``{"teaching_years_max": 2}``. Bounds are inclusive, as on the
Requirement model: 以上/以下/以内/之内 include the number; 不足/不满/未满/低于 exclude it, 超过 too.
"""

import re

from .numerals import NUMBER, parse_number

ROLES = [
    "主治医师以上", "副主任医师以上", "校级领导", "教学领导", "中层领导", "中层干部", "行政人员",
    "教研组长", "备课组长", "年级组长", "学科组长", "学科主任", "年级主任", "教科室成员", "教研员",
    "副组长", "组长", "班主任", "青年教师", "新教师", "新进教师", "骨干教师", "学科带头人",
    "指导教师", "徒弟", "师傅", "普通教师", "其他教师", "科主任", "副主任", "护士长", "主治医师",
    "住院医师", "进修医师", "规培医师", "护理人员", "护士", "医师", "学生",
]  # fmt: skip
ROLE_RE = re.compile("|".join(sorted(ROLES, key=len, reverse=True)))
AGE_RE = re.compile(
    rf"(?P<pre>不满|未满|不足|超过|低于)?(?P<n>{NUMBER})周?岁(?P<post>及以下|及以上|以下|以上|以内|之内)?"
)
YEARS_RE = re.compile(
    rf"教龄(?:在)?(?P<pre>不足|不满|未满|超过|满)?(?P<n>{NUMBER})年(?P<post>及以下|及以上|以下|以上|以内|之内)?"
    rf"|(?P<n2>{NUMBER})年(?P<post2>及以下|及以上|以下|以上|以内|之内)?教龄(?P<post3>以上|以下|以内)?"
)
GENERIC_RE = re.compile(r"([\u4e00-\u9fa5\d]{1,10}?(?:教师|老师|医师|人员|成员))")
NOT_AUDIENCE = (
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
MENTORSHIP = {"徒弟": "mentee", "师傅": "mentor", "指导教师": "mentor"}


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
        words = generic[1]
        while prefix := next((p for p in NOT_AUDIENCE if words.startswith(p)), None):
            words = words[len(prefix) :]
        words = re.sub(r"^[位名个]", "", words)
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
        number = int(parse_number(years["n"] or years["n2"]))
        post = years["post"] or years["post2"] or years["post3"]
        low, high = _bound(years["pre"], post, number)
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
