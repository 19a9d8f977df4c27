from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .item_kinds import ITEM_KINDS, ItemKind
from .models import (
    EvaluatedTransaction,
    RuleSetProposal,
    RuleSetPublication,
    RuleSetVersion,
)

# --- Versions, publications and proposals: read-only here ----------------------------------
# A version is drafted, proposed for publication and approved by a second parameter
# administrator on the rule-set pages (authorization.services); the admin cannot publish,
# edit a publication's time or decide a proposal.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "effective_at", "published_by", "note")


@admin.register(RuleSetPublication)
class RuleSetPublicationAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "effective_at",
        "published_at",
        "published_by",
        "approved_by",
        "is_rollback",
    )
    list_select_related = ("version", "published_by", "approved_by")


@admin.register(RuleSetProposal)
class RuleSetProposalAdmin(ReadOnlyAdmin):
    list_display = ("version", "is_rollback", "status", "proposed_by", "decided_by", "proposed_at")
    list_select_related = ("version", "proposed_by", "decided_by")


@admin.register(EvaluatedTransaction)
class EvaluatedTransactionAdmin(admin.ModelAdmin):
    list_display = (
        "evaluated_at",
        "transaction_code",
        "channel",
        "branch_code",
        "required",
        "mode",
        "level",
    )
    list_filter = ("transaction_code", "channel", "required")


# --- Rule-set content: read-only here ---------------------------------------------------------
# Rules, scenes and the catalogues belong to a rule-set version and change only through the
# draft pages, which validate every condition and keep published versions immutable. The
# admin shows them for inspection and support, and cannot edit them.


class RuleSetContentAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _content_admin(kind: ItemKind) -> type[RuleSetContentAdmin]:
    """The admin of a kind of rule-set item, from its declaration: the listed fields (and the
    version, for items that hang from it), filters by version and by choice fields."""
    model_fields = {f.name: f for f in kind.model._meta.get_fields()}
    listed = [f.name for f in kind.fields if f.listed]
    relations = [name for name in listed if model_fields[name].is_relation]
    if kind.parent == "version":
        listed.append("version")
        relations.append("version")
    choices = [name for name in listed if getattr(model_fields[name], "choices", None)]
    searched = [name for name in ("code", "name") if name in listed]
    attrs = {
        "list_display": tuple(listed),
        "list_filter": (kind.version_path, *choices),
        "list_select_related": tuple(relations),
        "search_fields": tuple(searched),
    }
    return type(f"{kind.model.__name__}Admin", (RuleSetContentAdmin,), attrs)


for _kind in ITEM_KINDS:
    admin.site.register(_kind.model, _content_admin(_kind))


# --- Webhooks (authorization/webhooks.py) ---------------------------------------------------

from django.db import models as _models  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402

from .models import WebhookDelivery, WebhookSubscription  # noqa: E402
from .webhooks import webhook_secret_generate  # noqa: E402


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "integrator", "channel", "url", "is_active", "created_at")
    list_filter = ("is_active", "channel")
    search_fields = ("name", "url", "integrator__username")
    readonly_fields = ("created_at",)
    formfield_overrides = {_models.URLField: {"assume_scheme": "https"}}

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "secret": webhook_secret_generate()}

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = _timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written by the webhook task only."""

    list_display = (
        "event_id",
        "subscription",
        "request_reference",
        "state",
        "attempts",
        "last_status_code",
        "last_attempt_at",
    )
    list_filter = ("state",)
    search_fields = ("request_reference", "event_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Authorization requests (authorization/services/requests.py) ----------------------------
# Requests, verdicts and the trail change only through the services (four-eyes, the trail,
# compare-and-set transitions): the admin shows them read-only, to superusers as well.

from .models import (  # noqa: E402
    AuthorizationRequest,
    AuthorizerLimit,
    Delegation,
    ReasonCode,
    RequestEvent,
    ReviewVerdict,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReviewVerdictInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReviewVerdict
    extra = 0
    fields = ("round", "review_point_code", "passed", "comment", "recorded_by", "recorded_at")


class RequestEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = (
        "seq",
        "kind",
        "from_state",
        "to_state",
        "actor_username",
        "occurred_at",
        "seconds_since_previous",
        "terminal",
        "reason_code",
        "hash",
    )
    ordering = ("seq",)


@admin.register(AuthorizationRequest)
class AuthorizationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "transaction_code",
        "branch",
        "state",
        "mode",
        "level",
        "amount",
        "currency",
        "submitted_by",
        "submitted_at",
    )
    list_filter = ("state", "mode", "level", "transaction_code")
    list_select_related = ("branch", "submitted_by")
    search_fields = ("reference", "submitted_by__username")
    inlines = [ReviewVerdictInline, RequestEventInline]


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "request",
        "seq",
        "kind",
        "from_state",
        "to_state",
        "actor_username",
        "occurred_at",
    )
    list_filter = ("kind",)
    list_select_related = ("request",)
    search_fields = ("request__reference", "actor_username")


@admin.register(ReviewVerdict)
class ReviewVerdictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Authorizers' verdicts on review points, across requests (read-only: recorded with a
    decision)."""

    list_display = ("request", "round", "review_point_code", "passed", "recorded_by", "recorded_at")
    list_filter = ("passed", "review_point_code")
    list_select_related = ("request", "recorded_by")
    search_fields = ("request__reference", "recorded_by__username")


@admin.register(ReasonCode)
class ReasonCodeAdmin(TranslationAdmin):
    list_display = ("code", "kind", "name_en", "name_zh_hans", "is_active", "position")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_en", "name_zh_hans")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # decisions name their reason codes: retire a code (inactive) instead


@admin.register(AuthorizerLimit)
class AuthorizerLimitAdmin(admin.ModelAdmin):
    list_display = ("user", "currency", "max_amount")
    list_select_related = ("user",)
    search_fields = ("user__username",)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("delegator", "substitute", "starts_at", "ends_at", "revoked_at", "created_by")
    list_select_related = ("delegator", "substitute", "created_by")
    readonly_fields = ("created_at", "created_by")

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = _timezone.now()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
