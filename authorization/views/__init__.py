"""Server-rendered pages for parameter administrators (managers may read the versions)."""

from .items import condition_preview, item_delete, item_edit
from .proposals import proposal_approve, proposal_list, proposal_reject, proposal_withdraw
from .try_it import try_it
from .versions import (
    draft_create,
    version_check,
    version_compare,
    version_detail,
    version_list,
    version_publish,
    version_simulate,
)

__all__ = [
    "condition_preview",
    "draft_create",
    "item_delete",
    "item_edit",
    "proposal_approve",
    "proposal_list",
    "proposal_reject",
    "proposal_withdraw",
    "try_it",
    "version_check",
    "version_compare",
    "version_detail",
    "version_list",
    "version_publish",
    "version_simulate",
]
