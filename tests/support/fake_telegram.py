"""The fake Bot API's public names in one import (tests/support/fake_bot_api/ has the parts)."""

from tests.support.fake_bot_api.methods import (
    BOT_USERNAME,
    command_entities,
    validate_bot_command,
    validate_inline_keyboard,
)
from tests.support.fake_bot_api.photos import PNG_SIGNATURE, photo_size
from tests.support.fake_bot_api.records import (
    ApiCall,
    CallbackAnswer,
    InlineAnswer,
    RateLimits,
    RejectedRequest,
    SentMessage,
    iter_entities,
)
from tests.support.fake_bot_api.server import FakeTelegram
from tests.support.telegram_html import (
    ParsedHtml,
    TelegramHtmlError,
    check_telegram_html,
    parse_telegram_html,
    utf16_len,
)

__all__ = [
    "BOT_USERNAME",
    "PNG_SIGNATURE",
    "ApiCall",
    "CallbackAnswer",
    "FakeTelegram",
    "InlineAnswer",
    "ParsedHtml",
    "RateLimits",
    "RejectedRequest",
    "SentMessage",
    "TelegramHtmlError",
    "check_telegram_html",
    "command_entities",
    "iter_entities",
    "parse_telegram_html",
    "photo_size",
    "utf16_len",
    "validate_bot_command",
    "validate_inline_keyboard",
]
