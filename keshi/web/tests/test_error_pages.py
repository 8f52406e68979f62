"""The 403/404/500 pages: Chinese, inside the layout with the menu, with a way back."""

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults


def test_404_for_a_logged_in_user_has_the_menu_and_a_way_back(client, cast, settings):
    settings.DEBUG = False
    client.force_login(cast.teacher)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert 'id="mainnav"' in body and "我的任务" in body  # the base layout with the menu
    assert "返回首页" in body and "history.back()" in body
    assert "Page not found" not in body and "Traceback" not in body


def test_404_outside_the_scope_is_the_same_page(client, cast, settings):
    settings.DEBUG = False
    from keshi.org.models import Person

    outsider = Person.objects.get(user=cast.outsider)
    client.force_login(cast.teacher)
    response = client.get(f"/people/{outsider.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_has_the_menu_and_a_way_back(cast):
    request = RequestFactory().get("/plans/")
    request.user = cast.teacher
    response = defaults.permission_denied(request, PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权访问此页面" in body and 'id="mainnav"' in body
    assert "返回首页" in body and "history.back()" in body


def test_500_page_renders_without_a_request_context(db):
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in body and 'href="/"' in body and "history.back()" in body
