"""What sendPhoto accepts: a real PNG or JPEG within Telegram's photo limits."""

from __future__ import annotations

import re

from tests.support.fake_bot_api.records import ApiError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES = 10000  # width + height
MAX_RATIO = 20
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAME = re.compile(rb"\xff[\xc0-\xc3]")


def photo_size(content: bytes) -> tuple[int, int]:
    """(width, height) of a PNG (its IHDR chunk) or a JPEG (its SOF marker); ApiError as
    Telegram answers for anything else, or past its size limits."""
    if len(content) > MAX_PHOTO_BYTES:
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    width = height = 0
    if content.startswith(PNG_SIGNATURE) and content[12:16] == b"IHDR":
        width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    elif content.startswith(b"\xff\xd8"):
        frame = _JPEG_FRAME.search(content)
        if frame is not None:
            at = frame.start()
            height = int.from_bytes(content[at + 5 : at + 7], "big")
            width = int.from_bytes(content[at + 7 : at + 9], "big")
    else:
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    if (
        not width
        or not height
        or width + height > MAX_SIDES
        or max(width, height) > MAX_RATIO * min(width, height)
    ):
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height
