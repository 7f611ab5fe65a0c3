"""Turn pydantic's validation errors into messages a person editing YAML understands."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import DataIssue
from .i18n import Lang
from .model import COOKIE_NAME_PATTERN, ID_PATTERN
from .yamlsource import PathKey, YamlDocument


def describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _unwrap(annotation: Any) -> Any:
    """The model class a field holds, through Optional, tuple[...] and dict[..., X]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    if origin in (tuple, list, dict):
        args = typing.get_args(annotation)
        return _unwrap(args[-1] if origin is dict else args[0])
    return annotation


def allowed_keys(root: type[BaseModel], path: PathKey) -> list[str]:
    """The keys the schema accepts in the mapping at ``path`` (empty when it cannot tell)."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            # ``part`` is an id in a mapping keyed by ids: stay on the value type.
            continue
        model = _unwrap(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _choices(expected: str) -> str:
    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


def _pattern_problem(pattern: object) -> str:
    if pattern == ID_PATTERN:
        return "is not a valid id: use lowercase letters, digits and '_', starting with a letter"
    if pattern == COOKIE_NAME_PATTERN:
        return (
            "is not a valid cookie or storage-key name: use ASCII letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ "
            "(no spaces, control or direction characters); '/' only in a leading path scope such as /docs/"
        )
    return f"does not match the pattern {pattern}"


def _message(error: dict[str, Any], loc: PathKey, root: type[BaseModel], is_key: bool) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if is_key:
        subject = f"key '{value}'"
        if kind == "enum":
            return f"{subject} is not one of {_choices(ctx.get('expected', ''))}"
        if kind == "string_pattern_mismatch":
            return f"{subject} {_pattern_problem(ctx.get('pattern'))}"
        if kind == "string_too_long":
            return f"{subject} is too long: at most {ctx.get('max_length')} characters"
        return f"{subject}: {str(error['msg']).removeprefix('Value error, ')}"
    if kind == "missing":
        key = loc[-1]
        return f"'{key}' is required"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = allowed_keys(root, loc[:-1])
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; expected one of: {', '.join(known)}" if known else "")
        return f"unknown key '{key}'{hint}"
    if kind == "enum":
        return f"'{value}' is not one of {_choices(ctx.get('expected', ''))}"
    if kind in ("string_type",):
        return f"expected text, got {describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"'{value}' {_pattern_problem(ctx.get('pattern'))}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"expected a mapping (key: value), got {describe(value)}"
    if kind in ("list_type", "tuple_type", "sequence_type"):
        return f"expected a list, got {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {describe(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def issues_from_validation(exc: ValidationError, doc: YamlDocument, root: type[BaseModel]) -> list[DataIssue]:
    issues = []
    for error in exc.errors(include_url=False):
        loc: PathKey = tuple(error["loc"])
        is_key = "[key]" in loc
        if is_key:
            loc = loc[: loc.index("[key]")]
        message = _message(dict(error), loc, root, is_key)
        issues.append(doc.issue(loc, message, prefer_key=True))
    return issues
