"""``policypress schema``: JSON Schemas of the data files, for editors that validate YAML as you type.

The schemas are generated from the pydantic models, so they cannot disagree with
``policypress check`` about the shape of the data. They are advice for the editor
only: cross-references (a recipient id that is not declared) and the rules that
span files are still found by ``check`` alone. Output is deterministic (sorted
keys, fixed indentation) so that the committed copies can be compared in a test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel import Locale
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .countries import check_country
from .durations import Duration
from .errors import UsageError
from .i18n import TAG_PATTERN, Lang
from .loader import DATA_FILES, display_path
from .model import GeneratedTable
from .schema_docs import FIELD_DESCRIPTIONS, FILE_DESCRIPTIONS, GENERATED_TABLES
from .versions import MANIFEST, VERSION_PATTERN, ReleaseManifest, check_date, check_version
from .vocabulary import Vocabulary

DEFAULT_OUTPUT = Path("policy_data") / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES: tuple[tuple[str, type[BaseModel]], ...] = (
    *((spec.name, spec.model) for spec in DATA_FILES),
    (MANIFEST, ReleaseManifest),
)


def schema_file_name(data_file: str) -> str:
    """``cookies.yaml`` -> ``cookies.schema.json``."""
    return f"{Path(data_file).stem}.schema.json"


def modeline(data_file: str) -> str:
    """The first line of a draft data file: tells the YAML language server which schema to use."""
    return f"# yaml-language-server: $schema=schema/{schema_file_name(data_file)}"


def _caseless(word: str) -> str:
    # JSON Schema patterns have no flags, and the loader accepts 'Session' as well as 'session'.
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


# The loader's duration grammar (durations.py) in a regex that ECMA-262 (editors) and
# Python (jsonschema) read alike: no named groups. A zero length passes here; check rejects it.
DURATION_PATTERN = (
    rf"^\s*(?:{_caseless('session')}|{_caseless('persistent')}"
    r"|P(?!$)(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)\s*$"
)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _country_codes() -> dict[str, str]:
    """Every code ``check_country`` accepts, with its English name."""
    names = Locale.parse(Lang.EN.babel_locale).territories
    accepted = {}
    for code in sorted(names):
        if len(code) != 2 or not code.isalpha():
            continue
        try:
            check_country(code)
        except ValueError:
            continue
        accepted[code] = names[code]
    return accepted


def _after_validator_schema(function: Callable[..., Any]) -> JsonSchemaValue | None:
    """The schema of the strings that the package's own after-validators accept."""
    if function is check_country:
        codes = _country_codes()
        return {"type": "string", "enum": list(codes), "enumDescriptions": list(codes.values())}
    if function is check_version:
        return {"type": "string", "pattern": VERSION_PATTERN.pattern}
    if function is check_date:
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    return None


class _EditorSchema(GenerateJsonSchema):
    """pydantic's generator, told about our own types and the id patterns of mapping keys."""

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        if schema["cls"] is Duration:  # parsed from a string by a before-validator
            return {"type": "string", "pattern": DURATION_PATTERN}
        return super().dataclass_schema(schema)

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        own = _after_validator_schema(schema["function"]["function"])
        return own if own is not None else super().function_after_schema(schema)

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        json_schema = super().str_schema(schema)
        if schema.get("strip_whitespace") and schema.get("min_length") and "pattern" not in json_schema:
            json_schema["pattern"] = r"\S"  # blank text is empty once the loader strips it
        return json_schema

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        json_schema = super().dict_schema(schema)
        # pydantic writes id-keyed mappings as patternProperties, which lets any other key
        # through unchecked; propertyNames makes a bad id an error, as it is for check.
        patterns = json_schema.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            json_schema["propertyNames"] = {"pattern": pattern}
            json_schema["additionalProperties"] = values
        return json_schema


def _describe(node: dict[str, Any], model_name: str) -> None:
    docs = FIELD_DESCRIPTIONS.get(model_name, {})
    if "" in docs:
        node["description"] = docs[""]
    properties = node.get("properties", {})
    for field, text in docs.items():
        if field and field in properties:
            properties[field]["description"] = text


def _vocabularies() -> dict[str, type[Vocabulary]]:
    return {cls.__name__: cls for cls in Vocabulary.__subclasses__()}


def _either(required: str, required_type: str, others: tuple[str, ...]) -> JsonSchemaValue:
    """One branch of "write this field, and leave those out (or null)"."""
    properties: dict[str, Any] = {required: {"type": required_type}}
    properties.update({name: {"type": "null"} for name in others})
    return {"required": [required], "properties": properties}


# The models' "one or the other" validators, spelt out for the editor.
_ALTERNATIVES: dict[str, list[JsonSchemaValue]] = {
    "Retention": [
        _either("period", "string", ("criteria",)),
        _either("criteria", "object", ("period",)),
    ],
    "Block": [
        # A paragraph: its keys are languages (beside status and review), and it has no list.
        {"not": {"required": ["list"]}, "minProperties": 1,
         "propertyNames": {"anyOf": [{"enum": ["status", "review"]}, {"pattern": TAG_PATTERN}]}},
        {"required": ["list"], "properties": {"list": {"type": "array"}},
         "propertyNames": {"enum": ["list", "status", "review"]}},
    ],
}


def _finish_def(name: str, node: dict[str, Any], vocabularies: dict[str, type[Vocabulary]]) -> None:
    _describe(node, name)
    if name in vocabularies:
        labels = vocabularies[name].labels()
        # The labels of every shipped locale: the schema is the same whatever the policy's languages.
        node["enumDescriptions"] = [" · ".join(text for _, text in labels[v].items()) for v in node["enum"]]
    elif name == GeneratedTable.__name__:
        node["description"] = "A table generated from the data, shown after the prose."
        node["enumDescriptions"] = [GENERATED_TABLES[v] for v in node["enum"]]
    if name in _ALTERNATIVES:
        node["anyOf"] = _ALTERNATIVES[name]


def _plain_descriptions(node: Any) -> None:
    """Docstrings use reStructuredText's ``code``; editors show Markdown."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = value.replace("``", "`")
            else:
                _plain_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            _plain_descriptions(item)


def build_schema(data_file: str, model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of one data file."""
    schema = model.model_json_schema(by_alias=True, schema_generator=_EditorSchema)
    vocabularies = _vocabularies()
    for name, node in schema.get("$defs", {}).items():
        _finish_def(name, node, vocabularies)
    _describe(schema, model.__name__)
    if model is ReleaseManifest:
        files = schema["properties"]["files"]
        files["propertyNames"] = {"enum": [spec.name for spec in DATA_FILES]}
        files["additionalProperties"] = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    schema["$schema"] = DIALECT
    schema["title"] = data_file
    schema["description"] = FILE_DESCRIPTIONS[data_file]
    _plain_descriptions(schema)
    return schema


def render_schemas() -> dict[str, str]:
    """File name -> the text to write, for every data file and the release manifest."""
    return {
        schema_file_name(name): json.dumps(build_schema(name, model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for name, model in SCHEMA_FILES
    }


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory`` (created if needed); only files whose text changed are touched."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{display_path(directory)}: cannot create the folder ({exc.strerror})") from None
    written = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def stale_schemas(directory: Path) -> list[str]:
    """The schema files in ``directory`` that are missing or differ from freshly generated ones."""
    stale = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
