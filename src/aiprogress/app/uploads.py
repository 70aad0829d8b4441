"""Safe parsing of uploaded files: data only, size-limited, validated, one-line errors.

An upload arrives from ``dcc.Upload`` as ``data:<mime>;base64,<payload>``. It is
decoded in memory (nothing is written to disk, no path is ever opened), limited
to :data:`MAX_UPLOAD_BYTES`, must be UTF-8 text, and YAML aliases are refused
(they let a small file expand into a huge object). The text is then parsed with
``yaml.safe_load`` and validated by the same function the CLI uses
(:func:`aiprogress.takeoff.config.parse_config`), so an uploaded scenario is
accepted exactly when ``aiprogress takeoff monte-carlo --config`` accepts it.
Every failure becomes an :class:`UploadError` with a one-line message for the page.
"""

from __future__ import annotations

import base64
import binascii
import re

MAX_UPLOAD_BYTES = 64 * 1024
_NAME_OK = re.compile(r"[^A-Za-z0-9._ -]")


class UploadError(ValueError):
    """A rejected upload; ``str(exc)`` is the one-line message shown in the page."""


def safe_name(filename: str | None) -> str:
    """A display name for an uploaded file: the base name, harmless characters only."""
    base = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return _NAME_OK.sub("_", base)[:80] or "upload"


def decode_upload(contents: str | None, filename: str | None = None, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The text of an uploaded file (``data:...;base64,...``), or :class:`UploadError`."""
    name = safe_name(filename)
    if not contents or not isinstance(contents, str):
        raise UploadError(f"{name}: empty upload")
    header, sep, payload = contents.partition(",")
    if not sep or ";base64" not in header:
        raise UploadError(f"{name}: not a file upload (expected base64 data)")
    if len(payload) > (max_bytes * 4) // 3 + 8:
        raise UploadError(f"{name}: file larger than {max_bytes // 1024} KB")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError(f"{name}: could not decode the upload") from None
    if len(raw) > max_bytes:
        raise UploadError(f"{name}: file larger than {max_bytes // 1024} KB")
    if not raw.strip():
        raise UploadError(f"{name}: file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise UploadError(f"{name}: binary file, expected YAML text")
    return text


def check_no_aliases(text: str, name: str = "upload") -> None:
    """Refuse YAML anchors/aliases and non-standard tags before anything is constructed."""
    import yaml

    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                raise UploadError(f"{name}: line {token.start_mark.line + 1}: YAML anchors and aliases are not accepted")
            if isinstance(token, yaml.TagToken):
                raise UploadError(f"{name}: line {token.start_mark.line + 1}: YAML tags are not accepted")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise UploadError(f"{name}: {where}invalid YAML ({getattr(exc, 'problem', None) or 'syntax error'})") from None


def parse_scenario_upload(contents: str | None, filename: str | None = None):
    """Decode, check and validate an uploaded scenario; returns (text, MonteCarloConfig)."""
    from aiprogress.errors import AiprogressError
    from aiprogress.takeoff.config import parse_config

    name = safe_name(filename)
    text = decode_upload(contents, filename)
    check_no_aliases(text, name)
    try:
        cfg = parse_config(text, source=name)
    except AiprogressError as exc:
        raise UploadError(str(exc).replace("\n", " ")) from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # defensive: never a traceback in the page
        raise UploadError(f"{name}: {type(exc).__name__}: {exc}".replace("\n", " ")[:300]) from None
    return text, cfg
