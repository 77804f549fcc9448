"""Flag word runs shared between a labelled-data file and a directory of source texts.

The labelled sets under tests/fixtures/knowledge/ and benchmarks/data/ must be our own writing.
This script lets a reviewer check that: it reports every run of N words (default 6) that occurs
both in the file and in any text file under the directory (for example the seed articles in
/work/shared/seed/). Words are compared case-insensitively, punctuation ignored.

Usage:
    python benchmarks/data/check_overlap.py benchmarks/data/heldout.yaml /work/shared/seed/
    python benchmarks/data/check_overlap.py tests/fixtures/knowledge/dev.yaml DIR --words 8

For a YAML file only the text values are compared (titles, bodies, claims), not keys or URLs.
Exit status: 0 when nothing is shared, 1 when at least one run is shared, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
SKIP_KEYS = {"id", "url", "lang", "outlet_kind", "published", "actor", "proposal", "stance"}


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (letters, digits and inner apostrophes)."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def runs(tokens: list[str], n: int) -> Iterator[tuple[str, ...]]:
    """Every run of ``n`` consecutive tokens."""
    for i in range(len(tokens) - n + 1):
        yield tuple(tokens[i : i + n])


def yaml_texts(node: object, key: str | None = None) -> Iterator[tuple[str, str]]:
    """(where, text) for every string value in a YAML tree, skipping identifier-like keys."""
    if isinstance(node, dict):
        where = node.get("id") if isinstance(node.get("id"), str) else None
        for k, v in node.items():
            for loc, text in yaml_texts(v, str(k)):
                yield (f"{where}:{loc}" if where and ":" not in loc else loc), text
    elif isinstance(node, list):
        for item in node:
            yield from yaml_texts(item, key)
    elif isinstance(node, str) and key not in SKIP_KEYS:
        yield key or "text", node


def file_texts(path: Path) -> list[tuple[str, str]]:
    """The texts to check from ``path``: YAML string values, or the whole file."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in {".yaml", ".yml"}:
        try:
            return list(yaml_texts(yaml.safe_load(raw)))
        except yaml.YAMLError:
            pass
    return [(path.name, raw)]


def source_runs(directory: Path, n: int) -> dict[tuple[str, ...], str]:
    """Map each ``n``-word run found under ``directory`` to the first file holding it."""
    found: dict[tuple[str, ...], str] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        for _, text in file_texts(path):
            for run in runs(words(text), n):
                found.setdefault(run, str(path.relative_to(directory)))
    return found


def shared_runs(
    texts: Iterable[tuple[str, str]], sources: dict[tuple[str, ...], str], n: int
) -> list[tuple[str, str, str]]:
    """(where, run, source file) for each run of the texts that also occurs in the sources."""
    hits: list[tuple[str, str, str]] = []
    for where, text in texts:
        seen: set[tuple[str, ...]] = set()
        for run in runs(words(text), n):
            if run in sources and run not in seen:
                seen.add(run)
                hits.append((where, " ".join(run), sources[run]))
    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="labelled YAML (or any text) file to check")
    parser.add_argument(
        "directory", type=Path, help="directory of source texts (searched recursively)"
    )
    parser.add_argument("--words", type=int, default=6, help="run length in words (default 6)")
    args = parser.parse_args(argv)
    if not args.file.is_file() or not args.directory.is_dir() or args.words < 2:
        parser.print_usage(sys.stderr)
        return 2
    sources = source_runs(args.directory, args.words)
    texts = file_texts(args.file)
    hits = shared_runs(texts, sources, args.words)
    for where, run, source in hits:
        print(f'{where}: "{run}" (also in {source})')
    print(
        f"{len(hits)} shared {args.words}-word run(s) between {args.file} "
        f"({len(texts)} texts) and {args.directory} ({len(sources)} distinct runs)"
    )
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
