"""Idempotency-Key on a real state-changing endpoint: creating a personal customer."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from bankcore.idempotency import idempotency_records_purge, request_fingerprint
from bankcore.models import IdempotencyRecord
from bankcore.tasks import idempotency_records_purge_task
from customers import services as customer_services
from customers.models import Customer, CustomerNumberCounter
from tests.conftest import requires_postgres
from tests.customers.factories import resident_id_for_test
from tests.customers.test_api import PERSONAL_URL, personal_payload
from tests.harness import nothing_written

pytestmark = pytest.mark.django_db

CORPORATE_URL = "/api/v1/customers/corporate/"
SECOND_ID = resident_id_for_test(4242)


@pytest.fixture
def client(integrator, api_client_for):
    return api_client_for(integrator)


def post(client, payload, key, url=PERSONAL_URL):
    return client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_and_body_replays_the_answer_and_creates_nothing_more(client):
    first = post(client, personal_payload(), "create-zhang-san-1")

    retry = post(client, personal_payload(), "create-zhang-san-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Customer.objects.count() == 1


def test_the_same_body_in_another_key_order_is_the_same_request(client):
    first = post(client, personal_payload(), "order-key")
    reordered = dict(reversed(list(personal_payload().items())))

    retry = post(client, reordered, "order-key")

    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["customer_no"] == first.json()["customer_no"]


def test_the_same_key_with_a_different_body_is_refused_with_422_and_changes_nothing(client):
    first = post(client, personal_payload(), "reused-key")

    response = post(client, personal_payload(name="Li Si"), "reused-key")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert error["message"] and error["fields"] == {}
    assert list(Customer.objects.values_list("customer_no", flat=True)) == [
        first.json()["customer_no"]
    ]


def test_the_same_key_on_another_endpoint_is_refused_with_422(client):
    post(client, personal_payload(), "one-key-two-endpoints")

    response = post(
        client,
        {
            "name": "Fuzhou Trading Co., Ltd.",
            "home_branch": "BJ01",
            "industry_code": "F51",
            "economic_type": "150",
            "registration_region_code": "350100",
            "opening_document": {"document_type": "201", "number": "91350100M000100Y43"},
        },
        "one-key-two-endpoints",
        url=CORPORATE_URL,
    )

    assert response.status_code == 422
    assert Customer.objects.count() == 1


def test_keys_belong_to_their_user(client, make_user, api_client_for):
    from bankcore.roles import Role

    other = api_client_for(make_user(Role.INTEGRATOR, "HO", username="integrator2"))
    post(client, personal_payload(), "shared-key")

    response = post(other, personal_payload(SECOND_ID), "shared-key")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Customer.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(client):
    bad = personal_payload("11010519491231002Y")  # wrong check digit

    with nothing_written():  # the key is not kept either
        refused = post(client, bad, "fix-and-retry")
    corrected = post(client, personal_payload(), "fix-and-retry")

    assert refused.status_code == 400
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert Customer.objects.count() == 1


def test_a_malformed_key_is_refused_with_the_standard_error_body(client):
    with nothing_written():
        response = post(client, personal_payload(), "has spaces in it")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Customer.objects.exists()


def test_without_the_header_each_request_runs(client):
    assert client.post(PERSONAL_URL, personal_payload(), format="json").status_code == 201
    # The second is a real second attempt: the document is now taken.
    with nothing_written():
        assert client.post(PERSONAL_URL, personal_payload(), format="json").status_code == 409
    assert not IdempotencyRecord.objects.exists()


def test_a_duplicate_while_the_first_is_still_running_gets_409(client, integrator):
    IdempotencyRecord.objects.create(
        user=integrator,
        key="in-flight",
        method="POST",
        endpoint=PERSONAL_URL,
        request_hash=_hash_of(personal_payload()),
        lease_token=uuid.uuid4(),
        started_at=timezone.now(),
        created_at=timezone.now(),
    )

    with nothing_written():
        response = post(client, personal_payload(), "in-flight")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_in_flight"
    assert not Customer.objects.exists()


def test_a_key_held_by_a_request_that_died_is_taken_over_after_its_lease(client, integrator):
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    IdempotencyRecord.objects.create(
        user=integrator,
        key="died",
        method="POST",
        endpoint=PERSONAL_URL,
        request_hash=_hash_of(personal_payload()),
        lease_token=uuid.uuid4(),
        started_at=long_ago,
        created_at=long_ago,
    )

    response = post(client, personal_payload(), "died")
    replay = post(client, personal_payload(), "died")

    assert response.status_code == 201
    assert replay.json() == response.json() and replay["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_an_expired_key_is_new_again(client):
    post(client, personal_payload(), "old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    response = post(client, personal_payload(SECOND_ID, name="Li Si"), "old-key")

    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Customer.objects.count() == 2


def test_the_purge_task_forgets_expired_keys_and_keeps_fresh_ones(client):
    post(client, personal_payload(), "expired")
    post(client, personal_payload(SECOND_ID), "fresh")
    IdempotencyRecord.objects.filter(key="expired").update(
        created_at=timezone.now() - dt.timedelta(hours=24, seconds=1)
    )

    idempotency_records_purge_task.delay()

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert idempotency_records_purge(now=timezone.now() + dt.timedelta(hours=25)) == 1


def test_the_api_schema_documents_the_header(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/customers/personal/"]["post"]["parameters"]

    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)


def _hash_of(payload) -> str:
    """The fingerprint the endpoint computes for this JSON body."""
    request = APIRequestFactory().post(PERSONAL_URL, payload, format="json")
    return request_fingerprint(Request(request, parsers=[JSONParser()]))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_duplicate_gets_409_and_the_customer_is_created_once(
    integrator, api_client_for
):
    """Thread A takes the key and blocks inside the endpoint (the customer-number counter row is
    locked by this test); B arrives with the same key meanwhile → 409 at once. When the lock
    goes, A finishes with 201, and a retry replays A's answer."""
    customer_services.reference_data_ensure()
    locked, release = threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def hold_counter() -> None:
        try:
            with transaction.atomic():
                CustomerNumberCounter.objects.select_for_update().get(customer_type="personal")
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def call(name: str) -> None:
        try:
            response = post(api_client_for(integrator), personal_payload(), "concurrent-key")
            answers[name] = response
        finally:
            connection.close()

    holder = threading.Thread(target=hold_counter)
    holder.start()
    assert locked.wait(timeout=10)
    first = threading.Thread(target=call, args=("first",))
    first.start()
    _wait_until(lambda: IdempotencyRecord.objects.filter(key="concurrent-key").exists())
    with nothing_written(Customer, IdempotencyRecord):  # A's key row was there already
        call("duplicate")
    release.set()
    first.join(timeout=30)
    holder.join(timeout=30)

    assert answers["duplicate"].status_code == 409
    assert answers["duplicate"].json()["error"]["code"] == "idempotency_in_flight"
    assert answers["first"].status_code == 201
    replay = post(api_client_for(integrator), personal_payload(), "concurrent-key")
    assert replay.status_code == 201 and replay.json() == answers["first"].json()
    assert Customer.objects.count() == 1


def _wait_until(condition, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
