"""A hospital plan's 业务学习、三基三严考核、教学查房、进修 (#24 item 3): the extractor reads them as
培训 or 其他 (its vocabulary is a school's), and the import counts the hospital's own kind where
the org offers it (keshi.records.kinds.refine_kind). A school keeps the extractor's kind."""

import pytest

from keshi.plans.extraction import extract_text
from keshi.plans.imports import Lookup, labels, propose
from keshi.records.kinds import refine_kind
from keshi.records.tests.hospital_world import build_hospital

pytestmark = pytest.mark.django_db
PLAN = """神经内科工作计划
医师每月参加业务学习不少于2次。
每位护士每年参加三基三严考核不少于2次。
医师每月参加教学查房不少于2次。
"""


def kinds_of(org) -> dict[str, str]:
    lookup = Lookup.for_org(org)
    found = {}
    for item in extract_text(PLAN).to_dict()["requirements"]:
        proposal = propose(item, lookup=lookup, org=org)
        assert [k.code for k in proposal.values["kinds"]] == [labels_code(item, lookup)]
        found[item["source"]] = proposal.values["kinds"][0].code
    return found


def labels_code(item, lookup) -> str:
    label = labels(item, lookup)["kind_label"]
    return next(code for code, kind in lookup.kinds.items() if kind.label == label)


def test_a_hospital_plan_counts_the_hospital_kinds():
    assert kinds_of(build_hospital().org) == {
        "医师每月参加业务学习不少于2次": "business_study",
        "每位护士每年参加三基三严考核不少于2次": "sanji_exam",
        "医师每月参加教学查房不少于2次": "teaching_rounds",
    }


def test_a_school_keeps_the_extractors_kinds(cast):
    assert set(kinds_of(cast.school).values()) == {"training", "other"}


@pytest.mark.parametrize(
    ("code", "text", "kind"),
    [
        ("training", "每半年选派一人外出进修", "advanced_study"),
        ("other", "每季度组织一次应急演练", "emergency_drill"),
        ("other", "疑难病例讨论每月1次", "critical_case_discussion"),
        ("other", "每月开展病例讨论不少于2次", "case_discussion"),
        ("training", "每月三基三严培训1次", "sanji_training"),
        ("observation", "每学期听课与业务学习不少于10次", "observation"),  # not refined
        (None, "每月业务学习2次", "business_study"),
    ],
)
def test_refine_kind(code, text, kind):
    offered = {"observation", "training", "other", "sanji_training", "sanji_exam"}
    offered |= {"case_discussion", "critical_case_discussion", "teaching_rounds"}
    offered |= {"emergency_drill", "business_study", "advanced_study"}
    assert refine_kind(code, text, offered) == kind
    assert refine_kind(code, text, {"training", "other", "observation"}) == code
