"""Who owes an extracted requirement (issue 23 item 3): each person, each group, the org as an
event it holds, or the holders of a post — and how far a subject flows (pure: no database)."""

import pytest

from keshi.plans.extraction import extract_text
from keshi.plans.extraction.audience import holder_list, title_role


def owners(text: str) -> list[tuple]:
    return [(r.owner, r.who, r.value) for r in extract_text(text).requirements]


@pytest.mark.parametrize(
    ("sentence", "owner", "who"),
    [
        ("每位教师每学期听课不少于15节。", "person", None),
        ("教师每学期撰写教学反思不少于5篇。", "person", None),
        ("青年教师每学期上一节汇报课。", "person", "青年教师"),
        ("教龄不足三年者每学期听课不少于20节。", "person", "教龄不足三年"),
        ("每学年每位教师开一次公开课。", "person", None),
        ("学校要求每位教师每学期听课15节。", "person", None),
        ("每位教研组长每学期听课不少于20节。", "person", "教研组长"),
        ("每个教研组每月开展一次教研活动。", "group", "教研组"),
        ("各备课组每周集体备课一次。", "group", "备课组"),
        ("各年级组每月召开一次质量分析会。", "group", "年级组"),
        ("组内每月举行一次研讨活动。", "group", None),
        ("集体备课以备课组为单位开展（每周一次）。", "group", "备课组"),
        ("学校每学期举办一次读书节活动。", "org", None),
        ("每月召开一次组长会。", "org", None),
        ("每周召开一次行政会。", "org", None),
        ("教科室每学期组织两次专题讲座。", "org", None),
        ("本学期开展两次青年教师赛课大赛。", "org", None),
        ("每学期末由教导处检查一次备课笔记。", "org", None),
        ("全年组织全院性业务培训不少于4次。", "org", None),
        ("教师撰写教学论文、案例不少于100篇。", "org", None),
        ("校长每学期听课不少于30节。", "role", "校长"),
        ("教导主任每周至少听课四节。", "role", "教导主任"),
        ("教研组长每学期听课不少于25节。", "role", "教研组长"),
        ("主治医师每周集体查房至少2次。", "role", "主治医师"),
    ],
)
def test_owner_of_a_clause(sentence, owner, who):
    (item,) = extract_text(sentence).requirements
    assert (item.owner, item.who) == (owner, who)
    assert item.to_dict()["owner"] == owner


def test_a_list_of_posts_gives_one_requirement_per_post():
    found = extract_text("校长、副校长每学期听课不少于30节，主任不少于40节。").requirements
    assert [(r.owner, r.who, r.value) for r in found] == [
        ("role", "校长", 30),
        ("role", "副校长", 30),
        ("role", "主任", 40),
    ]
    assert all(str(int(r.value)) in r.source for r in found)  # each keeps a clause with its number


def test_posts_each_with_their_own_number_in_one_clause():
    found = extract_text("每学期听课：校长不少于20节、副校长不少于30节、教务主任不少于40节。")
    items = [(r.owner, r.who, r.value, r.kind) for r in found.requirements]
    assert items == [
        ("role", "校长", 20, "observation"),
        ("role", "副校长", 30, "observation"),
        ("role", "教务主任", 40, "observation"),
    ]
    assert all(str(int(r.value)) in r.source for r in found.requirements)


def test_teachers_after_posts_are_everyone():
    found = owners("校长每学期听课不少于40节，教研组长不少于30节，教师不少于20节。")
    assert found == [("role", "校长", 40), ("role", "教研组长", 30), ("person", None, 20)]


def test_a_subject_flows_through_its_sentence_only():
    found = owners(
        "教研组长每学期听课不少于20节，撰写反思3篇。每学期撰写教学论文1篇。"
        "学校每学期举办一次读书节，评选优秀读书笔记10篇。每学期读书笔记不少于2篇。"
    )
    assert found == [
        ("role", "教研组长", 20),
        ("role", "教研组长", 3),  # same sentence: the post carries
        ("person", None, 1),  # next sentence: it does not
        ("org", None, 1),
        ("org", None, 10),
        ("person", None, 2),
    ]


def test_a_post_in_brackets_stays_in_its_brackets():
    found = owners("教师每学期听课15节（教研组长20节），撰写反思5篇。")
    assert found == [("person", None, 15), ("role", "教研组长", 20), ("person", None, 5)]


def test_everyone_resets_the_subject():
    found = owners("校长每学期听课30节，全体教师每学期上公开课1节。")
    assert found == [("role", "校长", 30), ("person", None, 1)]


def test_people_after_a_verb_are_its_object():
    found = owners("组织本组教师每周开展一次集体备课。指导班主任每月召开一次班主任会议。")
    assert found == [("group", None, 1), ("org", None, 1)]


def test_attending_an_event_is_personal():
    assert owners("每位教师每学期参加校级教研活动不少于5次。") == [("person", None, 5)]
    assert owners("每学期参加竞赛不少于1次。") == [("person", None, 1)]


def test_a_groups_own_plan_holds_its_meetings():
    text = "初二数学备课组工作计划\n一、工作要求\n每两周召开一次组内工作会议。\n每学期写反思3篇。\n"
    assert owners(text) == [("group", None, 1), ("person", None, 3)]


def test_a_duties_document_binds_its_post():
    text = "教研组长工作职责\n1．每学期至少听组内每位教师2节课。\n2．每周组织一次集体备课。\n"
    assert owners(text) == [("role", "教研组长", 2), ("group", None, 1)]
    assert title_role("某某中学教导主任岗位职责") == "教导主任"
    assert title_role("教科室工作计划") is None


def test_group_leads_keep_their_group_role():
    (lead,) = extract_text("组长每学期听课两到三次。").requirements
    assert lead.owner == "role" and lead.audience == {"group_role": "lead"}
    (group,) = extract_text("各备课组每周集体备课一次。").requirements
    assert group.audience == {"group_kind": "prep"}


@pytest.mark.parametrize(
    ("head", "posts"),
    [
        ("校长、副校长", ["校长", "副校长"]),
        ("教学校长和教导主任", ["教学校长", "教导主任"]),
        ("校长、分管教学的副校长、教导主任", ["校长", "副校长", "教导主任"]),
        ("干部、教师", []),  # teachers too: everyone
        ("领导班主任工作", []),  # a verb and its object
        ("每位教研组长", []),  # distributed over people
        ("全体教师", []),
    ],
)
def test_holder_list(head, posts):
    assert holder_list(head) == posts


def test_people_deep_in_a_clause_are_its_object():
    """An audience after a verb, a modal or a preposition, or one that owns the noun after it
    (…教师的课), is the object: the subject set earlier in the sentence still holds."""
    found = owners(
        "教务主任可以根据课程安排，有选择地听取部分教师的课，但须听取新入职教师的课，"
        "且每学期听课不少于10节。"
    )
    assert found == [("role", "教务主任", 10)]
    assert owners("每学期亲自为教师做专题报告1次。") == [("person", None, 1)]
    assert owners("每月听徒弟的课不少于2节。") == [("person", None, 2)]
    assert owners("每学期向导师汇报不少于1次。") == [("person", None, 1)]
    assert owners("对新教师，每学期听课不少于30节。") == [("person", "新教师", 30)]  # a topic
    assert owners("转岗护理人员本年度专科培训达到30学时以上。") == [
        ("person", "转岗护理人员", 30)  # the words before the post qualify it
    ]


def test_all_who_are_opens_a_subject_not_a_condition():
    found = owners("凡调入不满两年的教师，在第一学年内，每周听课不少于2节。")
    assert found == [("person", "调入不满两年的教师", 2)]


def test_posts_held_in_units():
    found = owners("院、教研室主任每学期听课不少于4次。")
    assert found == [("role", "教研室主任", 4)]
    found = owners("副主任、教研室主任和教务处、科研处等领导每学期听课不少于5次。")
    assert [who for _, who, _ in found] == ["副主任", "教研室主任", "科研处等领导"]


def test_a_leading_body_is_the_org():
    assert owners("课改领导小组每月至少召开一次例会。") == [("org", None, 1)]


def test_counted_people_are_no_audience():
    assert owners("每周安排两位教师上一次展示课。")[0][:2] != ("person", "两位教师")


def test_a_heading_that_names_a_post_binds_the_lines_below():
    text = (
        "师徒结对协议\n一、甲方（师傅）：\n1.每学期听徒弟的课不少于10节。\n"
        "二、乙方（徒弟）：\n1.每学期写教学反思4篇。\n三、其他\n1.每学期读一本专著。\n"
        "4.由教务处指定导师，导师的主要职责有：\n①每月与徒弟面谈不少于1次。\n"
    )
    assert owners(text) == [
        ("person", "师傅", 10),
        ("person", "徒弟", 4),
        ("person", None, 1),
        ("person", "导师", 1),
    ]


def test_class_work_is_each_classs_and_a_class_plan_is_its_teachers():
    found = owners("德育工作安排\n每周：\n1.一次主题班会；\n2.一期黑板报。\n")
    assert found == [("group", None, 1), ("group", None, 1)]
    found = owners("三年级二班班级工作计划\n每学期召开两次家长会。\n每月出一期手抄报。")
    assert found == [("role", "班主任", 2), ("role", "班主任", 1)]


def test_a_bracket_is_owned_with_the_item_it_follows():
    assert owners("建立组务会议制度（每两周一次）。") == [("group", None, 1)]


def test_a_duties_document_is_no_groups_plan():
    text = "备课组长岗位职责\n\n1.制订备课组计划。每学期组织安排2节组内研究课。\n"
    assert owners(text) == [("role", "备课组长", 2)]


def test_events_held_and_people_sent_are_the_orgs():
    assert owners("每学期举办两次家庭教育报告会。") == [("org", None, 2)]
    assert owners("每半年安排一人外出进修。") == [("org", None, 1)]


def test_a_department_plan_owns_what_names_no_subject():
    text = "2026年骨科护理工作计划\n全年发表护理论文2篇。\n每人每年参加培训不少于20学时。"
    assert owners(text) == [("org", None, 2), ("person", None, 20)]
    rules = "医院查房制度\n全年发表护理论文2篇。"
    assert owners(rules) == [("person", None, 2)]  # a 制度 binds its staff


def test_each_school_or_department_is_an_org():
    assert owners("各校每学期开展校本教研活动不少于6次。") == [("org", None, 6)]
    assert owners("每所学校每学年举办一次教学开放周。") == [("org", None, 1)]


def test_a_hospital_groups_plan_is_the_departments():
    text = "护理质量控制小组工作计划\n全年压疮发生率为零。"
    (target,) = extract_text(text).to_dict()["targets"]
    assert target["owner"] != "group"
    (target,) = extract_text("初二数学备课组工作计划\n期末及格率达到90%以上。").to_dict()["targets"]
    assert target["owner"] == "group"
