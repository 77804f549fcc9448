"""Translations: catalogues in sync with the code, safe placeholders, language switch, fallback."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.i18n import LOCALE_DIR, Translator, _PoTranslations, get_translator, normalise_language

ROOT = Path(__file__).resolve().parents[2]
POT = LOCALE_DIR / "briefbot.pot"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/briefbot.po"))
FIX = "run scripts/update_catalogs.sh and translate what is new"
_TAG = re.compile(r"</?([a-zA-Z-]+)[^>]*>")


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _extracted() -> dict[str, str]:
    """What Babel finds in the code today, with babel.cfg's mapping and keywords."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        found.setdefault(_key(message), f"{filename}:{lineno}")
    return found


def test_template_has_every_translatable_text_in_the_code() -> None:
    extracted = _extracted()
    template = {_key(m.id) for m in _read(POT) if m.id}
    missing = {text: where for text, where in extracted.items() if text not in template}
    assert not missing, f"texts missing from briefbot.pot ({FIX}): {missing}"
    stale = template - set(extracted)
    assert not stale, f"briefbot.pot has texts the code no longer uses ({FIX}): {stale}"


def test_babel_extracts_plural_calls() -> None:
    """`_.plural(singular, plural, n)` is found through babel.cfg's `plural:1,2` keyword."""
    plurals = [m.id for m in _read(POT) if isinstance(m.id, tuple)]
    assert (
        "<b>Timeline</b>, newest first ({n} dated fact)",
        "<b>Timeline</b>, newest first ({n} dated facts)",
    ) in [tuple(p) for p in plurals]


def _translatable_calls() -> Iterator[tuple[str, ast.Call]]:
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in ("_", "N_", "plural") and (
                name != "plural" or (isinstance(func.value, ast.Name) and func.value.id == "_")
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def test_every_translation_call_uses_a_plain_literal_that_is_in_the_template() -> None:
    """Catches what Babel cannot see: `_()` inside an f-string (Python 3.11 tokenizes f-strings
    whole), and msgids built at runtime (f-strings, concatenation) that no catalogue can match."""
    template = {_key(m.id) for m in _read(POT) if m.id}
    problems = []
    for where, call in _translatable_calls():
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if first.value not in template:
                problems.append(f"{where}: {first.value!r} is not in briefbot.pot")
        elif isinstance(first, ast.JoinedStr | ast.BinOp):
            problems.append(f"{where}: the text is built at runtime; use placeholders instead")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_in_sync_with_the_template(path: Path) -> None:
    ids = {_key(m.id) for m in _read(path) if m.id}
    missing = {_key(m.id) for m in _read(POT) if m.id} - ids
    assert not missing, f"{path.parts[-3]} catalogue lacks ({FIX}): {missing}"


def test_english_catalogue_is_complete() -> None:
    catalog = _read(LOCALE_DIR / "en" / "LC_MESSAGES" / "briefbot.po")
    incomplete = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert not incomplete


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _tags(text: str) -> list[str]:
    return sorted(
        m.group(0).split()[0].strip("<>/") + ("/" if m.group(0)[1] == "/" else "")
        for m in _TAG.finditer(text)
    )


def _translations() -> Iterator[tuple[str, object, str]]:
    for path in CATALOGUES:
        for m in _read(path):
            if not m.id or m.fuzzy:
                continue
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            for form in forms:
                if form:
                    yield path.parts[-3], m.id, form


def test_placeholders_in_translations_match_the_original() -> None:
    """A translation naming a placeholder the code does not pass would fail at format time."""
    problems = []
    for language, msgid, form in _translations():
        try:
            got = _fields(form)
        except ValueError as exc:  # a lone brace
            problems.append(f"{language}: {form!r}: {exc}")
            continue
        if isinstance(msgid, tuple):  # plural forms may drop {n} ("one fact") but add nothing
            allowed = _fields(msgid[0]) | _fields(msgid[1]) | {"n"}
            ok = got <= allowed and (_fields(msgid[0]) - {"n"}) <= got
        else:
            ok = got == _fields(msgid)
        if not ok:
            problems.append(f"{language}: {form!r} has placeholders {sorted(got)} for {msgid!r}")
    assert not problems, "\n".join(problems)


def test_html_tags_in_translations_match_the_original() -> None:
    """Telegram rejects a whole message whose HTML is broken, so tags must survive translation."""
    problems = [
        f"{language}: {form!r}"
        for language, msgid, form in _translations()
        if _tags(form) != _tags(_key(msgid))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("uk", "uk"),
        ("uk-UA", "uk"),
        ("UK", "uk"),
        ("uk_UA", "uk"),
        ("en-GB", "en"),
        ("pt-BR", "en"),
        (None, "en"),
        ("", "en"),
        ("-", "en"),
        ("x" * 300, "en"),
    ],
)
def test_language_codes_map_to_a_catalogue_or_english(code: str | None, expected: str) -> None:
    assert normalise_language(code) == expected
    assert get_translator(code).language == expected


def test_ukrainian_plural_forms() -> None:
    _ = get_translator("uk")
    one, few, many = "факт із датою", "факти з датами", "фактів із датами"
    cases = {1: one, 21: one, 2: few, 4: few, 22: few, 5: many, 11: many, 12: many, 0: many}
    for n, form in cases.items():
        text = _.plural(
            "<b>Timeline</b>, newest first ({n} dated fact)",
            "<b>Timeline</b>, newest first ({n} dated facts)",
            n,
        )
        assert f"({n} {form})" in text, (n, text)


def test_english_plural_forms() -> None:
    _ = get_translator("en")
    singular, plural = (
        "<b>Timeline</b>, newest first ({n} dated fact)",
        "<b>Timeline</b>, newest first ({n} dated facts)",
    )
    assert _.plural(singular, plural, 1) == "<b>Timeline</b>, newest first (1 dated fact)"
    assert _.plural(singular, plural, 3) == "<b>Timeline</b>, newest first (3 dated facts)"


def _write_po(path: Path, entries: list[tuple[object, object, bool]], language: str = "uk") -> Path:
    catalog = Catalog(locale=language)
    for msgid, msgstr, fuzzy in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    with path.open("wb") as fh:
        write_po(fh, catalog)
    return path


def test_fuzzy_entries_fall_back_to_english(tmp_path: Path) -> None:
    po = _write_po(
        tmp_path / "x.po",
        [
            ("Hello!", "Вітаю!", True),
            ("Status", "Статус", False),
            (("{n} fact", "{n} facts"), ("{n} факт", "{n} факти", "{n} фактів"), True),
            (("{n} day", "{n} days"), ("{n} день", "{n} дні", "{n} днів"), False),
        ],
    )
    _ = Translator("uk", _PoTranslations(po))
    assert _("Hello!") == "Hello!"
    assert _("Status") == "Статус"
    assert _.plural("{n} fact", "{n} facts", 5) == "5 facts"
    assert _.plural("{n} day", "{n} days", 5) == "5 днів"
    assert _("Not in the catalogue") == "Not in the catalogue"


def test_a_broken_translation_falls_back_to_english_instead_of_failing(tmp_path: Path) -> None:
    po = _write_po(tmp_path / "x.po", [("Hello, {name}!", "Вітаю, {імʼя}!", False)])
    _ = Translator("uk", _PoTranslations(po))
    assert _("Hello, {name}!", name="Olena") == "Hello, Olena!"


async def test_ukrainian_user_gets_ukrainian_start(console) -> None:
    console.language_code = "uk"
    text = await console.send_line("/start")
    assert "Вітаю" in text and "гарантії безпеки для України" in text
    assert "/proposals" in text


@pytest.mark.parametrize("code", ["pt-BR", None, ""])
async def test_unknown_languages_get_english_start(console, code: str | None) -> None:
    console.language_code = code
    text = await console.send_line("/start")
    assert "security guarantees for Ukraine" in text


async def test_ukrainian_errors_and_help(console) -> None:
    console.language_code = "uk"
    assert "Що я вмію" in await console.send_line("/help")
    assert "Яку саме?" in await console.send_line("/proposal")
    assert "Я не знаю команди /nonsense" in await console.send_line("/nonsense")
    assert "Ця кнопка застаріла" in await console.press("zz:1")


async def test_command_menu_in_every_language(console) -> None:
    from bot.app import set_commands

    await set_commands(console.app)
    menus = {
        (m.get("language_code"), m["scope"]["type"]): m["commands"] for m in console.request.menus
    }
    assert {(None, "default"), ("uk", "default"), (None, "chat"), ("uk", "chat")} <= set(menus)
    english = {c["command"]: c["description"] for c in menus[(None, "default")]}
    ukrainian = {c["command"]: c["description"] for c in menus[("uk", "default")]}
    assert english.keys() == ukrainian.keys()
    assert english["proposals"] == "Proposals on the table"
    assert ukrainian["proposals"] == "Пропозиції, що обговорюються"
    for commands in menus.values():  # Telegram: description 1-256 characters
        assert all(1 <= len(c["description"]) <= 256 for c in commands)


# --- no user-facing literal reaches the user untranslated ---------------------------------

USER_FACING = {"Reply", "UsageError", "Button"}  # first argument is shown to the user
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")


def _untranslated_text(node: ast.expr) -> str:
    """The literal text in an expression that did not pass through a call (such as `_()`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_untranslated_text(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _untranslated_text(node.left) + _untranslated_text(node.right)
    if isinstance(node, ast.IfExp):
        return _untranslated_text(node.body) + _untranslated_text(node.orelse)
    return ""  # calls (translated or formatted), names, attributes: not a literal here


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in _ENTITY.sub("", _TAG.sub("", text)))


def test_no_user_facing_literal_bypasses_the_translator() -> None:
    paths = sorted([*(ROOT / "handlers").rglob("*.py"), *(ROOT / "bot" / "render").rglob("*.py")])
    problems = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in USER_FACING or name == "answer":
                text = _untranslated_text(node.args[0])
                if _has_words(text):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert not problems, "wrap these in _():\n" + "\n".join(problems)


def test_the_literal_check_catches_what_it_should() -> None:
    samples = {
        'Reply("Hello")': True,
        'Reply(f"<b>{x}</b> items")': True,
        'Reply("<b>" + x + "</b>")': False,
        'Reply(_("Hello"))': False,
        'Reply(f"{page}/{pages} &gt; ›")': False,
        'Reply("🙂 42")': False,
    }
    for source, flagged in samples.items():
        call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
        assert _has_words(_untranslated_text(call.args[0])) is flagged, source
