"""The errors of the request services, each named for what went wrong (mapped to the API's
error body and to form errors by bankcore.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import status

from bankcore.errors import Conflict, DomainError, NotFound


class RequestNotFound(NotFound):
    code = "request_not_found"
    default_message = gettext_lazy("No authorization request has this reference.")


class EvaluationNotFound(NotFound):
    code = "evaluation_not_found"
    default_message = gettext_lazy("No evaluated transaction has this reference.")


class InvalidSubmission(DomainError):
    code = "invalid_submission"
    default_message = gettext_lazy("This transaction cannot be submitted for authorization.")


class AlreadySubmitted(Conflict):
    code = "already_submitted"
    default_message = gettext_lazy("This evaluated transaction has already been submitted.")


class EvaluationOutdated(Conflict):
    code = "evaluation_outdated"
    default_message = gettext_lazy(
        "The facts behind this evaluation have changed: evaluate the transaction again."
    )


class RequestStateConflict(Conflict):
    code = "state_conflict"
    default_message = gettext_lazy(
        "The request has changed meanwhile (someone else acted first); nothing was done."
    )


class EvidenceIncomplete(Conflict):
    code = "evidence_incomplete"
    default_message = gettext_lazy("The request cannot be approved yet.")


class MandatoryPointFailed(Conflict):
    code = "mandatory_point_failed"
    default_message = gettext_lazy(
        "A mandatory review point failed: the request can only be rejected or returned."
    )


class NotEligible(DomainError):
    code = "not_eligible"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("You may not decide this request.")


class NotAllowed(DomainError):
    code = "not_allowed"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("You may not do this with this request.")


class InvalidDecisionInput(DomainError):
    code = "invalid"
    default_message = gettext_lazy("Some fields are invalid.")


class StepUpFailed(DomainError):
    code = "step_up_failed"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("The supervisor's username or password is wrong.")


class StepUpLocked(DomainError):
    code = "locked_out"
    http_status = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = gettext_lazy(
        "Too many failed logins: the supervisor's account is locked for now."
    )


# What was invalid, named (all answer 400 "invalid" with the fields, as InvalidDecisionInput).


class UnknownReasonCode(InvalidDecisionInput):
    default_message = gettext_lazy("Unknown reason code.")


class CommentRequired(InvalidDecisionInput):
    """A decision that needs a comment came without one."""


class InvalidVerdicts(InvalidDecisionInput):
    """Verdicts on points the request does not have, or a failure without a comment."""


class ImageTypeNotAsked(InvalidDecisionInput):
    default_message = gettext_lazy("This image type is not asked for by the request's decision.")


class ImageNotAccepted(InvalidDecisionInput):
    """Imaging refused the file (its message is the error's)."""


class UnknownMode(InvalidDecisionInput):
    """Not an authorization mode."""


class AlreadyInMode(InvalidDecisionInput):
    """A transfer to the mode the request is already in."""


class UnknownAction(InvalidDecisionInput):
    """An on-site decision other than approve, reject or return."""


class SubmitterOnly(NotAllowed):
    """Only the submitter (or the channel acting for them) may do this."""


class NotTheHolder(NotAllowed):
    """Only the request's current holder may transfer it."""
