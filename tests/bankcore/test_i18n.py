"""Staff can work in Simplified Chinese: the catalogue is compiled by `make` (make messages)."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_login_page_speaks_chinese_to_a_chinese_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "登录" in html


def test_a_chosen_language_sticks_for_the_session(client, teller):
    client.force_login(teller)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/", follow=True).content.decode()
    assert "退出" in page or "注销" in page  # the sign-out button


def test_english_stays_the_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in" in html and "登录" not in html


def test_every_role_name_has_a_chinese_label():
    from bankcore.roles import Role

    with translation.override("zh-hans"):
        labels = {role.value: str(role.label) for role in Role}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels.values()), labels
