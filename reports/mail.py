"""The daily report by e-mail to managers (Django's e-mail backend), each in their scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import FilterError, authorizer_quality, dashboard, queue_now, report_filters_for


def daily_report_send(*, now: datetime) -> int:
    """Yesterday's numbers to every active manager with an e-mail address; returns how many
    were sent."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    managers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name="manager")
        .exclude(email="")
        .select_related("org_unit")
        .order_by("username")
    )
    sent = 0
    for manager in managers:
        params = {"date_from": yesterday.isoformat(), "date_to": yesterday.isoformat()}
        try:
            filters = report_filters_for(user=manager, params=params, today=yesterday)
        except FilterError:
            continue
        context = {
            "manager": manager,
            "day": yesterday,
            "filters": filters,
            "board": dashboard(filters=filters),
            "queue": queue_now(filters=filters, now=now),
            "flagged": [q for q in authorizer_quality(filters=filters) if q.flags],
        }
        body = render_to_string("reports/daily_email.txt", context)
        subject = _("Authorization report for %(day)s") % {"day": yesterday.isoformat()}
        send_mail(subject, body, None, [manager.email])
        sent += 1
    return sent
