"""Fixtures of the authorization request tests (imported by tests/authorization/test_requests*):
the withdrawal and reversal desks, a teller and authorizers with limits,
evaluate+submit, real images."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from authorization.models import AuthorizerLimit, ReasonCode
from authorization.services import TransactionInput, evaluate
from authorization.services.requests import request_submit
from authorization.services.trail import Actor
from bankcore.roles import Role
from tests.authorization.factories import REVERSAL_DESK, desks, rule_set, withdrawal_rule_set

REASON_CODES = [
    ("IMAGE_UNCLEAR", "return", "An image is unclear or incomplete", "影像不清晰或不完整"),
    (
        "IDENTITY_DOUBT",
        "reject",
        "The customer's identity could not be confirmed",
        "无法确认客户身份",
    ),
]
WITHDRAWAL_IMAGES = ("ID_CARD_FRONT", "ID_CARD_BACK", "WITHDRAWAL_SLIP")
WITHDRAWAL_POINTS = ("ID_MATCHES", "ID_VALID", "SLIP_AMOUNT", "SLIP_SIGNED")


@pytest.fixture(autouse=True)
def imaging_store(settings, tmp_path):
    """A private image store per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "imaging": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "imaging")},
        },
    }
    settings.IMAGING_KEEP_ORIGINALS = False
    return tmp_path / "imaging"


@pytest.fixture
def withdrawal_rules(db, param_admin, second_param_admin):
    """The withdrawal desk, as in tests/authorization/conftest.py, for the tests in other apps
    that import these fixtures."""
    return withdrawal_rule_set((param_admin, second_param_admin))


@pytest.fixture
def reversal_rules(db, param_admin, second_param_admin, reason_catalogue):
    """The published reversal desk: every reversal goes to the branch supervisor, on site."""
    return rule_set((param_admin, second_param_admin), **desks(REVERSAL_DESK))


@pytest.fixture
def reason_catalogue(db):
    for position, (code, kind, name, name_zh) in enumerate(REASON_CODES):
        ReasonCode.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": name, "name_zh_hans": name_zh, "position": position},
        )


def limit(user, amount: str, currency: str = "CNY") -> None:
    AuthorizerLimit.objects.update_or_create(
        user=user, currency=currency, defaults={"max_amount": Decimal(amount)}
    )


@pytest.fixture
def teller1(make_user):
    return make_user(Role.TELLER, "BJ01", username="teller1")


@pytest.fixture
def authorizer1(make_user):
    user = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="authorizer1")
    limit(user, "100000.00")
    return user


@pytest.fixture
def authorizer2(make_user):
    user = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=2, username="authorizer2")
    limit(user, "1000000.00")
    return user


@pytest.fixture
def authorizer3(make_user):
    user = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=3, username="authorizer3")
    limit(user, "5000000.00")
    return user


def evaluate_withdrawal(amount: str, *, branch: str = "BJ01", teller: str = "teller1", **extra):
    evaluation = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            branch_code=branch,
            teller=teller,
            elements={"amount": {"amount": amount, "currency": "CNY"}, **extra},
        )
    )
    assert evaluation.decision.required, "the withdrawal rules ask for authorization here"
    return evaluation.reference


@pytest.fixture
def submit_withdrawal(withdrawal_rules, reason_catalogue):
    def submit(user, amount: str = "60000.00", **kwargs):
        reference = evaluate_withdrawal(amount, teller=user.username, **kwargs)
        return request_submit(evaluation_reference=reference, actor=Actor(user=user))

    return submit


def jpeg(seed: int, width: int = 1200, height: int = 800) -> bytes:
    """A sharp, distinct 'photo' made with Pillow (a different picture per seed)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(80):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 3), y0 + rng.randrange(20, height // 3)
        draw.rectangle((x0, y0, x1, y1), fill=tuple(rng.randrange(20, 235) for _ in range(3)))
    for row in range(0, height, 22):
        x = rng.randrange(0, width // 5)
        while x < width - 40:
            word = rng.randrange(12, 60)
            draw.rectangle((x, row + 5, x + word, row + 13), fill=(15, 15, 15))
            x += word + rng.randrange(5, 14)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def upload(seed: int, name: str = "image.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(seed), content_type="image/jpeg")


@pytest.fixture
def with_evidence(django_capture_on_commit_callbacks):
    """Attach the withdrawal's required images through the services (real imaging) and
    return the request as it is afterwards (queued once they are ready)."""
    from authorization.services.requests import request_image_attach

    def attach(request, seed: int = 1):
        with django_capture_on_commit_callbacks(execute=True):
            for offset, code in enumerate(WITHDRAWAL_IMAGES):
                request_image_attach(
                    reference=request.reference,
                    image_type_code=code,
                    upload=upload(seed * 10 + offset),
                    actor=Actor(user=request.submitted_by),
                )
        request.refresh_from_db()
        return request

    return attach


def all_points_pass():
    from authorization.services.requests import VerdictInput

    return [VerdictInput(point, True) for point in WITHDRAWAL_POINTS]
