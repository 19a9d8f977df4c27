"""Protected serving: only users who may see the owner get an image; the rest get 404,
anonymous requests 401 or a login redirect; responses are private, unsniffed, named."""

from __future__ import annotations

import pytest

from bankcore.roles import Role
from imaging import services
from tests.imaging import corpus


@pytest.fixture
def ready_image(receive):
    return receive(corpus.jpeg(corpus.photo(seed=61), exif=corpus.camera_exif()))


def _urls(facts):
    return [facts.view_url, facts.review_url, facts.thumbnail_url]


def test_user_of_the_owning_branch_gets_the_image_with_safe_headers(client, teller, ready_image):
    client.force_login(teller)

    for url in _urls(ready_image):
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body.startswith(b"\xff\xd8\xff") and body.endswith(b"\xff\xd9")
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert ".jpg" in response["Content-Disposition"]

    assert client.get(ready_image.view_url)["Content-Disposition"].startswith("inline")
    assert client.get(ready_image.review_url)["Content-Disposition"].startswith("attachment")


def test_user_of_another_branch_gets_404(client, make_user, ready_image):
    client.force_login(make_user(Role.TELLER, "SH01", username="shanghai_teller"))
    for url in _urls(ready_image):
        assert client.get(url).status_code == 404


def test_branch_supervisor_above_sees_it_and_sibling_branch_does_not(
    client, make_user, ready_image
):
    client.force_login(make_user(Role.BRANCH_SUPERVISOR, "BJ", username="bj_supervisor"))
    assert client.get(ready_image.view_url).status_code == 200
    client.force_login(make_user(Role.TELLER, "BJ02", username="haidian_teller"))
    assert client.get(ready_image.view_url).status_code == 404


def test_unauthenticated_request_gets_401_or_login_redirect(client, ready_image):
    for url in _urls(ready_image):
        response = client.get(url)
        assert response.status_code in (401, 302)
        assert not response.content.startswith(b"\xff\xd8")


def test_api_token_works_like_a_session(api_client_for, teller, make_user, ready_image):
    assert api_client_for(teller).get(ready_image.thumbnail_url).status_code == 200
    other = make_user(Role.INTEGRATOR, "SH01", username="sh_channel")
    # Integrators see every branch, but the owner app says who sees its images: here, by
    # branch scoping, which lets bank-wide roles see everything.
    assert api_client_for(other).get(ready_image.thumbnail_url).status_code == 200


def test_no_registered_owner_app_means_nobody_sees_it(client, receive, admin_user):
    facts = receive(corpus.jpeg(corpus.photo(seed=62)), ref="unregistered:1")
    client.force_login(admin_user)
    assert client.get(facts.view_url).status_code == 404


def test_unknown_and_unready_images_are_404(client, teller, receive):
    client.force_login(teller)
    rejected = receive(corpus.truncated_jpeg())
    assert client.get(rejected.view_url).status_code == 404
    assert client.get("/imaging/images/not-a-real-id/view.jpg").status_code == 404


def test_owner_app_is_asked_for_each_request(client, teller, ready_image, monkeypatch):
    asked = []

    def deny(user, ref):
        asked.append((user.username, ref))
        return False

    services.register_owner_access("testowner:BJ01:", deny)  # a longer prefix wins
    client.force_login(teller)

    assert client.get(ready_image.view_url).status_code == 404
    assert asked == [("teller", ready_image.owner_ref)]


def test_production_hands_the_file_to_nginx(client, teller, ready_image, settings):
    settings.IMAGING_X_ACCEL_REDIRECT_PREFIX = "/protected-images/"
    client.force_login(teller)

    response = client.get(ready_image.thumbnail_url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/protected-images/thumbnail/")
    assert response["X-Accel-Redirect"].endswith(".jpg")
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_images_are_not_under_any_public_url(client, ready_image, settings):
    from imaging.models import Image

    key = Image.objects.get(pk=ready_image.id).thumbnail_key
    for prefix in ("/media/", settings.MEDIA_URL, settings.STATIC_URL):
        assert client.get(prefix + key).status_code == 404
