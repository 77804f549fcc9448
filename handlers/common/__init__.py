"""What every handler needs, in small modules: `context` (dependencies, the user's translator,
arguments, a unit of work), `guards` (usage errors, admins only), `replies` (sending and
editing), `actions` (the registry of button actions; each handler module adds its own in
`register(app)`), `lookup` (finding a proposal or actor) and `chat_rights` (who may manage a
chat's settings).

This is the handlers' shared toolkit; handler modules import it and never one another. The
names are also re-exported here, so `from handlers.common import send` keeps working."""

from handlers.common.actions import Action, register_action
from handlers.common.chat_rights import is_chat_admin, may_manage
from handlers.common.context import (
    MAX_ARGS_CHARS,
    MAX_RAW_ARGS,
    Context,
    Handler,
    args_text,
    deps,
    in_session,
    is_admin,
    page_arg,
    raw_args,
    tr,
)
from handlers.common.guards import UsageError, admin_only, command
from handlers.common.lookup import find_or_answer, not_found, run_search
from handlers.common.replies import MAX_CAPTION, edit, markup, send, send_picture

__all__ = [
    "MAX_ARGS_CHARS",
    "MAX_CAPTION",
    "MAX_RAW_ARGS",
    "Action",
    "Context",
    "Handler",
    "UsageError",
    "admin_only",
    "args_text",
    "command",
    "deps",
    "edit",
    "find_or_answer",
    "in_session",
    "is_admin",
    "is_chat_admin",
    "markup",
    "may_manage",
    "not_found",
    "page_arg",
    "raw_args",
    "register_action",
    "run_search",
    "send",
    "send_picture",
    "tr",
]
