"""Forms of the tellers', supervisors' and remote authorizers' pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.errors import DomainError
from bankcore.forms import AmountFormField
from bankcore.widgets import LookupInput

from .forms import TryItForm, _style
from .models import AuthorizationMode
from .services.requests import VerdictInput


class TellerTransactionForm(TryItForm):
    """A transaction from the catalogue in force: the channel and one field per declared
    element (generated from the element types; money as amount + currency). The branch and
    the teller are the signed-in user's."""

    def __init__(self, *args, transaction_types, channels, transaction, **kwargs):
        super().__init__(
            *args,
            versions=[],
            transaction_types=transaction_types,
            channels=channels,
            transaction=transaction,
            **kwargs,
        )
        for name in ("version", "branch_code", "teller"):
            del self.fields[name]
        for name, kind in self.element_kinds.items():
            if kind == "account_no":  # search as you type, within the teller's branches
                field = self.fields[f"el_{name}"]
                field.widget = LookupInput("authorization:account-pick")
                field.widget.attrs["class"] = "form-control"


class ImageAttachForm(forms.Form):
    image_type = forms.ChoiceField(label=_("Image type"))
    file = forms.FileField(label=_("Picture or scan"))
    accept_warnings = forms.BooleanField(
        label=_("Attach it anyway (the warnings are shown to the authorizer)"), required=False
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image_type"].choices = [
            (
                slot.code,
                f"{slot.name} · "
                + (str(_("required")) if slot.required else str(_("optional")))
                + (" ✓" if slot.ready and not slot.missing else ""),
            )
            for slot in slots
        ]
        missing = [slot.code for slot in slots if slot.missing]
        if missing:
            self.fields["image_type"].initial = missing[0]
        self.fields["file"].widget.attrs.update(
            {"accept": "image/jpeg,image/png,image/tiff,application/pdf", "capture": "environment"}
        )
        _style(self)

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for name, messages in error.fields.items():
            target = {"image_type": "image_type", "file": "file"}.get(name)
            if target:
                for message in messages:
                    self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


VERDICT_CHOICES = [("pass", _("Pass")), ("fail", _("Fail"))]


class VerdictFieldsMixin:
    """A pass/fail choice and a comment per review point (`verdict_<code>`, `note_<code>`)."""

    def add_verdict_fields(self, points) -> None:
        self.points = points
        for point in points:
            code = point["code"]
            mine = point.get("mine")
            self.fields[f"verdict_{code}"] = forms.ChoiceField(
                label=point["text"],
                choices=VERDICT_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=("pass" if mine.passed else "fail") if mine else None,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Comment"),
                max_length=500,
                required=False,
                initial=mine.comment if mine else "",
            )

    def point_rows(self):
        return [
            (point, self[f"verdict_{point['code']}"], self[f"note_{point['code']}"])
            for point in self.points
        ]

    def verdicts(self) -> list[VerdictInput]:
        result = []
        for point in self.points:
            choice = self.cleaned_data.get(f"verdict_{point['code']}")
            if choice:
                result.append(
                    VerdictInput(
                        review_point=point["code"],
                        passed=choice == "pass",
                        comment=self.cleaned_data.get(f"note_{point['code']}", ""),
                    )
                )
        return result

    def add_domain_error(self, error: DomainError) -> None:
        """A service's field errors next to the fields (verdicts[i].comment → that point);
        the message on top when no field of the form is named (it says it all)."""
        placed = False
        sent = self.verdicts() if hasattr(self, "cleaned_data") else []
        for name, messages in error.fields.items():
            target = None
            if name.startswith("verdicts[") and "]" in name:
                index = int(name[len("verdicts[") : name.index("]")])
                if index < len(sent):
                    target = f"note_{sent[index].review_point}"
            elif name in self.fields:
                target = name
            if target is not None:
                for message in messages:
                    self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class ReviewDecisionForm(VerdictFieldsMixin, forms.Form):
    """The task screen: verdicts, then approve, return or reject (with a reason and a
    comment for the teller)."""

    action = forms.ChoiceField(
        choices=[
            ("save", _("Save verdicts")),
            ("approve", _("Approve")),
            ("return", _("Return for supplement")),
            ("reject", _("Reject")),
        ]
    )
    reason_code = forms.ChoiceField(label=_("Reason"), required=False)
    comment = forms.CharField(
        label=_("Comment for the teller"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, points, return_reasons, reject_reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_verdict_fields(points)
        self.fields["reason_code"].choices = [
            ("", "—"),
            (
                str(_("Return for supplement")),
                [(r.code, f"{r.code} · {r.label()}") for r in return_reasons],
            ),
            (str(_("Rejection")), [(r.code, f"{r.code} · {r.label()}") for r in reject_reasons]),
        ]
        self.reason_kinds = {r.code: "return" for r in return_reasons} | {
            r.code: "reject" for r in reject_reasons
        }
        _style(self)

    def clean(self):
        cleaned = super().clean()
        action, reason = cleaned.get("action"), cleaned.get("reason_code")
        if action in ("return", "reject"):
            if not reason:
                self.add_error("reason_code", _("Choose a reason."))
            elif self.reason_kinds.get(reason) != action:
                self.add_error(
                    "reason_code",
                    _("This reason is for a rejection.")
                    if action == "return"
                    else _("This reason is for a return."),
                )
            if not (cleaned.get("comment") or "").strip():
                self.add_error("comment", _("Say why, for the teller."))
        return cleaned


class OnSiteDecisionForm(ReviewDecisionForm):
    """The step-up dialog at the teller's terminal: the supervisor's own credentials."""

    supervisor_username = forms.CharField(label=_("Supervisor's username"), max_length=150)
    supervisor_password = forms.CharField(
        label=_("Supervisor's password"), widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [c for c in self.fields["action"].choices if c[0] != "save"]
        self.fields["supervisor_username"].widget.attrs["autocomplete"] = "off"
        self.fields["supervisor_password"].widget.attrs["autocomplete"] = "off"
        _style(self)

    def add_domain_error(self, error: DomainError) -> None:
        if error.code in ("step_up_failed", "locked_out", "not_eligible"):
            self.add_error("supervisor_password", error.message)
            return
        super().add_domain_error(error)


class ResubmitForm(forms.Form):
    """A returned request back to the queue: a comment and, when the amount was wrong, the
    corrected amount (decided again under the request's rule set)."""

    amount = AmountFormField(label=_("Corrected amount"), required=False)
    comment = forms.CharField(
        label=_("What you supplemented"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = request.currency
        if not request.currency:
            del self.fields["amount"]
        else:
            self.fields["amount"].help_text = _(
                "In %(currency)s; leave empty to keep %(amount)s."
            ) % {
                "currency": request.currency,
                "amount": request.amount,
            }
        _style(self)

    def corrected_elements(self, request) -> dict:
        amount = self.cleaned_data.get("amount")
        if amount in (None, "") or amount == request.amount:
            return {}
        return {"amount": {"amount": str(amount), "currency": self.currency}}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class TransferForm(forms.Form):
    mode = forms.ChoiceField(label=_("Send to"), choices=AuthorizationMode.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(self, *args, current_mode: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [
            c for c in AuthorizationMode.choices if c[0] not in (current_mode, "on_site")
        ]
        self.fields["mode"].initial = AuthorizationMode.REMOTE_CENTRALIZED
        _style(self)
