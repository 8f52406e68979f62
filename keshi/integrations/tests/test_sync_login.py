"""Address-book sync (preview, confirm, all-or-nothing, audited, idempotent) and the 免登 login,
end to end against the local platform server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keshi.integrations import services
from keshi.integrations.models import DepartmentLink, PlatformAccount, SyncRun
from keshi.integrations.tests.conftest import SITE
from keshi.integrations.tests.fakeserver import User
from keshi.org.models import Group, Membership, Person
from keshi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def address_book(cast, fake):
    cast.teacher.person.staff_no = "T001"
    cast.teacher.person.save()
    fake.state.departments = {10: ("教科室", 1), 11: ("语文组", 1), 12: ("高一语文备课组", 11)}
    fake.state.users = {
        "zhang": User("zhang", "张老师", "13800000001", "T001", (11,)),  # matches by 工号
        "new1": User("new1", "陈老师", "13800000002", "T100", (12,)),
        "new2": User("new2", "周主任", "13800000003", "T101", (1, 10)),
    }
    return fake


def test_preview_then_apply_then_nothing_left_to_do(cast, dingtalk, address_book):
    gone = PersonFactory(org=cast.school, name="离职老师")
    PlatformAccount.objects.create(org=cast.school, person=gone, platform="dingtalk", userid="old")
    plan = services.preview_sync(dingtalk)
    assert [g["name"] for g in plan.groups_new] == ["教科室", "高一语文备课组"]
    assert [g["name"] for g in plan.groups_linked] == ["语文组"]  # taken over, not duplicated
    assert [p["name"] for p in plan.people_new] == ["陈老师", "周主任"]
    assert [p["name"] for p in plan.people_linked] == ["张老师"]
    assert [p["name"] for p in plan.people_left] == ["离职老师"]
    assert not plan.errors
    assert not DepartmentLink.objects.exists()  # a preview writes nothing

    run = services.apply_sync(integration=dingtalk, fingerprint=plan.fingerprint(), by=cast.office)
    assert run.summary["people_new"] == 2 and run.by == cast.office
    chen = Person.objects.get(org=cast.school, name="陈老师")
    assert (chen.staff_no, chen.phone) == ("T100", "13800000002")
    prep = Group.objects.get(org=cast.school, name="高一语文备课组")
    assert prep.parent == cast.group and prep.kind == Group.Kind.DEPARTMENT
    assert Membership.objects.filter(person=chen, group=prep).exists()
    assert PlatformAccount.objects.get(userid="zhang").person == cast.teacher.person
    gone.refresh_from_db()
    assert gone.active is False
    # audited: the history names who confirmed it and why
    record = chen.history.first()
    assert record.history_user == cast.office and "通讯录同步" in record.history_change_reason

    again = services.preview_sync(dingtalk)
    assert again.is_empty, again.counts()
    assert (
        services.apply_sync(integration=dingtalk, fingerprint=again.fingerprint(), by=None) is None
    )
    assert SyncRun.objects.count() == 1


def test_a_change_after_the_preview_writes_nothing(cast, dingtalk, address_book):
    plan = services.preview_sync(dingtalk)
    address_book.state.users["new3"] = User("new3", "后来的老师", "", "T102", (10,))
    with pytest.raises(services.SyncChanged):
        services.apply_sync(integration=dingtalk, fingerprint=plan.fingerprint(), by=cast.office)
    assert not Person.objects.filter(name__in=["陈老师", "后来的老师"]).exists()


def test_a_failure_half_way_rolls_everything_back(cast, dingtalk, address_book):
    plan = services.preview_sync(dingtalk)
    address_book.fail("/topapi/v2/user/list", "timeout")
    address_book.state.delay_s = 0.0  # answered, but the next page fails differently:
    address_book.fail("/topapi/v2/user/list", "ratelimit", times=20)
    with pytest.raises(services.PlatformError):
        services.apply_sync(integration=dingtalk, fingerprint=plan.fingerprint(), by=cast.office)
    assert not DepartmentLink.objects.exists() and not Person.objects.filter(name="陈老师").exists()


def test_rename_and_change_are_previewed(cast, dingtalk, address_book):
    plan = services.preview_sync(dingtalk)
    services.apply_sync(integration=dingtalk, fingerprint=plan.fingerprint(), by=cast.office)
    address_book.state.departments[10] = ("教师发展中心", 1)
    address_book.state.users["new1"] = User("new1", "陈老师", "13900000000", "T100", (12,))
    plan = services.preview_sync(dingtalk)
    assert plan.groups_renamed == [
        {
            "dept": "10",
            "group": Group.objects.get(name="教科室").pk,
            "old": "教科室",
            "new": "教师发展中心",
        }
    ]
    [change] = plan.people_changed
    assert change["changes"] == {"phone": ["13800000002", "13900000000"]}


def test_sync_pages_preview_and_confirm(client, cast, dingtalk, address_book):
    client.force_login(cast.office)
    page = client.get(reverse("integrations:sync"), {"org": "demo"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "陈老师" in html and "确认同步" in html
    fingerprint = page.context["plan"].fingerprint()
    response = client.post(
        reverse("integrations:sync"), {"org": "demo", "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="陈老师").exists()
    client.force_login(cast.teacher)
    assert client.get(reverse("integrations:sync"), {"org": "demo"}).status_code == 403


# ---- 免登 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["dingtalk", "wecom"])
def test_login_by_code(request, client, cast, fake, platform):
    integration = request.getfixturevalue(platform)
    person = cast.teacher.person if platform == "dingtalk" else cast.outsider.person
    PlatformAccount.objects.create(
        org=integration.org, person=person, platform=platform, userid="u-zhang"
    )
    fake.state.codes = {"code-1": "u-zhang"}
    url = reverse(f"integrations:{platform}_login")
    response = client.get(url, {"code": "code-1", "org": integration.org.code})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == person.user.pk


def test_login_unknown_user_gets_a_clear_page(client, cast, dingtalk, fake):
    fake.state.codes = {"code-2": "stranger"}
    url = reverse("integrations:dingtalk_login")
    response = client.get(url, {"code": "code-2"})
    assert response.status_code == 403
    assert "还没有对应到本单位的人员" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.get(url, {"code": "forged"})
    assert response.status_code == 403 and "免登授权码无效" in response.content.decode()
    no_code = client.get(url)  # opened outside the workbench: the OAuth2 login first
    assert no_code.status_code == 302 and no_code["Location"].startswith(
        "https://login.dingtalk.com/oauth2/auth?"
    )
    assert client.get(reverse("integrations:wecom_login"), {"code": "x"}).status_code == 404


def test_person_without_a_login_is_told_so(client, cast, dingtalk, fake):
    person = PersonFactory(org=cast.school, name="无账号老师")
    PlatformAccount.objects.create(org=cast.school, person=person, platform="dingtalk", userid="n")
    fake.state.codes = {"c": "n"}
    response = client.get(reverse("integrations:dingtalk_login"), {"code": "c"})
    assert response.status_code == 403 and "还没有开通登录账号" in response.content.decode()


def test_wecom_without_code_goes_to_oauth_and_back_with_state(client, cast, fake):
    from urllib.parse import parse_qs, urlsplit

    from keshi.integrations.tests.conftest import make_integration

    integration = make_integration(cast.school, "wecom")
    PlatformAccount.objects.create(
        org=cast.school, person=cast.teacher.person, platform="wecom", userid="zhang"
    )
    url = reverse("integrations:wecom_login")
    response = client.get(url, {"org": "demo"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "open.weixin.qq.com" and target.fragment == "wechat_redirect"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["appid"] == integration.corp_id and query["agentid"] == "1000002"
    assert query["scope"] == "snsapi_base"
    assert (
        query["redirect_uri"] == "https://keshi.example.edu.cn/integrations/wecom/login/?org=demo"
    )

    scan = urlsplit(client.get(url, {"org": "demo", "scan": "1"})["Location"])
    assert scan.netloc == "login.work.weixin.qq.com"
    state = parse_qs(scan.query)["state"][0]

    fake.state.codes = {"c1": "zhang", "c2": "zhang"}
    forged = client.get(url, {"org": "demo", "code": "c1", "state": "not-ours"})
    assert forged.status_code == 403 and "_auth_user_id" not in client.session
    client.get(url, {"org": "demo", "scan": "1"})
    state = client.session["integrations_login_state"]
    response = client.get(url, {"org": "demo", "code": "c2", "state": state})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk


def test_login_page_offers_scan_login_for_wecom_orgs(client, cast, fake):
    from keshi.integrations.tests.conftest import make_integration

    assert "扫码登录" not in client.get(reverse("login")).content.decode()
    make_integration(cast.school, "wecom")
    html = client.get(reverse("login")).content.decode()
    assert "企业微信扫码登录（示范中学）" in html and "scan=1" in html


def test_dingtalk_scan_login_through_oauth2_and_back_with_state(client, cast, dingtalk, fake):
    """No code (a browser, or the workbench's plain link): DingTalk's new OAuth2 login, which
    comes back with ``authCode``: authCode → user token → unionId → userid → the person."""
    from urllib.parse import parse_qs, urlsplit

    PlatformAccount.objects.create(
        org=cast.school, person=cast.teacher.person, platform="dingtalk", userid="zhang"
    )
    fake.state.users["zhang"] = User("zhang", "张老师")
    url = reverse("integrations:dingtalk_login")
    target = urlsplit(client.get(url, {"org": "demo"})["Location"])
    assert target.netloc == "login.dingtalk.com" and target.path == "/oauth2/auth"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == dingtalk.app_key and query["scope"] == "openid"
    assert query["response_type"] == "code" and query["prompt"] == "consent"
    assert query["redirect_uri"] == f"{SITE}/integrations/dingtalk/login/?org=demo"
    state = query["state"]

    fake.state.oauth_codes = {"a1": "zhang", "a2": "zhang", "a3": "zhang"}
    no_state = client.get(url, {"org": "demo", "authCode": "a1"})
    assert no_state.status_code == 403 and "_auth_user_id" not in client.session
    client.get(url, {"org": "demo"})
    forged = client.get(url, {"org": "demo", "authCode": "a2", "state": "not-ours"})
    assert forged.status_code == 403 and "_auth_user_id" not in client.session

    client.get(url, {"org": "demo"})
    state = client.session["integrations_login_state"]
    response = client.get(url, {"org": "demo", "authCode": "a3", "state": state})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk
    calls = [path for path, _body in fake.state.calls]
    assert "/v1.0/oauth2/userAccessToken" in calls and "/topapi/user/getbyunionid" in calls


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("used", "免登授权码无效"),
        ("not in the corp", "免登授权码无效"),
        ("not synced", "还没有对应"),
    ],
)
def test_dingtalk_oauth2_refusals_are_clear(client, cast, dingtalk, fake, who, message):
    url = reverse("integrations:dingtalk_login")
    fake.state.users["li"] = User("li", "李老师")  # on DingTalk, never synced to keshi
    fake.state.oauth_codes = {"not in the corp": "stranger", "not synced": "li"}
    client.get(url, {"org": "demo"})
    state = client.session["integrations_login_state"]
    response = client.get(url, {"org": "demo", "authCode": who, "state": state})
    assert response.status_code == 403 and message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_offers_scan_login_for_dingtalk_orgs(client, cast, dingtalk):
    html = client.get(reverse("login")).content.decode()
    assert "钉钉扫码登录（示范中学）" in html and "/integrations/dingtalk/login/?org=demo" in html
