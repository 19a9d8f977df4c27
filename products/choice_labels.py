"""What users read for the codes of the usage-control choice lists (customer types,
channels, media, transactions), in the active language: messages name these, never the
internal codes ("仅允许对公客户", not "仅允许corporate客户")."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

CHOICE_LABELS = {
    # not a parameter: the customer's status, as messages about an opening name it
    "customer_status": {
        "active": pgettext_lazy("customer status", "active"),
        "dormant": pgettext_lazy("customer status", "dormant"),
        "closed": pgettext_lazy("customer status", "closed"),
    },
    "allowed_customer_types": {
        "personal": pgettext_lazy("customer type", "personal"),
        "corporate": pgettext_lazy("customer type", "corporate"),
        "internal": pgettext_lazy("customer type", "internal"),
    },
    "allowed_channels": {
        "counter": pgettext_lazy("channel", "Counter"),
        "self_service": pgettext_lazy("channel", "Self-service"),
        "mobile": pgettext_lazy("channel", "Mobile"),
        "lobby_pad": pgettext_lazy("channel", "Lobby Pad"),
        "core": pgettext_lazy("channel", "Core system"),
    },
    "allowed_media": {
        "passbook": pgettext_lazy("medium", "Passbook"),
        "card": pgettext_lazy("medium", "Debit card"),
        "certificate": pgettext_lazy("medium", "Certificate of deposit"),
        "none": pgettext_lazy("medium", "No medium"),
    },
    "allowed_transactions": {
        "deposit": pgettext_lazy("product transaction", "Deposit"),
        "withdrawal": pgettext_lazy("product transaction", "Withdrawal"),
        "early_withdrawal": pgettext_lazy("product transaction", "Early withdrawal"),
        "transfer": pgettext_lazy("product transaction", "Transfer"),
        "renewal": pgettext_lazy("product transaction", "Renewal"),
        "drawdown": pgettext_lazy("product transaction", "Drawdown"),
        "repayment": pgettext_lazy("product transaction", "Repayment"),
        "closure": pgettext_lazy("product transaction", "Closure"),
    },
}


def choice_label(parameter: str, code: str) -> str:
    """The label of `code` in the choice list `parameter` (currency codes stay as they are)."""
    label = CHOICE_LABELS.get(parameter, {}).get(code)
    return str(label) if label is not None else code


def choice_labels(parameter: str, codes) -> str:
    """Several codes' labels, joined for a sentence."""
    return ", ".join(choice_label(parameter, code) for code in codes)
