import pytest
from django.urls import reverse

from authorization.models import TriggerRule

pytestmark = pytest.mark.django_db


def test_rule_content_is_read_only_in_the_admin(client, make_user, withdrawal_rules):
    superuser = make_user(None, "HO", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    rule = TriggerRule.objects.filter(version=withdrawal_rules).first()
    url = reverse("admin:authorization_triggerrule_change", args=[rule.pk])

    assert client.get(url).status_code == 200  # visible for support
    client.post(url, {"code": rule.code, "condition": '{"always": true}'})

    rule.refresh_from_db()
    assert rule.condition != {"always": True}
    assert client.get(reverse("admin:authorization_triggerrule_add")).status_code == 403
