"""Kernel data: the bank's organisation and its users."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ORG_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Z]{2,12}$", _("Use 2 to 12 digits or capital letters.")
)
MAX_AUTHORIZATION_LEVEL = 9


class OrgUnitKind(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    BRANCH = "branch", _("Tier-1 branch")
    OUTLET = "outlet", _("Sub-branch / outlet")
    AUTHORIZATION_CENTER = "authorization_center", _("Remote authorization center")


def path_is_within(path: str, ancestor_path: str) -> bool:
    """True when the unit at `path` is the one at `ancestor_path` or lies below it (a path
    ends in "/", so "/HO/SH/SH011/" is not within "/HO/SH/SH01/"). For callers that read
    paths alone, without making OrgUnit objects."""
    return path.startswith(ancestor_path)


class OrgUnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        return self.filter(path__startswith=unit.path)


class OrgUnit(models.Model):
    """One unit of the bank: head office, tier-1 branch, outlet or the remote authorization
    center. `path` is the chain of codes from the root ("/HO/BJ/BJ01/"), kept so that a
    whole subtree is one indexed prefix query."""

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[ORG_CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="head_office", parent__isnull=True)
                | (~Q(kind="head_office") & Q(parent__isnull=False)),
                name="orgunit_only_head_office_is_root",
            ),
        ]
        permissions = [
            ("view_all_branches", _("Can see the data of every branch")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is `other` or lies below it."""
        return path_is_within(self.path, other.path)


class User(AbstractUser):
    """A member of staff or an API client. Belongs to one organisation unit; roles are groups."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authorization_level = models.PositiveSmallIntegerField(
        _("authorization level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AUTHORIZATION_LEVEL)],
        help_text=_("For authorizers: the highest level of request this person may decide."),
    )
    employee_no = models.CharField(_("employee number"), max_length=20, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(authorization_level__isnull=True)
                | Q(authorization_level__gte=1, authorization_level__lte=MAX_AUTHORIZATION_LEVEL),
                name="user_authorization_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.username


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday business week: a public holiday on a weekday
    (not a business day) or a make-up working day on a weekend (a business day), as the
    bank's calendar for the year says."""

    day = models.DateField(_("date"), unique=True)
    is_business_day = models.BooleanField(_("business day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.note}".strip()


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` a user sent to a state-changing endpoint, and the answer it got.

    While the first request runs, the record is in flight (`completed` false) and holds a lease
    (`lease_token`, `started_at`); a duplicate then gets 409. When the request succeeds, its
    answer is stored in the same transaction as its writes, so a retry replays it. Records
    expire after `IDEMPOTENCY_KEY_TTL_HOURS` and are purged by a periodic task."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("HTTP method"), max_length=10)
    endpoint = models.CharField(_("endpoint"), max_length=255)
    request_hash = models.CharField(_("request body hash"), max_length=64)
    lease_token = models.UUIDField()
    started_at = models.DateTimeField(_("started at"))
    completed = models.BooleanField(_("completed"), default=False)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencyrecord_user_key"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(response_status__isnull=False),
                name="idempotencyrecord_completed_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
