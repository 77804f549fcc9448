"""Which Bot API failures are safe to send again (bot.services.pacing.not_processed)."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.services.digests.pacing import not_processed


def caused(exc: Exception, cause: BaseException) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("error", "safe"),
    [
        (NetworkError("Internal Server Error"), True),  # a 5xx answer: Telegram did not act
        (NetworkError("Bad Gateway"), True),
        (caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("x")), True),
        # the request may have gone out: a resend could answer twice
        (caused(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("x")), False),
        (caused(NetworkError("httpx.ReadError"), httpx.ReadError("x")), False),
        (TimedOut(), False),
        (BadRequest("Bad Request: can't parse entities"), False),
        (Forbidden("Forbidden: bot was blocked by the user"), False),
        (RetryAfter(3), False),  # handled on its own: wait retry_after
    ],
)
def test_only_unprocessed_requests_are_sent_again(error: Exception, safe: bool) -> None:
    assert not_processed(error) is safe
