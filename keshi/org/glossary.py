"""One glossary per org type (#24): the words keshi says, by the kind of org the reader works in.

keshi's UI text is written in a school's words (学年, 学期, 教学周, 教研组, 教龄, 全校, 教科室…);
a glossary maps each of them to another type's word. Pure: no Django. ``keshi.org.words`` puts
the reader's glossary in front of gettext, so every ``_()`` and ``{% translate %}`` string is
said in the reader's words while what users typed is left as they typed it.

Longer phrases come first in a glossary where the plain word would read wrong (第一学期 is not
第一年度, 学年与学期的更替 is not 年度与年度的更替); ``Glossary.text`` always replaces the
longest match at each place, so the order of the entries does not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

SCHOOL = "school"
HOSPITAL = "hospital"

# A hospital works in years and months (its plan is annual); its people are 医务人员 in
# 科室 and 医疗组·护理组; the hospital's office is the 医务科.
HOSPITAL_WORDS: dict[str, str] = {
    # the calendar: a hospital's 年度 is the calendar year with one term covering it
    # (keshi.calendar.services.create_calendar_year), so 学年 and 学期 both say 年度, and a
    # phrase naming both says it once. Such a term's name is its year's ("2026年度"); 第一期 /
    # 第二期 are left for years made school-shaped before hospitals kept calendar years.
    "学年与学期的更替": "年度的更替",
    "学年与学期": "年度",
    "学年和学期": "年度",
    "学年/学期": "年度",
    "学期/学年": "年度",
    "学期 / 学年": "年度",
    "学期或学年": "年度",
    "学年、学期": "年度",
    "学年学期": "年度",
    "学年度": "年度",
    "学年还没有学期": "年度还没有建立",
    "本学年的学期起止日期": "本年度",
    "第一学期": "第一期",
    "第二学期": "第二期",
    "下学期打算": "下一年度打算",
    "下学期": "下一年度",
    "新学期": "新年度",
    "开学日期": "开始日期",
    "开学": "开始",
    "学年": "年度",
    "学期": "年度",
    "教学周": "周",
    "校历": "工作日历",
    "在校日": "工作日",
    "返校": "返岗",
    # the people and their groups
    "教研组长": "科主任",
    "备课组长": "医疗组长",
    "教研组": "科室",
    "备课组": "医疗组·护理组",
    "教科室主任": "医务科科长",
    "区教科室": "上级主管部门",
    "教科室": "医务科",
    "教研室": "医务科",
    "教龄": "工龄",
    "任教起始日期": "从业起始日期",
    "任教学科": "专业",
    "全体教职工": "全体职工",
    "教职工": "职工",
    "全校": "全院",
    "本校": "本院",
    "校长": "院长",
    "学校领导": "院领导",
    "教师": "医务人员",
    # the work
    "教研与检查": "业务与检查",
    "教研活动与公开课": "业务学习",
    "师徒结对": "带教",
    "师傅": "带教老师",
    "徒弟": "学员",
    "教研活动": "业务学习",
    "校本研修": "科内培训",
    "教科研": "医疗与科研",
    "如听课节数、教学反思": "如业务学习次数、学习心得",
    "听课节数": "业务学习次数",
    "教学反思": "学习心得",
    "教学、教研": "医疗、业务学习",
}

GLOSSARIES: dict[str, dict[str, str]] = {SCHOOL: {}, HOSPITAL: HOSPITAL_WORDS}
# The org kinds that speak a hospital's words (Org.Kind values); every other kind speaks school.
KIND_GLOSSARY = {"hospital": HOSPITAL}


@dataclass(frozen=True)
class Glossary:
    """A school word → this type's word; a school (the empty glossary) says every word as is."""

    name: str
    words: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        if not self.words:
            return None
        longest_first = sorted(self.words, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in longest_first))

    def word(self, school_word: str) -> str:
        """The type's word for one school word (a phrase holding it is translated too)."""
        return self.text(school_word)

    def text(self, text: str) -> str:
        """``text`` (keshi's own words, never what a user typed) in this type's words."""
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(lambda m: self.words[m.group(0)], text)

    @property
    def is_school(self) -> bool:
        return not self.words


def glossary_for(kind: str | None) -> Glossary:
    """The glossary of an org kind (``Org.Kind`` value); unknown or none: the school's."""
    name = KIND_GLOSSARY.get(kind or "", SCHOOL)
    return _GLOSSARIES[name]


_GLOSSARIES = {name: Glossary(name, words) for name, words in GLOSSARIES.items()}
