"""One glossary per org type (#24): a school says its words as they are; a hospital's reader gets
年度, 周, 科室, 工龄, 全院, 医务科 from every gettext string, and what users typed is left alone."""

from django.template import Context, Template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.calendar.models import SchoolYear
from keshi.org import words
from keshi.org.glossary import HOSPITAL, SCHOOL, glossary_for
from keshi.org.models import Org

SCHOOL_WORDS = ("学期", "学年", "教学周", "全校", "教科室", "教龄")


def test_a_school_says_its_words_as_they_are():
    school = glossary_for(Org.Kind.SCHOOL)
    assert school.name == SCHOOL and school.is_school
    assert school.text("本学期全校教龄不足三年的教师") == "本学期全校教龄不足三年的教师"
    assert glossary_for(None).name == glossary_for("kindergarten").name == SCHOOL


def test_a_hospital_says_the_longest_phrase_first():
    hospital = glossary_for(Org.Kind.HOSPITAL)
    assert hospital.name == HOSPITAL
    assert hospital.text("学年与学期的更替") == "年度的更替"
    assert hospital.text("2026—2027学年第一学期") == "2026—2027年度第一期"
    assert hospital.text("按教学周") == "按周"
    assert hospital.text("全校7名教职工，由教科室填写") == "全院7名职工，由医务科填写"
    assert hospital.text("教研组长") == "科主任" and hospital.text("教研组") == "科室"
    assert hospital.word("教龄") == "工龄" and hospital.word("校历") == "工作日历"
    for word in SCHOOL_WORDS:
        assert word not in hospital.text(word), word


def test_gettext_speaks_the_active_glossary(db):
    label = gettext_lazy("本学期")
    with words.using(Org(kind=Org.Kind.HOSPITAL)) as glossary:
        assert glossary.name == HOSPITAL and words.active().name == HOSPITAL
        assert _("本学期已有%(n)d周未达标") % {"n": 2} == "本年度已有2周未达标"
        assert str(label) == "本年度"
        assert str(SchoolYear(start_year=2026)) == "2026—2027年度"
        assert words.word("教学周") == "周"
        with words.using(Org(kind=Org.Kind.SCHOOL)):  # nested: the inner org's words
            assert _("本学期") == "本学期"
        assert _("全校") == "全院"
    assert _("本学期") == "本学期" and str(label) == "本学期"
    assert words.active().name == SCHOOL


def test_templates_translate_keshi_text_not_what_users_typed(db):
    template = Template(
        "{% load i18n words %}{% translate '教研组' %}|{% word '学期' %}|{{ typed }}|"
        "{{ label|in_words }}"
    )
    context = Context({"typed": "学期初写的一段话", "label": "全校"})
    with words.using(Org.Kind.HOSPITAL):
        assert template.render(context) == "科室|年度|学期初写的一段话|全院"
    assert template.render(context) == "教研组|学期|学期初写的一段话|全校"


def test_a_hospital_names_its_year_once():
    """A hospital's 年度 is both its year and its term: a phrase naming both says 年度 once."""
    hospital = glossary_for(Org.Kind.HOSPITAL)
    assert hospital.text("新建学年和学期") == "新建年度"
    assert hospital.text("开始下一学期 / 学年") == "开始下一年度"
    assert hospital.text("请选择计划所属的学期或学年。") == "请选择计划所属的年度。"
    assert hospital.text("2025学年度") == "2025年度"
    assert hospital.text("请先在校历中设置本学年的学期起止日期。") == "请先在工作日历中设置本年度。"
    assert hospital.text("该计划所属学年还没有学期") == "该计划所属年度还没有建立"
