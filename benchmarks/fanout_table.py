"""The rows both fan-out benchmarks print: the limits they ran under, then a three-column table."""

from __future__ import annotations

Row = tuple[str, str, str]


def limit_rows(result: dict[str, object]) -> list[Row]:
    """The rate-limit scale and the floor N/(30×scale) the run is measured against."""
    return [
        ("limit scale", f"×{result['scale']:g}", "fake and pacing: 30/s, 1/s/chat, 20/min/group"),
        ("floor N/(30×scale)", f"{result['floor_s']:.1f} s", ""),
    ]


def print_rows(rows: list[Row]) -> None:
    """Name, value and note, names padded to the longest one."""
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")
