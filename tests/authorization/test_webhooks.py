"""Webhooks on request state changes, delivered to a real HTTP server on 127.0.0.1."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from authorization.models import (
    AuthorizationRequest,
    EvaluatedTransaction,
    RuleSetVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from authorization.tasks import webhook_deliver_task
from authorization.webhooks import (
    webhook_backoff_seconds,
    webhook_notify_state_change,
    webhook_signature_verify,
)
from bankcore.roles import Role

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"


class Receiver:
    """A channel system's endpoint: records each POST and answers the scripted statuses
    (the last one repeats)."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                index = min(len(receiver.received), len(receiver.statuses)) - 1
                self.send_response(receiver.statuses[index])
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/authorization"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def request_row(teller, integrator, org):
    """An authorization request submitted by the integrator for teller's branch (rows only:
    webhooks need its reference, submitter and channel)."""

    def make(*, submitted_by=None, channel="counter", reference="AR0000000001"):
        now = timezone.now()
        version = RuleSetVersion.objects.create(number=1, created_at=now)
        evaluation = EvaluatedTransaction.objects.create(
            version=version,
            transaction_code="CASH_WITHDRAWAL",
            channel=channel,
            branch_code="BJ01",
            teller=teller.username,
            elements={},
            required=True,
            mode="remote_centralized",
            level=1,
            evaluated_at=now,
        )
        return AuthorizationRequest.objects.create(
            reference=reference,
            evaluation=evaluation,
            version=version,
            transaction_code="CASH_WITHDRAWAL",
            channel=channel,
            branch=org["BJ01"],
            submitted_by=submitted_by or integrator,
            mode="remote_centralized",
            authorizer_role="remote_authorizer",
            level=1,
            state="queued",
            submitted_at=now,
            queued_at=now,
            updated_at=now,
        )

    return make


def subscribe(*, url, integrator=None, channel="", is_active=True, name="channel system"):
    return WebhookSubscription.objects.create(
        name=name,
        integrator=integrator,
        channel=channel,
        url=url,
        secret=SECRET,
        is_active=is_active,
        created_at=timezone.now(),
    )


STATE_CHANGE = {"event": "approved", "from_state": "in_review", "to_state": "approved"}


def notify(django_capture_on_commit_callbacks, reference="AR0000000001"):
    with django_capture_on_commit_callbacks(execute=True):
        return webhook_notify_state_change(request_reference=reference, payload=STATE_CHANGE)


def test_a_state_change_is_posted_signed_and_the_signature_verifies(
    request_row, integrator, django_capture_on_commit_callbacks
):
    request_row()
    with Receiver() as receiver:
        subscribe(url=receiver.url, integrator=integrator)
        notify(django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    call = receiver.received[0]
    document = json.loads(call["body"])
    assert document["type"] == "authorization_request.state_changed"
    assert document["request_reference"] == "AR0000000001"
    assert document["data"] == STATE_CHANGE
    assert call["headers"]["X-Webhook-Id"] == document["id"]
    timestamp, signature = (
        call["headers"]["X-Webhook-Timestamp"],
        call["headers"]["X-Webhook-Signature"],
    )
    assert signature.startswith("sha256=")
    assert webhook_signature_verify(
        secret=SECRET, timestamp=timestamp, body=call["body"], signature=signature
    )
    assert not webhook_signature_verify(
        secret="another secret", timestamp=timestamp, body=call["body"], signature=signature
    )
    tampered = call["body"].replace(b"approved", b"rejected")
    assert not webhook_signature_verify(
        secret=SECRET, timestamp=timestamp, body=tampered, signature=signature
    )
    assert not webhook_signature_verify(
        secret=SECRET, timestamp=str(int(timestamp) - 3600), body=call["body"], signature=signature
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_a_500_is_retried_until_the_receiver_accepts(
    request_row, integrator, django_capture_on_commit_callbacks
):
    request_row()
    with Receiver(statuses=(500, 500, 204)) as receiver:
        subscribe(url=receiver.url, integrator=integrator)
        notify(django_capture_on_commit_callbacks)

    assert len(receiver.received) == 3
    assert len({call["headers"]["X-Webhook-Id"] for call in receiver.received}) == 1
    assert len({call["body"] for call in receiver.received}) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)


def test_delivery_gives_up_after_the_last_attempt_and_records_it(
    request_row, integrator, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    request_row()
    with Receiver(statuses=(503,)) as receiver:
        subscribe(url=receiver.url, integrator=integrator)
        notify(django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        webhook_deliver_task.delay(delivery_id=delivery.pk)  # a redelivered message: no-op

    assert len(receiver.received) == 4
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 4, 503)
    assert delivery.last_error == "HTTP 503" and delivery.delivered_at is None


def test_an_unreachable_receiver_is_retried_and_the_error_recorded(
    request_row, integrator, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request_row()
    subscribe(url=f"http://127.0.0.1:{port}/hook", integrator=integrator)

    notify(django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 2, None)
    assert "refused" in delivery.last_error.lower()


def test_only_active_subscriptions_of_the_requests_integrator_or_channel_are_notified(
    request_row, integrator, make_user, django_capture_on_commit_callbacks
):
    other = make_user(Role.INTEGRATOR, "HO", username="other-integrator")
    request_row(channel="mobile")
    with Receiver() as receiver:
        by_user = subscribe(url=receiver.url, integrator=integrator, name="by user")
        by_channel = subscribe(url=receiver.url, channel="mobile", name="by channel")
        subscribe(url=receiver.url, integrator=other, name="someone else's")
        subscribe(url=receiver.url, channel="counter", name="another channel")
        subscribe(url=receiver.url, integrator=integrator, is_active=False, name="inactive")
        notify(django_capture_on_commit_callbacks)

    notified = set(WebhookDelivery.objects.values_list("subscription_id", flat=True))
    assert notified == {by_user.pk, by_channel.pk}
    assert len(receiver.received) == 2


def test_nothing_is_sent_for_a_state_change_that_rolled_back(
    request_row, integrator, django_capture_on_commit_callbacks
):
    request_row()
    with Receiver() as receiver:
        subscribe(url=receiver.url, integrator=integrator)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            webhook_notify_state_change(request_reference="AR0000000001", payload=STATE_CHANGE)
            raise RuntimeError("the transition failed")

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_retries_back_off_exponentially_up_to_a_ceiling(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_SECONDS = 300

    waits = [webhook_backoff_seconds(attempt) for attempt in range(1, 8)]

    assert waits == [10, 20, 40, 80, 160, 300, 300]


def test_subscriptions_are_administered_in_the_admin_with_a_generated_secret(
    client, make_user, integrator
):
    admin_user = make_user(None, "HO", username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    form = client.get("/admin/authorization/webhooksubscription/add/")
    secret = form.context["adminform"].form.initial["secret"]
    response = client.post(
        "/admin/authorization/webhooksubscription/add/",
        {
            "name": "Mobile banking",
            "integrator": integrator.pk,
            "channel": "",
            "url": "https://mobile.bank.example/hooks",
            "secret": secret,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert len(subscription.secret) >= 32 and subscription.created_at is not None
    assert client.get("/admin/authorization/webhookdelivery/").status_code == 200
