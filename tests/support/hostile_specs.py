"""Hypothesis strategies for OpenAPI specs with random schemas and hostile strings in every place a spec
string can reach generated code: names, descriptions, enum values, examples, defaults, operationIds,
paths, parameter names, tags, server URLs and titles.

The payloads would run or change code if they escaped the string, comment or identifier they were
put in: Python ones call `os._exit(42)` or bind `PWNED`, TypeScript ones call `process.exit(42)`
or `PWNED(...)` (neither is declared, so an escape also fails `tsc`), Go ones call `PWNED(42)`
(undeclared: an escape fails `go vet`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

EXIT_CODE = 42
SENTINEL = "PWNED"

PAYLOADS = [
    '"""; import os; os._exit(42) #',
    "'''; import os; os._exit(42) #",
    '"; import os; os._exit(42) #',
    "'); import os; os._exit(42) #",
    '\\"; PWNED = 1 #',
    '\\"""\nPWNED = 1\n"""',
    "\nPWNED = 1\n#",
    "\r\nimport os; os._exit(42)\r\n",
    "*/ process.exit(42); /*",
    "*/ PWNED(42); /*",
    "\nvar _ = PWNED(42)\n//",
    '"; var _ = PWNED(42); //',
    "` + PWNED(42) + `",
    "${process.exit(42)}",
    "`; PWNED(42); `",
    '"); process.exit(42); ("',
    "\\u0022; PWNED(42); //",
    "\\N{QUOTATION MARK}; PWNED = 1 #",
    "\\",
    "\\\\",
    '"',
    "'",
    '"""',
    "'''",
    "\\x00",
    "\x00",
    "\u202e",  # right-to-left override
    "\u2028",
    "\u2029",
    "\ufeff",
    "\x1b[31m",
    "\x0b\x0c\x85",
    "</script><!--",
    "{{ 7 * 7 }}{% raw %}",
    "#",
    "",
    " ",
    "x" * 3000,
    "😀 名前 ñ \U0001d518",  # the last one is a fraktur U: NFKD makes it a plain U
]

# Names the generated code declares itself, keywords of both languages, and names that collide once sanitised.
TRICKY_NAMES = [
    "class",
    "def",
    "None",
    "True",
    "self",
    "async",
    "await",
    "match",
    "type",
    "_",
    "__init__",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "BaseModel",
    "Field",
    "Any",
    "datetime",
    "APIError",
    "OpenEnum",
    "str",
    "list",
    "dict",
    "int",
    "float",
    "body",
    "options",
    "params",
    "response",
    "timeout",
    "extra_headers",
    "rt",
    "a-b",
    "a_b",
    "a b",
    "A B",
    "aB",
    "AB",
    "1st",
    "123",
    "-",
    "$",
    "é",
]

# Component keys must match ^[a-zA-Z0-9.\-_]+$; they still collide and shadow.
COMPONENT_NAMES = st.sampled_from(
    [n for n in TRICKY_NAMES if all(c.isascii() and (c.isalnum() or c in "._-") for c in n) and n]
    + ["Model", "Pet", "pet", "PET", "a.b", "a..b", "Models", "Client", "Error", "x1", "9lives"]
    + ["ApiClient", "AsyncApiClient", "KeepUnknownVariant", "OpenIntEnum", "ClassVar", "Annotated", "Mapping"]
)


def _mixed(text: str, payload: str) -> str:
    return text + payload


hostile: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(TRICKY_NAMES),
    st.builds(_mixed, st.sampled_from(TRICKY_NAMES), st.sampled_from(PAYLOADS)),
    st.text(max_size=12),
)
names: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(TRICKY_NAMES), st.sampled_from(PAYLOADS).filter(bool), st.text(min_size=1, max_size=10)
)
# Path parameter names appear in `{...}` of the path template: no braces or slashes there.
path_names = names.filter(lambda n: not any(c in n for c in "{}/"))
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | hostile,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3),
    max_leaves=6,
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": "#/components/schemas/" + quote(name.replace("~", "~0").replace("/", "~1"), safe="")}


@st.composite
def _leaf(draw: st.DrawFn, components: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "enum", "ref", "any", "const"]))
    if kind == "ref":
        return _ref(draw(st.sampled_from(components)))
    if kind == "any":
        return {}
    if kind == "enum":
        values = draw(
            st.lists(hostile, min_size=1, max_size=6, unique=True)
            | st.lists(st.integers(-5, 5), min_size=1, max_size=4, unique=True)
        )
        schema: dict[str, Any] = {
            "type": "string" if isinstance(values[0], str) else "integer",
            "enum": values,
        }
        if draw(st.booleans()):
            schema["default"] = draw(st.sampled_from(values))
    elif kind == "const":  # `const` is 3.1 only: a one-value enum says the same in both versions
        schema = {"enum": [draw(hostile)]}
    else:
        schema = {"type": kind}
        if kind == "string":
            schema["format"] = draw(
                st.sampled_from([None, "date-time", "date", "binary", "int64", "uuid"]) | hostile
            )
            if schema["format"] is None:
                del schema["format"]
                if draw(st.booleans()):  # with a format, the validator would check the default against it
                    schema["default"] = draw(hostile)
    return _annotated(draw, schema)


def _annotated(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    extra = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "description": hostile,
                "title": hostile,
                "example": json_values,
                "nullable": st.booleans(),
                "deprecated": st.booleans(),
                "readOnly": st.booleans(),
            },
        )
    )
    return {**schema, **extra}


def _schemas(components: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(_object, st.dictionaries(names, inner, min_size=1, max_size=4), st.data()),
            st.builds(lambda items: {"type": "array", "items": items}, inner),
            st.builds(lambda value: {"type": "object", "additionalProperties": value}, inner),
            st.builds(
                _union, st.sampled_from(["oneOf", "anyOf"]), st.lists(inner, min_size=1, max_size=3), hostile
            ),
            st.builds(lambda parts: {"allOf": parts}, st.lists(inner, min_size=1, max_size=3)),
        )

    return st.recursive(_leaf(components), extend, max_leaves=8)


def _object(properties: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    required = data.draw(st.lists(st.sampled_from(sorted(properties)), unique=True, max_size=len(properties)))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return _annotated(data.draw, schema)


def _union(keyword: str, variants: list[Any], tag: str) -> dict[str, Any]:
    schema: dict[str, Any] = {keyword: variants}
    if tag and all("$ref" in v for v in variants):
        schema["discriminator"] = {"propertyName": tag}
    return schema


@st.composite
def _parameter(draw: st.DrawFn, location: str, components: list[str]) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": draw(names),
        "in": location,
        "schema": draw(_leaf(components)),
        "description": draw(hostile),
    }
    if draw(st.booleans()):
        param["example"] = draw(json_values)
    if location == "path":
        param["required"] = True
    return param


def _content(schema: dict[str, Any], example: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema, "example": example}}


@st.composite
def _operation(draw: st.DrawFn, path_params: list[str], components: list[str]) -> dict[str, Any]:
    schemas = _schemas(components)
    params = [{**draw(_parameter("path", components)), "name": p} for p in path_params]
    for location in draw(st.lists(st.sampled_from(["query", "header", "cookie"]), max_size=3)):
        param = draw(_parameter(location, components))
        if all((p["name"], p["in"]) != (param["name"], location) for p in params):
            params.append(param)
    operation: dict[str, Any] = {
        "operationId": draw(hostile),
        "summary": draw(hostile),
        "description": draw(hostile),
        "tags": draw(st.lists(hostile, max_size=2)),
        "parameters": params,
        "responses": {
            "200": {"description": draw(hostile), "content": _content(draw(schemas), draw(json_values))},
            "default": {"description": draw(hostile), "content": _content(draw(schemas), draw(json_values))},
        },
    }
    if draw(st.booleans()):
        operation["requestBody"] = {
            "required": draw(st.booleans()),
            "content": _content(draw(schemas), draw(json_values)),
        }
    if draw(st.booleans()):
        operation["deprecated"] = True
    return operation


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A spec that is valid more often than not: its strings are hostile, its structure mostly sound."""
    components = draw(st.lists(COMPONENT_NAMES, min_size=1, max_size=4, unique_by=str.lower))
    schemas = {name: draw(_schemas(components)) for name in components}
    paths: dict[str, Any] = {}
    used_ids: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        params = draw(st.lists(path_names, max_size=2, unique=True))
        literal = draw(hostile.filter(lambda s: not any(c in s for c in "{}")))
        path = "/" + literal + "".join(f"/{{{p}}}" for p in params)
        operation = draw(_operation(params, components))
        if operation["operationId"] in used_ids:
            del operation["operationId"]  # duplicates are a spec error: tested elsewhere
        used_ids.add(operation.get("operationId", ""))
        paths.setdefault(path, {})[draw(st.sampled_from(["get", "post", "put", "delete", "patch"]))] = (
            operation
        )
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    return {
        "openapi": version,
        "info": {"title": draw(hostile), "version": draw(hostile), "description": draw(hostile)},
        "servers": [{"url": draw(hostile)}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                draw(COMPONENT_NAMES): {
                    "type": "apiKey",
                    "name": draw(names),
                    "in": draw(st.sampled_from(["header", "query", "cookie"])),
                    "description": draw(hostile),
                },
                "bearer": {"type": "http", "scheme": "bearer", "description": draw(hostile)},
            },
        },
        "security": [{"bearer": []}],
        "tags": [
            {"name": t, "description": draw(hostile)}
            for t in draw(st.lists(hostile, max_size=2, unique=True))
        ],
    }
