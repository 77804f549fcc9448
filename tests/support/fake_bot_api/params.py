"""Request bodies the Bot API accepts (query string, JSON, form, multipart) as typed params."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from tests.support.fake_bot_api.records import ApiError


@dataclass
class _Upload:
    filename: str
    content: bytes
    content_type: str | None


class _Params:
    """Typed access to parameters given as JSON values or form strings."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, _Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def has(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")

    def opt_str(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def _given(self, key: str) -> Any:
        """The value, or None when it is missing or empty."""
        value = self.values.get(key)
        return None if value is None or value == "" else value

    def _number(self, key: str, convert: Callable[[Any], Any]) -> Any:
        value = self._given(key)
        if value is None:
            return None
        try:
            return convert(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def opt_int(self, key: str) -> int | None:
        return self._number(key, _to_int)

    def opt_float(self, key: str) -> float | None:
        return self._number(key, float)

    def opt_bool(self, key: str) -> bool | None:
        value = self._given(key)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return None if value is None else bool(value)

    def opt_json(self, key: str, what: str) -> Any:
        value = self._given(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
        return value


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    return int(float(value)) if isinstance(value, str | float) else int(value)


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, _Upload]]:
    mime = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}, {}
    if mime == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON object") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        return data, {}
    if mime == "multipart/form-data":
        return _parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), {}


_DISPOSITION_PARAM_RE = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, _Upload]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ApiError(400, "Bad Request: multipart boundary not found")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: dict[str, Any] = {}
    uploads: dict[str, _Upload] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        _parse_part(part, fields, uploads)
    return fields, uploads


def _parse_part(part: bytes, fields: dict[str, Any], uploads: dict[str, _Upload]) -> None:
    part = part.removeprefix(b"\r\n")
    head, _, content = part.partition(b"\r\n\r\n")
    content = content.removesuffix(b"\r\n")
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    params = {
        key.lower(): unquote(quoted if quoted is not None else bare)
        if key.endswith("*")
        else (quoted if quoted is not None else bare).replace('\\"', '"')
        for key, quoted, bare in _DISPOSITION_PARAM_RE.findall(
            ";" + headers.get("content-disposition", "").partition(";")[2]
        )
    }
    name = params.get("name", "")
    filename = params.get("filename") or params.get("filename*", "").split("''")[-1] or None
    if filename is None:
        fields[name] = content.decode("utf-8", "replace")
    else:
        uploads[name] = _Upload(filename, content, headers.get("content-type"))
