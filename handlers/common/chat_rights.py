"""Who may change a chat's settings (/subscribe, /language, their buttons).

Private chats: the user. Channels: whoever can post there is an admin. Groups: their admins,
including anonymous ones, who post as the group itself; asked with getChatMember."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from handlers.common.context import Context, deps

log = logging.getLogger(__name__)
_ADMIN = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def may_manage(
    update: Update, context: Context, *, button: bool = False, cached: bool = True
) -> bool:
    """Whether the update's sender may change the chat's settings. A button press is never
    from an anonymous admin's message; `cached=False` asks Telegram every time (for rare
    commands, where a just-demoted admin must not slip through)."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE or update.channel_post is not None:
        return True
    if not button and message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    if user is None:
        return False
    if not cached:
        return await _ask_telegram(context, chat.id, user.id) or False
    return await is_chat_admin(context, chat.id, user.id)


async def is_chat_admin(context: Context, chat_id: int, user_id: int) -> bool:
    """getChatMember's answer, remembered for a while (bot.deps.ADMIN_CACHE_SECONDS); a failed
    question is not remembered."""
    cache = deps(context).chat_admins
    known = cache.get((chat_id, user_id))
    if known is not None:
        return known
    allowed = await _ask_telegram(context, chat_id, user_id)
    if allowed is None:
        return False
    cache.put((chat_id, user_id), allowed)
    return allowed


async def _ask_telegram(context: Context, chat_id: int, user_id: int) -> bool | None:
    """Is the user an owner or administrator of the chat; None when Telegram did not say."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("getChatMember(%s, %s) failed: %s", chat_id, user_id, exc)
        return None
    return member.status in _ADMIN
