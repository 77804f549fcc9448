"""Say what a response really is when it is not a feed: binary files, anti-bot pages."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.services.fetching.charset import wide_unicode

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"\x00asm", "WebAssembly"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg audio/video"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")

# (pattern in the first part of the page, lower-cased; what to call it). Page titles and
# vendor markers are unmistakable; captcha widgets also sit on ordinary pages (comment
# forms), so they only explain a page that had no article text.
_CHALLENGES = (
    ("<title>just a moment", "Cloudflare “Just a moment…”"),
    ("cf-browser-verification", "Cloudflare “Just a moment…”"),
    ("attention required! | cloudflare", "Cloudflare “Attention Required”"),
    ("ddos-guard", "DDoS-Guard"),
    ("_incapsula_resource", "Imperva Incapsula"),
    ("<title>checking your browser", "a browser check"),
    ("<title>captcha", "a captcha"),
    ("<title>access denied", "an “Access denied” page"),
)
_WIDGETS = (
    ("/cdn-cgi/challenge-platform/", "a Cloudflare challenge"),
    ("challenges.cloudflare.com/turnstile", "a Cloudflare Turnstile captcha"),
    ("g-recaptcha", "a captcha"),
    ("h-captcha", "a captcha"),
    ("hcaptcha.com", "a captcha"),
)
_CHALLENGE_SCAN = 32 * 1024


def describe_binary(body: bytes) -> str | None:
    """A name for binary content ("a PNG image", "binary data"), or None for text."""
    head = body[:4096]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        return "an MP4/MOV video"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "WAV audio", b"AVI ": "an AVI video"}[head[8:12]]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or wide_unicode(head):
        return None  # UTF-16 or UTF-32 text, with or without a byte order mark
    # Text never holds NUL and rarely other C0 controls; a few percent means binary.
    if head and len(_CONTROL.findall(head)) > max(1, len(head) // 50):
        return "binary data"
    return None


def describe_challenge(
    text: str, headers: Mapping[str, str] | None = None, *, widgets: bool = True
) -> str | None:
    """The name of the anti-bot page `text` is (e.g. "Cloudflare “Just a moment…”"), or None.
    `widgets=False` ignores captcha widgets, which ordinary pages carry too."""
    if headers is not None and headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare “Just a moment…”"
    head = text[:_CHALLENGE_SCAN].lower()
    if "<html" not in head and "<!doctype" not in head:
        return None  # only whole HTML pages are challenges, not feeds mentioning a captcha
    for needle, name in _CHALLENGES + (_WIDGETS if widgets else ()):
        if needle in head:
            return name
    return None
