"""What other apps may call in the authorization app (the only module they import).

Reports read the request trail and the review verdicts incrementally, and the names of the
codes they group by, as frozen dataclasses (never model instances or querysets). Apps that
authorization acts on do not import it: it reaches them through their own facades and the
kernel's ports (bankcore.ports).
"""

from __future__ import annotations

from authorization.selectors import (
    CodeNames,
    RequestEventFacts,
    ReviewVerdictFacts,
    code_names,
    request_events_after,
    review_verdicts_after,
)

__all__ = [
    "CodeNames",
    "RequestEventFacts",
    "ReviewVerdictFacts",
    "code_names",
    "request_events_after",
    "review_verdicts_after",
]
