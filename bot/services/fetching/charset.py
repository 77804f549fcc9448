"""Turn fetched bytes into text: BOM, HTTP charset, XML declaration, HTML meta, then a guess."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_META = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00!", "utf-16-be"),
    (b"<\x00!\x00", "utf-16-le"),
    (b"\x00<\x00r", "utf-16-be"),
    (b"<\x00r\x00", "utf-16-le"),
    (b"\x00<\x00f", "utf-16-be"),
    (b"<\x00f\x00", "utf-16-le"),
)
_EBCDIC_DECL = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC (XML 1.0 Appendix F)
# Servers label everything iso-8859-1 (Apache's old default) or us-ascii (RFC 3023 for
# text/xml) without knowing better; a declaration inside the document is more trustworthy.
_WEAK_HTTP_CHARSETS = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
_SNIFF_BYTES = 64 * 1024  # enough for charset-normalizer; guessing over 5 MB is slow


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode a response body; never raises (undecodable bytes become U+FFFD)."""
    if not body:
        return ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    wide = wide_unicode(body)
    if wide:
        return body.decode(wide, errors="replace")
    if body.startswith(_EBCDIC_DECL):
        return body.decode(_ebcdic_codec(body), errors="replace")
    http = _codec(http_charset(content_type))
    declared = _codec(_declared_charset(body))
    order = [http, declared]
    if http in _WEAK_HTTP_CHARSETS and declared and declared != http:
        order = [declared, http]
    for codec in [*order, "utf-8"]:
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    guess = charset_normalizer.from_bytes(body[:_SNIFF_BYTES]).best()
    return body.decode(guess.encoding if guess else "utf-8", errors="replace")


def wide_unicode(body: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told by how "<" is spelled at the start
    (XML 1.0 Appendix F); None for everything else."""
    head = body[:4]
    for pattern, codec in _WIDE_STARTS:
        if head == pattern:
            return codec
    return None


def _ebcdic_codec(body: bytes) -> str:
    """The codec an EBCDIC XML declaration names (cp500, cp875…), read in cp500."""
    found = re.search(r"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", body[:200].decode("cp500"))
    codec = _codec(found.group(1)) if found else None
    return codec if codec and codec.startswith("cp") else "cp500"


def http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _declared_charset(body: bytes) -> str | None:
    head = body[:4096]
    found = _XML_DECL.match(head) or _META.search(head)
    return found.group(1).decode("ascii") if found else None


def _codec(name: str | None) -> str | None:
    """Python's codec name for a charset label; None for unknown or useless labels."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return None  # we only get here without a BOM, where such a label is a lie
    # As browsers do (WHATWG Encoding): latin-1 and ascii labels mean windows-1252.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
