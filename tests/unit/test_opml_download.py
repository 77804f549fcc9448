"""OPML uploads: the download is refused above the cap whether or not Telegram reports a size."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.i18n import get_translator
from handlers.common.guards import UsageError
from handlers.sources import MAX_OPML_DOWNLOAD, download_opml

_ = get_translator("en")


@dataclass
class FakeFile:
    content: bytes
    file_size: int | None
    downloads: list[int] = field(default_factory=list)

    async def download_as_bytearray(self) -> bytearray:
        self.downloads.append(len(self.content))
        return bytearray(self.content)


@dataclass
class FakeDocument:
    file: FakeFile
    file_size: int | None = None

    async def get_file(self) -> FakeFile:
        return self.file


async def test_no_size_reported_anywhere_is_checked_on_the_bytes() -> None:
    big = FakeFile(b"x" * (MAX_OPML_DOWNLOAD + 1), file_size=None)
    with pytest.raises(UsageError, match="too large"):
        await download_opml(_, FakeDocument(big))  # type: ignore[arg-type]


async def test_size_reported_by_get_file_refuses_before_downloading() -> None:
    big = FakeFile(b"", file_size=MAX_OPML_DOWNLOAD + 1)
    with pytest.raises(UsageError, match="too large"):
        await download_opml(_, FakeDocument(big))  # type: ignore[arg-type]
    assert big.downloads == []


async def test_a_small_file_is_downloaded() -> None:
    small = FakeFile(b"<opml/>", file_size=None)
    assert await download_opml(_, FakeDocument(small)) == b"<opml/>"  # type: ignore[arg-type]
