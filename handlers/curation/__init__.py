"""Curating the dossier from chat: one command family in three parts.

preview.py   changes shown with ✅ Confirm / ✖️ Cancel; nothing is written before Confirm
commands.py  /setstatus /newproposal /newactor /retract /undo (admins), /changes (everyone)
dialogs.py   /editproposal, /editfact and /position step by step (PTB ConversationHandlers)
"""

from __future__ import annotations

import warnings

from telegram.ext import Application, CommandHandler
from telegram.warnings import PTBUserWarning

from bot.render import callbacks
from handlers.common.actions import register_action
from handlers.curation.commands import changes, newactor, newproposal, retract, setstatus, undo
from handlers.curation.dialogs import conversations
from handlers.curation.preview import on_confirm


def register(app: Application) -> None:
    with warnings.catch_warnings():  # asking warns when there is none (jobs=False)
        warnings.simplefilter("ignore", PTBUserWarning)
        timed = app.job_queue is not None
    for conversation in conversations(timed):
        app.add_handler(conversation)
    for name, fn in (
        ("setstatus", setstatus),
        ("newproposal", newproposal),
        ("newactor", newactor),
        ("retract", retract),
        ("undo", undo),
    ):
        app.add_handler(CommandHandler(name, fn))
    app.add_handler(CommandHandler("changes", changes))
    register_action(app, callbacks.CURATE, on_confirm)
