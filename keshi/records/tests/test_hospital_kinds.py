"""The hospital's built-in kinds (#24 item 3): offered to hospitals only, recorded with their own
amounts (业务学习's 学时, 三基三严考核's score)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.records.kinds import HOSPITAL_KINDS, ensure_builtin_kinds
from keshi.records.models import Activity, ActivityKind
from keshi.records.selectors import kinds_for_org
from keshi.records.tests.hospital_world import build_hospital
from keshi.rules.selectors_manage import kinds_for

pytestmark = pytest.mark.django_db
HOSPITAL_CODES = {spec["code"] for spec in HOSPITAL_KINDS}
LABELS = {"业务学习", "三基三严培训", "三基三严考核", "病例讨论", "疑难/死亡病例讨论", "教学查房"}
LABELS |= {"应急演练", "进修/外出学习"}


def test_the_hospital_kinds_are_built_in_for_hospitals():
    kinds = ActivityKind.objects.filter(org=None, code__in=HOSPITAL_CODES)
    assert {k.label for k in kinds} == LABELS
    assert {k.audience for k in kinds} == {"hospital"}
    assert ActivityKind.objects.get(org=None, code="business_study").unit == "学时"
    ensure_builtin_kinds()  # refreshing twice adds nothing
    assert ActivityKind.objects.filter(org=None, code__in=HOSPITAL_CODES).count() == 8


def test_a_hospital_is_offered_them_and_a_school_is_not(cast):
    world = build_hospital()
    for offered in (kinds_for_org, kinds_for):
        hospital = set(offered(world.org).values_list("code", flat=True))
        school = set(offered(cast.school).values_list("code", flat=True))
        assert hospital >= HOSPITAL_CODES and "observation" in hospital
        assert not HOSPITAL_CODES & school and "observation" in school


def test_a_schools_record_form_does_not_take_a_hospital_kind(client, cast):
    client.force_login(cast.teacher)
    page = client.get(reverse("records:create")).content.decode()
    assert "教学反思/随笔" in page and "三基三严" not in page
    page = client.get(reverse("records:create") + "?kind=sanji_exam").content.decode()
    assert "成绩（分）" not in page
    client.post(reverse("records:create"), {"kind": "sanji_exam", "date": "2026-10-08"})
    assert not Activity.objects.exists()


def test_the_kinds_page_lists_the_builtins_of_the_users_org_kind(client, cast):
    world = build_hospital()
    client.force_login(cast.office)
    assert "三基三严考核" not in client.get(reverse("records:kinds")).content.decode()
    client.force_login(world.office)
    assert "三基三严考核" in client.get(reverse("records:kinds")).content.decode()


def test_a_doctor_records_business_study_hours_and_an_exam_score(client):
    world = build_hospital()
    client.force_login(world.doctor)
    url = reverse("records:create")
    study = {"kind": "business_study", "date": "2026-10-08", "quantity": "2"}
    study |= {"f_topic": "急性缺血性脑卒中静脉溶栓", "f_speaker": "周主任"}
    assert client.post(url, study).status_code == 302
    exam = {"kind": "sanji_exam", "date": "2026-10-09", "quantity": "1", "f_score": "92.5"}
    exam |= {"f_mode": "操作", "f_passed": "合格"}
    assert client.post(url, exam).status_code == 302
    saved = {a.kind.code: a for a in Activity.objects.filter(person=world.doctor.person)}
    assert saved["business_study"].quantity == 2
    assert saved["business_study"].title == "急性缺血性脑卒中静脉溶栓"
    assert Decimal(str(saved["sanji_exam"].data["score"])) == Decimal("92.5")
    body = client.post(url, exam | {"f_score": ""}).content.decode()
    assert "这个字段是必填项" in body  # a 考核 without its score is refused
    assert Activity.objects.filter(person=world.doctor.person).count() == 2
