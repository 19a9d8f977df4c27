"""The review page (not only the reports' pages) sends its instrumentation: the batching script
with its data attributes and no inline code (CSP), the image thumbnails, review points and
decision form marked for it; a batch made of the events the page declares is stored and
counted on the dashboard."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from bankcore.roles import Role
from reports.models import InstrumentationEvent
from reports.selectors import instrumentation_summary, report_filters_for
from tests.authorization.conftest import withdrawal_rules  # noqa: F401 - a fixture
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import WITHDRAWAL_IMAGES


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attrs))
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.inline_scripts += 1


@pytest.fixture
def claimed(client, submit_withdrawal, with_evidence, teller1, authorizer1):
    """A request the authorizer took with Next, and its review page."""
    request = with_evidence(submit_withdrawal(teller1))
    client.force_login(authorizer1)
    response = client.post(reverse("authorization:review-next"))
    assert response.status_code == 302 and request.reference in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    tags = _Tags()
    tags.feed(page.content.decode())
    return request, tags


def test_review_page_includes_the_batching_script_with_data_attributes(claimed):
    request, tags = claimed
    (script,) = [a for t, a in tags.tags if t == "script" and "instrumentation" in a.get("src", "")]
    assert script["data-url"] == reverse("reports:instrumentation")
    assert script["data-request"] == request.reference
    assert int(script["data-now"]) >= int(script["data-claimed-at"]) > 0
    # CSP-safe: no inline handlers, no inline code.
    assert not [(t, name) for t, a in tags.tags for name in a if name.startswith("on")]
    assert tags.inline_scripts == 0
    assert [a for t, a in tags.tags if t == "form" and "data-instrument-decision" in a]


def test_a_batch_of_the_review_page_events_is_stored_and_counted(client, claimed, make_user):
    request, tags = claimed
    images = [
        a["data-subject"] for _t, a in tags.tags if a.get("data-instrument") == "image_opened"
    ]
    points = [
        a["data-subject"]
        for _t, a in tags.tags
        if a.get("data-instrument-time") == "review_point_time"
    ]
    assert sorted(images) == sorted(WITHDRAWAL_IMAGES) and len(points) >= 2
    path = reverse("authorization:review-task", args=[request.reference])
    # What instrumentation.js sends for this page: shown, each image opened, the time on each
    # review point, and claim to decision when the authorizer decides.
    batch = [
        {"name": "page_shown", "path": path, "request": request.reference, "duration_ms": 350},
        *(
            {"name": "image_opened", "path": path, "request": request.reference, "subject": s}
            for s in images
        ),
        *(
            {
                "name": "review_point_time",
                "path": path,
                "request": request.reference,
                "subject": point,
                "duration_ms": 4000 + 1000 * index,
                "seconds_ago": 2.5,
            }
            for index, point in enumerate(points)
        ),
        {
            "name": "claim_to_decision",
            "path": path,
            "request": request.reference,
            "subject": "approve",
            "duration_ms": 42000,
        },
    ]
    response = client.post(
        reverse("reports:instrumentation"), json.dumps(batch), content_type="application/json"
    )
    assert response.status_code == 204
    stored = InstrumentationEvent.objects.filter(request_reference=request.reference)
    assert stored.count() == len(batch)
    assert {e.username for e in stored} == {"authorizer1"}
    assert sorted(stored.filter(name="review_point_time").values_list("subject", flat=True)) == (
        sorted(points)
    )

    manager = make_user(Role.MANAGER, "HO", username="ho_manager")
    filters = report_filters_for(user=manager, params={}, today=timezone.localdate())
    counted = {item.name: item for item in instrumentation_summary(filters=filters)}
    assert counted["page_shown"].events == 1
    assert counted["image_opened"].events == len(images)
    assert counted["review_point_time"].events == len(points)
    assert counted["review_point_time"].mean_ms == round(
        sum(4000 + 1000 * i for i in range(len(points))) / len(points)
    )
    assert (counted["claim_to_decision"].events, counted["claim_to_decision"].mean_ms) == (1, 42000)
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard"))
    assert {item.name: item.events for item in page.context["page_events"]} == {
        name: item.events for name, item in counted.items()
    }
