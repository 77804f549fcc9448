"""Every example shown works as shown: the command examples in README.md and in /help are run
in the console, and the README's console transcript matches what the console prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from tests.conftest import ADMIN_ID

README = Path(__file__).parents[2] / "README.md"
# answers that mean an example does not work as shown
BAD = (
    "could not tell",
    "nothing found",
    "no proposal matches",
    "no actor matches",
    "no dated facts",
    "something went wrong",
    "i don't know the command",
    "which one?",
    "what should i look for",
    "name two proposals",
    "(no reply)",
)
PLACEHOLDERS = {"URL", "TEXT", "PROPOSAL", "ID", "DAY", "HH", "MM", "N", "FILE", "NAME"}
CODE_SPAN = re.compile(r"`(/[a-z_]+[^`]*)`")
COMMAND_IN_TEXT = re.compile(r"/[a-z_]+(?: [a-z0-9]+)*")


def commands_of(console) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        name
        for handlers in console.app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }


def is_example(text: str, known: set[str]) -> bool:
    """A runnable example, not a syntax line ("/proposal <n|slug|name>") or a path."""
    name = text.split()[0][1:]
    placeholder = set(re.findall(r"\b[A-Z]+\b", text)) & PLACEHOLDERS
    return name in known and not placeholder and not re.search(r"[<>\[\]|…]", text)


def readme_code_examples() -> list[str]:
    return sorted({m.group(1).strip() for m in CODE_SPAN.finditer(README.read_text("utf-8"))})


def readme_transcript() -> list[tuple[str, list[str]]]:
    """(input line, output lines) of the console block under "## A conversation"."""
    text = README.read_text("utf-8")
    block = text[text.index("## A conversation") :].split("```")[1]
    turns: list[tuple[str, list[str]]] = []
    for line in block.strip("\n").splitlines():
        if line.startswith("> "):
            turns.append((line[2:], []))
        elif turns:
            turns[-1][1].append(line)
    return turns


# a bare "/proposal" mentioned in the text rightly answers with how to use it
USAGE_PROMPTS = ("which one?", "what should i look for", "name two proposals")


def assert_works(example: str, answer: str) -> None:
    lowered = answer.lower()
    bare = len(example.split()) == 1
    for phrase in BAD:
        if bare and phrase in USAGE_PROMPTS:
            continue
        assert phrase not in lowered, f"{example!r} answered: {answer[:300]}"


async def test_readme_command_examples_work(console) -> None:  # type: ignore[no-untyped-def]
    console.user_id = ADMIN_ID  # admin examples too
    known = commands_of(console)
    examples = [e for e in readme_code_examples() if is_example(e, known)]
    assert "/compare air support vs troops" in examples and "/timeline art5" in examples
    assert "/compare Meloni plan and NATO membership" in examples
    for example in examples:
        assert_works(example, await console.send_line(example))


async def test_readme_transcript_is_what_the_console_prints(console) -> None:  # type: ignore[no-untyped-def]
    turns = readme_transcript()
    assert len(turns) >= 4 and any(line.startswith(":") for line, _ in turns)
    for line, shown in turns:
        answer = await console.send_line(line)
        assert_works(line, answer)
        printed = answer.splitlines()
        missing = [s for s in shown if s.strip() and s not in printed]
        assert not missing, f"README shows for {line!r} lines the console does not print: {missing}"


@pytest.mark.parametrize("language", ["en", "uk"])
async def test_help_examples_work(console, language: str) -> None:  # type: ignore[no-untyped-def]
    console.user_id = ADMIN_ID
    console.language_code = language
    known = commands_of(console)
    shown = await console.send_line("/help")
    examples = sorted(
        {
            m.group(0)
            for line in shown.splitlines()
            for m in COMMAND_IN_TEXT.finditer(line)
            if m.start() > 0 and is_example(m.group(0), known)  # not the list of commands
        }
    )
    assert "/compare air troops" in examples and "/actor meloni" in examples
    for example in examples:
        assert_works(example, await console.send_line(example))
