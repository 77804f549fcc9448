"""Fonts for pictures: DejaVu Sans, which covers Latin and Cyrillic.

matplotlib's wheel ships DejaVu in its data folder, so `pip install` brings the font with it
(matplotlib itself is never imported: the pictures are drawn with Pillow); Debian's
fonts-dejavu-core is the fallback."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


class FontMissing(RuntimeError):
    """No DejaVu font was found (matplotlib not installed and no system copy)."""


@lru_cache(maxsize=1)
def font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    for base in spec.submodule_search_locations or [] if spec else []:
        candidate = Path(base) / "mpl-data" / "fonts" / "ttf"
        if (candidate / "DejaVuSans.ttf").is_file():
            return candidate
    if (SYSTEM_DEJAVU / "DejaVuSans.ttf").is_file():
        return SYSTEM_DEJAVU
    raise FontMissing("DejaVu Sans not found: install matplotlib or fonts-dejavu-core")


def font_path(bold: bool = False) -> Path:
    return font_dir() / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
