import pytest
from django.urls import reverse

from keshi.accounts.models import ApiToken, RoleGrant
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.org.tests.factories import MentorshipFactory

MODELS = [Org, Group, Tag, Person, Membership, Mentorship, RoleGrant, ApiToken]


def admin_url(model, action="changelist", *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def everything(cast):
    MentorshipFactory(
        mentor=Person.objects.get(name="王组长"), mentee=Person.objects.get(name="张老师")
    )
    Tag.objects.create(name="骨干教师")
    ApiToken.issue(cast.office, name="教务系统")
    return cast


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_superuser_opens_every_changelist_and_change_page(client, everything, admin_user, model):
    client.force_login(admin_user)
    assert client.get(admin_url(model)).status_code == 200
    obj = model.objects.first()
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", [Org, Group, Person, Membership, Mentorship, RoleGrant])
def test_history_pages(client, everything, admin_user, model):
    client.force_login(admin_user)
    obj = model.objects.first()
    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_person_change_page_has_membership_inline_and_chinese_labels(client, cast, admin_user):
    client.force_login(admin_user)
    person = Person.objects.get(name="张老师")
    body = client.get(admin_url(Person, "change", person.pk)).content.decode()
    assert "组成员" in body and "语文组" in body
    assert "任教起始日期" in body and "工号" in body


def test_search_people(client, cast, admin_user):
    client.force_login(admin_user)
    r = client.get(admin_url(Person), {"q": "张"})
    assert list(r.context["cl"].result_list) == [Person.objects.get(name="张老师")]


def test_token_hash_is_read_only_and_no_add(client, everything, admin_user):
    client.force_login(admin_user)
    assert client.get(admin_url(ApiToken, "add")).status_code == 403
    token = ApiToken.objects.get()
    body = client.get(admin_url(ApiToken, "change", token.pk)).content.decode()
    assert token.key_hash in body
    assert 'name="key_hash"' not in body


@pytest.mark.parametrize("who", ["office", "leader", "district", "teacher"])
def test_staff_without_superuser_cannot_use_admin(client, cast, who):
    user = getattr(cast, who)
    user.is_staff = True
    user.save()
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    apps = {app["app_label"] for app in index.context["app_list"]}
    assert not apps & {"org", "accounts"}
    for model in MODELS:
        assert client.get(admin_url(model)).status_code == 403


def test_non_staff_is_sent_to_admin_login(client, cast):
    client.force_login(cast.office)
    response = client.get(admin_url(Person))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_add_person_records_history_user(client, cast, admin_user):
    client.force_login(admin_user)
    before = Person.history.count()
    data = {
        "org": cast.school.pk,
        "staff_no": "A001",
        "name": "新来的",
        "gender": "M",
        "active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(admin_url(Person, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.history.count() == before + 1
    assert Person.history.latest().history_user == admin_user
