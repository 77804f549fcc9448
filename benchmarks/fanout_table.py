"""The rows both fan-out benchmarks print: the limits they ran under, then a three-column table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

Row = tuple[str, str, str]


def limit_rows(result: dict[str, object]) -> list[Row]:
    """The rate-limit scale and the floor N/(30×scale) the run is measured against."""
    return [
        ("limit scale", f"×{result['scale']:g}", "fake and pacing: 30/s, 1/s/chat, 20/min/group"),
        ("floor N/(30×scale)", f"{result['floor_s']:.1f} s", ""),
    ]


def delivery_counts(chats: Iterable[int], received: Counter[int]) -> dict[str, int]:
    """Chats that got a digest, chats that got none, and the extra copies sent."""
    got = [received[c] for c in chats]
    return {
        "delivered": sum(1 for n in got if n > 0),
        "missing": sum(1 for n in got if n == 0),
        "duplicates": sum(n - 1 for n in received.values()),
    }


def ratio_row(result: dict[str, object]) -> Row:
    """Wall time over the floor, against the 1.1× target."""
    return ("wall / floor", f"{result['ratio']:.3f}×", "target ≤ 1.1×")


def print_rows(rows: list[Row]) -> None:
    """Name, value and note, names padded to the longest one."""
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")
