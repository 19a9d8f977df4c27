"""What the codes the reports group by are called, in the reader's language: the branches,
and (through authorization's facade) transactions, channels, reasons, modes and states."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from authorization.facade import code_names as authorization_code_names
from bankcore.models import OrgUnit


@dataclass(frozen=True, slots=True)
class ReportNames:
    """What the codes the reports group by are called, in the active language: a bar or a
    row keeps its code (the key of its drill-down and of the exports) and shows its name."""

    branches: dict[str, str]
    transactions: dict[str, str]
    channels: dict[str, str]
    decision_reasons: dict[str, str]
    modes: dict[str, str]
    states: dict[str, str]
    kinds: dict[str, str]
    people: dict[str, str]  # username → full name, for the usernames asked for

    def of(self, drill: dict[str, str], label: str) -> str:
        """The name of the bar or row whose drill-down is `drill` (its label otherwise)."""
        if "reason" in drill:
            reason, kind = drill["reason"], drill.get("kind", "")
            name = self.decision_reasons.get(reason, reason or "—")
            return f"{name} ({self.kinds.get(kind, kind)})"
        for key, book in (
            ("branch", self.branches),
            ("transaction", self.transactions),
            ("channel", self.channels),
            ("mode", self.modes),
            ("authorizer", self.people),
        ):
            if key in drill:
                return book.get(drill[key], label)
        return label


def code_names(*, usernames: Iterable[str] = ()) -> ReportNames:
    """The names of the branches, transactions, channels, reasons and modes, and of the
    people with `usernames` (four queries, five with usernames)."""
    named = authorization_code_names()
    wanted = [username for username in usernames if username]
    people = (
        {
            user.username: user.get_full_name() or user.username
            for user in get_user_model()
            .objects.filter(username__in=wanted)
            .only("username", "first_name", "last_name")
        }
        if wanted
        else {}
    )
    return ReportNames(
        branches=dict(OrgUnit.objects.values_list("code", "name")),
        transactions=named.transactions,
        channels=named.channels,
        decision_reasons=named.decision_reasons,
        modes=named.modes,
        states=named.states,
        kinds={
            "submitted": _("Submitted"),
            "approved": _("Approved"),
            "first_approved": _("Approved"),
            "returned": _("Returned"),
            "rejected": _("Rejected"),
            "escalated": _("Escalated (time limit passed)"),
            "expired": _("Expired"),
            "cancelled": _("Cancelled"),
            "decided": _("Decided"),
            "final": _("Approved or rejected"),
        },
        people=people,
    )
