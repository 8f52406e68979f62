"""/healthz: public, answers ok once the database does, never cached."""

from django.urls import reverse


def test_healthz_is_public_and_plain(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_for_a_logged_in_user(client, cast):
    client.force_login(cast.teacher)
    assert client.get("/healthz").content == b"ok"
