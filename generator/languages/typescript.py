"""TypeScript: identifiers, type expressions, literals and the template view of an API for TS styles."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from generator.ir import (
    AnyType,
    ApiIR,
    ArrayType,
    EnumIR,
    EnumRef,
    MapType,
    ModelIR,
    ModelRef,
    Nullable,
    NullType,
    OperationIR,
    Primitive,
    TypeRef,
    UnionType,
)
from generator.naming import constant_case, identifier, pascal_case, unique

# Reserved words and the names the generated modules declare themselves.
KEYWORDS = frozenset(
    {
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "as",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "any",
        "boolean",
        "number",
        "string",
        "symbol",
        "type",
        "from",
        "of",
        "await",
        "async",
        "undefined",
        "never",
        "unknown",
        "object",
        "",
    }
)
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


# --- escaping: every spec string reaches TypeScript code through one of these -------------------


def ts_string(value: str) -> str:
    """A TypeScript string literal: JSON with every non-ASCII character escaped (U+2028 included)."""
    return json.dumps(str(value), ensure_ascii=True)


def ts_doc(text: str) -> str:
    """Text for the inside of a `/** ... */` comment: `*/` cannot end it, lines get their ` * `."""
    cleaned = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n").strip():
        category = unicodedata.category(char)
        if char != "\n" and category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            cleaned.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\u{{{ord(char):x}}}")
        else:
            cleaned.append(char)
    body = "".join(cleaned).replace("*/", "*\\/").replace("/*", "/\\*")
    return "\n * ".join(line.rstrip() for line in body.split("\n"))


def ts_comment(text: str) -> str:
    """One `//` comment line's text: newlines folded, invisible characters escaped."""
    return ts_doc(" ".join(text.split()))


def ts_literal(value: Any) -> str:
    """A TypeScript expression equal to a JSON value."""
    if isinstance(value, str):
        return ts_string(value)
    return json.dumps(value, ensure_ascii=True, sort_keys=False)


def ts_key(name: str) -> str:
    """A property name: bare when it is an identifier, quoted otherwise."""
    return name if _IDENTIFIER.match(name) else ts_string(name)


FILTERS = {
    "ts_string": ts_string,
    "ts_doc": ts_doc,
    "ts_comment": ts_comment,
    "ts_literal": ts_literal,
    "ts_key": ts_key,
}


# --- type expressions ---------------------------------------------------------------------------


class TypePrinter:
    """Prints TypeRefs as TypeScript type expressions."""

    def __init__(self, types: dict[str, str], names: dict[str, str]) -> None:
        self.types = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}
        self.types.update(types)
        self.names = names
        self.used: set[str] = set()  # model and enum names printed, for import lists

    def __call__(self, type_ref: TypeRef) -> str:
        return self.print(type_ref)

    def print(self, type_ref: TypeRef) -> str:
        if isinstance(type_ref, Primitive):
            key = f"{type_ref.kind}:{type_ref.format}" if type_ref.format else type_ref.kind
            return self.types.get(key) or self.types[type_ref.kind]
        if isinstance(type_ref, AnyType):
            return "unknown"
        if isinstance(type_ref, NullType):
            return "null"
        if isinstance(type_ref, ArrayType):
            inner = self.print(type_ref.item)
            return f"({inner})[]" if " " in inner else f"{inner}[]"
        if isinstance(type_ref, MapType):
            return f"Record<string, {self.print(type_ref.value)}>"
        if isinstance(type_ref, ModelRef | EnumRef):
            self.used.add(self.names[type_ref.name])
            return self.names[type_ref.name]
        if isinstance(type_ref, UnionType):
            return " | ".join(self.print(v) for v in type_ref.variants)
        if isinstance(type_ref, Nullable):
            return f"{self.print(type_ref.inner)} | null"
        raise TypeError(type_ref)


# --- the view handed to templates ---------------------------------------------------------------


@dataclass
class TsField:
    key: str
    wire_name: str
    type: str
    required: bool
    description: str
    deprecated: bool


@dataclass
class TsModel:
    name: str
    description: str
    fields: list[TsField]


@dataclass
class TsEnumMember:
    name: str
    value: str


@dataclass
class TsEnum:
    name: str
    description: str
    base: str
    members: list[TsEnumMember]


@dataclass
class TsParam:
    name: str
    wire_name: str
    location: str
    type: str
    required: bool
    description: str
    explode: bool


@dataclass
class TsOperation:
    name: str
    operation_id: str
    method: str
    path: str
    path_expr: str
    summary: str
    description: str
    positional: list[TsParam]
    named: list[TsParam]
    body_type: str | None
    body_required: bool
    return_type: str
    return_kind: str
    security: list[list[str]]
    deprecated: bool

    @property
    def params_required(self) -> bool:
        return self.body_required or any(p.required for p in self.named)

    @property
    def has_params(self) -> bool:
        return bool(self.named) or self.body_type is not None

    def located(self, location: str) -> list[TsParam]:
        return [p for p in self.named if p.location == location]


@dataclass
class TsSecurityScheme:
    name: str
    kind: str
    location: str
    parameter: str


@dataclass
class TsPackage:
    package: str
    version: str
    title: str
    description: str
    client_name: str
    env_var: str
    base_url: str
    models: list[TsModel]
    enums: list[TsEnum]
    operations: list[TsOperation]
    security_schemes: list[TsSecurityScheme]
    error_code_path: tuple[str, ...]
    error_message_path: tuple[str, ...]
    model_imports: list[str]
    manifest: dict[str, Any]

    @property
    def first_operation(self) -> TsOperation | None:
        return self.operations[0] if self.operations else None

    @property
    def runtime_imports(self) -> str:
        """What client.ts imports from runtime.ts."""
        names = ["BaseClient"]
        if any(op.positional for op in self.operations):
            names.append("encodePathParam")
        return ", ".join([*names, "type RequestOptions"])


def _class_names(api: ApiIR, reserved: frozenset[str]) -> dict[str, str]:
    declared = [m.name for m in api.models] + [e.name for e in api.enums]
    safe = [identifier(n, "pascal", KEYWORDS | reserved, digit_prefix="model") for n in declared]
    return dict(zip(declared, unique(safe), strict=True))


def _model_view(model: ModelIR, printer: TypePrinter, names: dict[str, str]) -> TsModel:
    fields = [
        TsField(ts_key(f.wire_name), f.wire_name, printer(f.type), f.required, f.description, f.deprecated)
        for f in model.fields
    ]
    return TsModel(names[model.name], model.description, fields)


def _enum_view(enum: EnumIR, names: dict[str, str]) -> TsEnum:
    wanted = [identifier(str(v), "pascal", frozenset(), digit_prefix="value") for v in enum.values]
    members = [
        TsEnumMember(name, ts_literal(value if enum.base == "integer" else str(value)))
        for name, value in zip(unique(wanted), enum.values, strict=True)
    ]
    return TsEnum(
        names[enum.name], enum.description, "number" if enum.base == "integer" else "string", members
    )


def _path_expr(path: str, params: dict[str, str]) -> str:
    """`/v1/invoices/{id}` -> `"/v1/invoices/" + encodePathParam(id)`: spec text only inside literals."""
    parts: list[str] = []
    rest = path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        literal, rest = rest.split("{", 1)
        name, rest = rest.split("}", 1)
        if literal:
            parts.append(ts_string(literal))
        parts.append(f"encodePathParam({params[name]})" if name in params else ts_string("{" + name + "}"))
    if rest:
        parts.append(ts_string(rest))
    return " + ".join(parts) or ts_string("/")


def _return_of(op: OperationIR, printer: TypePrinter) -> tuple[str, str]:
    success = op.success
    if success is None or success.media_type is None:
        return "void", "none"
    media = success.media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        assert success.type is not None
        return printer(success.type), "json"
    if media.startswith("text/"):
        return "string", "text"
    return "ArrayBuffer", "binary"


def _operation_view(
    op: OperationIR, name: str, printer: TypePrinter, reserved: frozenset[str]
) -> TsOperation:
    wanted = [
        identifier(p.wire_name, "camel", KEYWORDS | reserved, digit_prefix="param") for p in op.parameters
    ]
    params = []
    for p, pname in zip(op.parameters, unique(wanted, taken=["body", "options"]), strict=True):
        explode = p.explode if p.explode is not None else (p.style in (None, "form"))
        params.append(
            TsParam(pname, p.wire_name, p.location, printer(p.type), p.required, p.description, explode)
        )
    return_type, return_kind = _return_of(op, printer)
    positional = [p for p in params if p.location == "path"]
    return TsOperation(
        name=name,
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        path_expr=_path_expr(op.path, {p.wire_name: p.name for p in positional}),
        summary=op.summary,
        description=op.description,
        positional=positional,
        named=[p for p in params if p.location != "path"],
        body_type=printer(op.body.type) if op.body else None,
        body_required=bool(op.body and op.body.required),
        return_type=return_type,
        return_kind=return_kind,
        security=op.security,
        deprecated=op.deprecated,
    )


def typescript_view(api: ApiIR, manifest: dict[str, Any], package: str, options: dict[str, Any]) -> TsPackage:
    """Everything a TypeScript template prints, named and typed, computed once."""
    reserved = manifest.get("reserved") or {}
    reserved_types = frozenset(reserved.get("types") or ())
    reserved_methods = frozenset(reserved.get("methods") or ())
    names = _class_names(api, reserved_types)
    printer = TypePrinter(dict(manifest.get("types") or {}), names)
    models = [_model_view(m, printer, names) for m in api.models]
    enums = [_enum_view(e, names) for e in api.enums]
    method_names = unique(
        [identifier(op.operation_id, "camel", KEYWORDS | reserved_methods, "op") for op in api.operations]
    )
    op_printer = TypePrinter(dict(manifest.get("types") or {}), names)
    operations = [
        _operation_view(op, method, op_printer, frozenset(reserved.get("params") or ()))
        for op, method in zip(api.operations, method_names, strict=True)
    ]
    used = sorted(op_printer.used)
    title_words = api.title.removesuffix(" API").removesuffix(" Api")
    return TsPackage(
        package=package,
        version=str(options.get("version") or api.version),
        title=api.title,
        description=api.description,
        client_name=str(options.get("client_name") or f"{pascal_case(title_words) or 'Api'}Client"),
        env_var=str(options.get("env_var") or f"{constant_case(title_words) or 'API'}_API_KEY"),
        base_url=api.servers[0] if api.servers else "",
        models=models,
        enums=enums,
        operations=operations,
        security_schemes=[
            TsSecurityScheme(s.name, s.kind, s.location, s.parameter) for s in api.security_schemes
        ],
        error_code_path=api.error_shape.code_path,
        error_message_path=api.error_shape.message_path,
        model_imports=used,
        manifest=manifest,
    )
