"""Demo authorization requests in every state, across branches, channels and levels, made
through the services (real images made with Pillow, the real trail). Called by
authorization.demo.seed; does nothing when requests exist already (idempotent)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankcore.models import OrgUnit
from bankcore.roles import Role
from bankcore.services import user_ensure

from .models import AuthorizationRequest, AuthorizerLimit, ReasonCode
from .services.evaluation import TransactionInput, evaluate
from .services.requests import (
    VerdictInput,
    request_approve,
    request_cancel,
    request_claim_next,
    request_escalate,
    request_evidence_check,
    request_image_attach,
    request_reject,
    request_return,
    request_submit,
    request_transfer,
    request_verdicts_record,
)
from .services.trail import Actor

# Extra tellers so that requests come from several branches (password: DEMO_PASSWORD).
# Chinese names written whole, family name first, as bankcore/demo.py writes its users'.
TELLERS = [
    ("teller2", "周杰", "BJ02"),
    ("teller3", "吴磊", "SH01"),
]
# Amount limits per authorizer (beside their level).
LIMITS = {
    "supervisor1": [("CNY", "50000.00")],
    "authorizer1": [("CNY", "100000.00"), ("USD", "15000.00")],
    "authorizer2": [("CNY", "1000000.00"), ("USD", "150000.00")],
    "authorizer3": [("CNY", "10000000.00"), ("USD", "1500000.00")],
}
REASON_CODES = [
    ("IMAGE_UNCLEAR", "return", "An image is unclear or incomplete", "影像不清晰或不完整"),
    ("IMAGE_MISSING", "return", "A required document is missing", "缺少必要的凭证或证件"),
    (
        "ELEMENT_MISMATCH",
        "return",
        "An entered element does not match the voucher",
        "录入要素与凭证不符",
    ),
    ("SIGNATURE_MISSING", "return", "The customer's signature is missing", "缺少客户签名"),
    (
        "IDENTITY_DOUBT",
        "reject",
        "The customer's identity could not be confirmed",
        "无法确认客户身份",
    ),
    (
        "DOCUMENT_INVALID",
        "reject",
        "The identity document is invalid or expired",
        "身份证件无效或已过期",
    ),
    ("FRAUD_SUSPECTED", "reject", "Signs of fraud", "存在欺诈迹象"),
    ("POLICY_BREACH", "reject", "The transaction breaks the bank's policy", "交易违反本行制度"),
]


@dataclass
class _Seeder:
    users: dict
    rng: random.Random
    seed: int = 0

    def user(self, username: str):
        return self.users[username]

    def submit(self, teller: str, amount: str, *, channel="counter", minutes_ago: int = 0, **kw):
        now = timezone.now() - timedelta(minutes=minutes_ago)
        user = self.user(teller)
        evaluation = evaluate(
            transaction=TransactionInput(
                transaction_code=kw.get("code", "CASH_WITHDRAWAL"),
                channel=channel,
                branch_code=user.org_unit.code,
                teller=teller,
                elements=kw.get("elements", {"amount": {"amount": amount, "currency": "CNY"}}),
            ),
            now=now,
            acted_by=user,
        )
        return request_submit(
            evaluation_reference=evaluation.reference,
            actor=Actor(user=user, terminal=f"{user.org_unit.code}-T0{self.rng.randint(1, 8)}"),
            now=now,
        )

    def evidence(self, request: AuthorizationRequest) -> AuthorizationRequest:
        """Attach the required images and process them now (seed_demo runs in one
        transaction, so imaging's on-commit processing would come too late for the states
        that follow)."""
        from imaging import facade as imaging_facade

        for image in request.decision.get("required_image_types", []):
            self.seed += 1
            facts = request_image_attach(
                reference=request.reference,
                image_type_code=image["code"],
                upload=_jpeg_upload(self.seed, image["code"]),
                actor=Actor(user=request.submitted_by),
            )
            imaging_facade.image_process(image_id=facts.id)
        request_evidence_check(reference=request.reference)
        request.refresh_from_db()
        return request

    def claim(self, username: str, request: AuthorizationRequest):
        claimed = request_claim_next(actor=Actor(user=self.user(username)))
        assert claimed is not None and claimed.pk == request.pk, "demo claim in order"
        return Actor(user=self.user(username))

    def review(self, actor: Actor, request: AuthorizationRequest, *, failed: str = "") -> None:
        verdicts = [
            VerdictInput(
                p["code"], p["code"] != failed, "Does not match" if p["code"] == failed else ""
            )
            for p in request.decision.get("review_points", [])
        ]
        if verdicts:
            request_verdicts_record(reference=request.reference, verdicts=verdicts, actor=actor)

    def approve(self, username: str, request: AuthorizationRequest) -> None:
        actor = self.claim(username, request)
        self.review(actor, request)
        request_approve(reference=request.reference, actor=actor)


def _jpeg_upload(seed: int, name: str) -> SimpleUploadedFile:
    rng = random.Random(seed)  # noqa: S311 - demo pictures
    width, height = 960, 640
    from PIL import Image, ImageDraw

    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for _ in range(60):
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
    picture.save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile(f"{name.lower()}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _ensure_people() -> dict:
    User = get_user_model()
    password = settings.DEMO_PASSWORD
    for username, full_name, unit in TELLERS:
        if not User.objects.filter(username=username).exists():
            user_ensure(
                username=username,
                password=password,
                org_unit=OrgUnit.objects.get(code=unit),
                roles=[Role.TELLER],
                first_name=full_name,
                last_name="",
            )
    for username, limits in LIMITS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for currency, amount in limits:
            AuthorizerLimit.objects.get_or_create(
                user=user, currency=currency, defaults={"max_amount": Decimal(amount)}
            )
    for position, (code, kind, name, name_zh) in enumerate(REASON_CODES):
        ReasonCode.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": name, "name_zh_hans": name_zh, "position": position},
        )
    names = ["teller1", *(t[0] for t in TELLERS), *LIMITS]
    return {
        u.username: u for u in User.objects.filter(username__in=names).select_related("org_unit")
    }


def seed(*, stdout) -> None:
    users = _ensure_people()
    if AuthorizationRequest.objects.exists() or len(users) < 7:
        return
    s = _Seeder(users=users, rng=random.Random(9))  # noqa: S311 - demo data, reproducible

    # Decided requests first (each is the only one queued when it is claimed).
    s.approve("authorizer1", s.evidence(s.submit("teller1", "60000.00", minutes_ago=300)))
    s.approve("authorizer2", s.evidence(s.submit("teller3", "120000.00", minutes_ago=280)))
    dual = s.evidence(s.submit("teller2", "300000.00", channel="lobby_pad", minutes_ago=260))
    s.approve("authorizer2", dual)
    s.approve("authorizer3", dual)
    rejected = s.evidence(s.submit("teller2", "80000.00", minutes_ago=240))
    actor = s.claim("authorizer1", rejected)
    s.review(actor, rejected, failed="ID_MATCHES")
    request_reject(
        reference=rejected.reference,
        actor=actor,
        reason_code="IDENTITY_DOUBT",
        comment="The face on the ID card does not match the on-site photo.",
    )
    returned = s.evidence(s.submit("teller3", "55000.00", minutes_ago=220))
    actor = s.claim("authorizer1", returned)
    request_return(
        reference=returned.reference,
        actor=actor,
        reason_code="IMAGE_UNCLEAR",
        comment="The withdrawal slip is cut off at the bottom; photograph it again.",
    )
    in_review = s.evidence(s.submit("teller1", "95000.00", minutes_ago=30))
    s.review(s.claim("authorizer1", in_review), in_review)
    cancelled = s.submit("teller2", "52000.00", minutes_ago=200)
    request_cancel(
        reference=cancelled.reference,
        actor=Actor(user=s.user("teller2")),
        comment="The customer changed their mind.",
    )
    # A dual request with its first approval, waiting for a second authorizer.
    s.approve("authorizer2", s.evidence(s.submit("teller1", "260000.00", minutes_ago=15)))

    # Past their time limit: one escalated (level 2, first in the queue), one expired.
    now = timezone.now()
    expired = s.evidence(s.submit("teller1", "58000.00", minutes_ago=60))
    request_escalate(reference=expired.reference, now=now - timedelta(minutes=40))
    request_escalate(reference=expired.reference, now=now - timedelta(minutes=5))
    escalated = s.evidence(s.submit("teller3", "65000.00", minutes_ago=20))
    request_escalate(reference=escalated.reference, now=now)
    # The queues as they stand: level 1 and 2, three branches, several channels.
    for teller, amount, channel, ago in [
        ("teller1", "60000.00", "counter", 12),
        ("teller1", "70000.00", "lobby_pad", 9),
        ("teller2", "66000.00", "counter", 8),
        ("teller3", "88000.00", "mobile", 6),
        ("teller1", "250000.00", "counter", 4),
    ]:
        s.evidence(s.submit(teller, amount, channel=channel, minutes_ago=ago))
    s.submit("teller1", "75000.00", minutes_ago=2)  # waiting for evidence
    s.submit("teller3", "61000.00", minutes_ago=1)
    # On-site: a reversal waiting for supervisor1 at teller1's terminal, and one pushed to
    # the supervisor's own terminal (cross-terminal).
    reversal = {
        "original_reference": "TX-20261130-0042",
        "amount": {"amount": "800.00", "currency": "CNY"},
    }
    s.evidence(s.submit("teller1", "", code="REVERSAL", elements=reversal, minutes_ago=3))
    pushed = s.evidence(s.submit("teller1", "", code="REVERSAL", elements=reversal, minutes_ago=2))
    request_transfer(
        reference=pushed.reference,
        mode="cross_terminal",
        actor=Actor(user=s.user("teller1")),
        comment="Supervisor at the back office: pushed to their terminal.",
    )
    count = AuthorizationRequest.objects.count()
    stdout.write(f"Authorization: {count} requests in every state (queues for BJ01, BJ02, SH01).")
