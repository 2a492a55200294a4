"""TypeScript: identifiers, type expressions, literals and the template view of an API for TS styles."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from generator.model.ir import (
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
    PaginationIR,
    PartEncodingIR,
    Primitive,
    TypeRef,
    UnionType,
    non_null,
)
from generator.model.naming import client_names, identifier, pascal_case, split_words, unique
from generator.render.languages.python import credential_text

TS_CREDENTIALS = {"api_key": "apiKey", "username": "username", "password": "password"}

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


def ts_prop(name: str) -> str:
    """A key of an object literal: quoted, and computed for `__proto__`, which as a plain key would set
    the object's prototype instead of adding a property."""
    text = ts_string(name)
    return f"[{text}]" if name == "__proto__" else text


def ts_key(name: str) -> str:
    """A property name: bare when it is an identifier, quoted otherwise."""
    return name if _IDENTIFIER.match(name) else ts_string(name)


# npm's rule for a new package's name (validate-npm-package-name): lowercase, URL-safe, at most 214
# characters, not starting with `.` or `_`, optionally in a `@scope/`.
_NPM_NAME = re.compile(r"(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*")
_NPM_MAX = 214


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be an npm package name, with the one to use instead; None if it can."""
    if _NPM_NAME.fullmatch(name) and len(name) <= _NPM_MAX and name not in ("node_modules", "favicon.ico"):
        return None
    scope, _, bare = name.rpartition("/") if name.startswith("@") else ("", "", name)

    def fix(part: str) -> str:
        return re.sub(r"[^a-z0-9._~-]+", "-", part.lower()).lstrip("._-").strip("-") or "sdk"

    suggestion = (f"@{fix(scope[1:])}/" if scope else "") + fix(bare)
    return f"package {name!r} is not a valid npm name; use {suggestion[:_NPM_MAX]!r}"


FILTERS = {
    "ts_string": ts_string,
    "ts_doc": ts_doc,
    "ts_comment": ts_comment,
    "ts_literal": ts_literal,
    "ts_key": ts_key,
    "ts_prop": ts_prop,
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


_TAG_KINDS = {"integer": "number", "number": "number", "boolean": "boolean"}


class TagPrinter:
    """Prints TypeRefs as the compact type tags of `src/schema.ts` (walked by the `onUnknown` hook).

    A tag is `"string" | "number" | "boolean" | "null" | "any"`, or `{ model: Name }`,
    `{ enum: Name }`, `{ array: tag }`, `{ map: tag }`, `{ nullable: tag }`, or
    `{ oneOf: [tags], discriminator?: [property, [[value, Model], ...]] }`.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def __call__(self, type_ref: TypeRef) -> str:
        if isinstance(type_ref, Primitive):
            return ts_string(_TAG_KINDS.get(type_ref.kind, "string"))
        if isinstance(type_ref, AnyType):
            return ts_string("any")
        if isinstance(type_ref, NullType):
            return ts_string("null")
        if isinstance(type_ref, ArrayType):
            return f"{{ array: {self(type_ref.item)} }}"
        if isinstance(type_ref, MapType):
            return f"{{ map: {self(type_ref.value)} }}"
        if isinstance(type_ref, ModelRef):
            return f"{{ model: {ts_string(self.names[type_ref.name])} }}"
        if isinstance(type_ref, EnumRef):
            return f"{{ enum: {ts_string(self.names[type_ref.name])} }}"
        if isinstance(type_ref, Nullable):
            return f"{{ nullable: {self(type_ref.inner)} }}"
        if isinstance(type_ref, UnionType):
            variants = ", ".join(self(v) for v in type_ref.variants)
            mapping = self.mapping(type_ref)
            if type_ref.discriminator is None or not mapping:
                return f"{{ oneOf: [{variants}] }}"
            pairs = ", ".join(f"[{ts_string(value)}, {ts_string(model)}]" for value, model in mapping)
            discriminator = f"[{ts_string(type_ref.discriminator)}, [{pairs}]]"
            return f"{{ oneOf: [{variants}], discriminator: {discriminator} }}"
        raise TypeError(type_ref)

    def mapping(self, union: UnionType) -> list[tuple[str, str]]:
        """Discriminator value -> model class: the spec's mapping, then each other variant's own name."""
        models = [v.name for v in union.variants if isinstance(v, ModelRef)]
        pairs: list[tuple[str, str]] = []
        for value, target in union.mapping:
            segment = target.rsplit("/", 1)[-1]
            hit = next((m for m in models if m == segment or m == pascal_case(segment)), None)
            if hit is not None:
                pairs.append((value, self.names[hit]))
        mapped = {model for _, model in pairs}
        pairs.extend((m, self.names[m]) for m in models if self.names[m] not in mapped)
        return pairs


_CALL = re.compile(r"[A-Za-z_$][\w$]*\([\w$]*\)")


_COMPARISON = re.compile(r"(typeof [\w$]+|[\w$]+) === (\"[a-z]+\"|null)")


def negated(expression: str) -> str:
    """The negation of a check expression, written as a careful hand would."""
    if match := _COMPARISON.fullmatch(expression):
        return f"{match[1]} !== {match[2]}"
    if _CALL.fullmatch(expression) or _parenthesised(expression):
        return f"!{expression}"
    return f"!({expression})"


def _parenthesised(expression: str) -> bool:
    """Whether the first `(` of `expression` closes at its last character (string literals skipped)."""
    if not expression.startswith("(") or not expression.endswith(")"):
        return False
    depth, quote, escaped = 0, "", False
    for index, char in enumerate(expression):
        if quote:
            escaped, quote = (not escaped and char == "\\"), ("" if char == quote and not escaped else quote)
            continue
        if char == '"':
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index == len(expression) - 1
    return False


class CheckPrinter:
    """Prints TypeRefs as TypeScript boolean expressions: does a parsed value fit, with nothing the
    client would set aside? The generated `fits<Model>` functions of `src/schema.ts` are made of them.

    They answer what walking the value against its tag reports (`findUnknown` in the runtime): a
    type_mismatch or missing_required makes them false; unknown fields, enum values and union
    shapes do not (those are kept, not set aside). A union fits when one of the variants its value
    has the shape of fits, or when it has the shape of none (an unknown variant); a discriminated
    one by its tag's variant. Names from the spec only ever appear as string literals.
    """

    def __init__(self, names: dict[str, str], enums: dict[str, EnumIR]) -> None:
        self.names = names
        self.enums = enums

    def function(self, model: str) -> str:
        """The name of a model's check function."""
        return "fits" + self.names[model]

    def fits(self, type_ref: TypeRef, value: str, depth: int = 0) -> str:
        if isinstance(type_ref, ModelRef):
            return f"{self.function(type_ref.name)}({value})"
        if isinstance(type_ref, ArrayType | MapType):
            item = f"i{depth}"
            element = type_ref.item if isinstance(type_ref, ArrayType) else type_ref.value
            inner = self.fits(element, item, depth + 1)
            if inner == "true":
                return self.shape(type_ref, value)
            # `any`: the checks test what a value is, one guard after another; TypeScript's
            # narrowing of `unknown` would reject a guard an earlier one made redundant.
            items = value if isinstance(type_ref, ArrayType) else f"Object.values({value})"
            return f"({self.shape(type_ref, value)} && {items}.every(({item}: any) => {inner}))"
        if isinstance(type_ref, Nullable):
            return any_of([f"{value} === null", self.fits(type_ref.inner, value, depth)])
        if isinstance(type_ref, UnionType):
            return self._union(type_ref, value, depth)
        return self.shape(type_ref, value)

    def shape(self, type_ref: TypeRef, value: str) -> str:
        """Whether a value has the outer shape of a type (the runtime's `matches`)."""
        if isinstance(type_ref, Primitive):
            return f"typeof {value} === {ts_string(_TAG_KINDS.get(type_ref.kind, 'string'))}"
        if isinstance(type_ref, AnyType):
            return "true"
        if isinstance(type_ref, NullType):
            return f"{value} === null"
        if isinstance(type_ref, ModelRef | MapType):
            return f"isRecord({value})"
        if isinstance(type_ref, ArrayType):
            return f"Array.isArray({value})"
        if isinstance(type_ref, Nullable):
            return any_of([f"{value} === null", self.shape(type_ref.inner, value)])
        if isinstance(type_ref, EnumRef):
            enum = self.enums[type_ref.name]
            if not enum.values:
                return "true"
            return f"typeof {value} === {ts_string('number' if enum.base == 'integer' else 'string')}"
        if isinstance(type_ref, UnionType):
            return any_of([self.shape(v, value) for v in type_ref.variants])
        raise TypeError(type_ref)

    def _union(self, union: UnionType, value: str, depth: int) -> str:
        shapes = [self.shape(v, value) for v in union.variants]
        fits = [self.fits(v, value, depth) for v in union.variants]
        # A variant whose shape is all there is to check (a primitive, an enum) always fits a value
        # of its shape: a union of only such variants fits anything.
        undiscriminated = "true" if fits == shapes else any_of([negated(any_of(shapes)), *fits])
        mapping = TagPrinter(self.names).mapping(union)
        if union.discriminator is None or not mapping:
            return undiscriminated
        tag = f"{value}[{ts_string(union.discriminator)}]"
        by_tag = " : ".join(f"{tag} === {ts_string(v)} ? fits{model}({value})" for v, model in mapping)
        return f'(isRecord({value}) && typeof {tag} === "string" ? ({by_tag} : true) : {undiscriminated})'


def any_of(terms: list[str]) -> str:
    """The disjunction of check expressions, without repeats; "true" when one of them is."""
    unique_terms = list(dict.fromkeys(terms))
    if "true" in unique_terms:
        return "true"
    return unique_terms[0] if len(unique_terms) == 1 else "(" + " || ".join(unique_terms) + ")"


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
class TsAlias:
    """A name for a union (`export type Pet = Cat | Dog`)."""

    name: str
    type: str
    description: str


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
    style: str  # form, spaceDelimited, pipeDelimited, deepObject (query, cookie); simple (path, header)
    deprecated: bool = False
    allow_reserved: bool = False  # a query value's RFC 3986 reserved characters go unencoded


@dataclass
class TsPagination:
    """`<op>Iter`: the operation's parameters but the cursor, and where a page keeps its items."""

    name: str
    cursor: str  # the TS name of the cursor parameter
    params: list[TsParam]
    locals: dict[str, str]  # names of the method's variables, clear of its path parameters
    items_key: str  # TS string literals of wire names
    id_key: str
    has_more_key: str | None
    item_type: str

    @property
    def params_required(self) -> bool:
        return any(p.required for p in self.params)


@dataclass
class TsOperation:
    name: str
    raw_name: str  # `<op>WithResponse`
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
    body_kind: str | None  # json, form, multipart, binary or text: how the body is encoded
    body_media_type: str | None
    body_encoding: list[str]  # `[name, [style, explode, content type, part headers]]` per property
    return_type: str
    return_kind: str
    security: list[list[str]]
    deprecated: bool
    schema_tag: str | None = None  # the response's type tag, for the onUnknown hook
    pagination: TsPagination | None = None
    accept: str | None = None  # the Accept header of a call whose success response is not JSON

    @property
    def exploded_headers(self) -> str:
        """The header parameters spelled exploded (`R=100,G=200`), as an array literal; "" for none."""
        names = [ts_string(p.wire_name) for p in self.named if p.location == "header" and p.explode]
        return "[" + ", ".join(names) + "]" if names else ""

    @property
    def params_required(self) -> bool:
        return self.body_required or any(p.required for p in self.named)

    @property
    def has_params(self) -> bool:
        return bool(self.named) or self.body_type is not None

    def located(self, location: str) -> list[TsParam]:
        return [p for p in self.named if p.location == location]


@dataclass
class TsFieldCheck:
    wire: str  # TS string literal of the wire name
    required: bool
    fails: str  # a boolean expression over `x`, the property's value: it does not fit
    anything: bool  # whether any value fits (then only a missing required property fails)


@dataclass
class TsModelSchema:
    name: str  # a TS string literal of the class name
    fields: list[tuple[str, str]]  # (TS string literal of the wire name, type tag)
    extra: str  # the tag of undescribed properties, or "null" when they are unknown fields
    required: list[str]  # TS string literals of the required wire names
    check: str  # the name of its `fits<Model>` function
    field_checks: list[TsFieldCheck]  # the properties that can fail to fit
    extra_fails: str | None  # over `item`, an undescribed property's value: it does not fit (if typed)


@dataclass
class TsEnumSchema:
    name: str  # TS string literal
    values: list[str]  # TS literals


@dataclass
class TsSecurityScheme:
    name: str
    kind: str
    location: str
    parameter: str
    readme_row: str = ""  # the README table row: the scheme and the client options it takes


@dataclass
class TsCall:
    """A call the README's examples make: an operation that needs nothing but its path parameters
    (and a page size, `{ limit: 100 }`, when its `limit` is required)."""

    op: TsOperation
    values: list[str]  # a TS literal for each path parameter, e.g. "inv_123"
    missing: list[str]  # the same, naming an object that does not exist, e.g. "inv_missing"

    def args(self, options: str = "", missing: bool = False) -> str:
        """The arguments: the path parameters, `params` when needed, then `options` when given."""
        args = list(self.missing if missing else self.values)
        if self.op.has_params and (options or self.op.params_required):
            args.append(_params_literal(self.op.named))
        if options:
            args.append(options)
        return ", ".join(args)

    @property
    def iter_args(self) -> str:
        """The arguments of `<op>Iter`: the path parameters, then `params` when it takes them."""
        assert self.op.pagination is not None
        args = list(self.values)
        if self.op.pagination.params:
            args.append(_params_literal(self.op.pagination.params))
        return ", ".join(args)


@dataclass
class TsExpandable:
    """A field that holds an object's id or the expanded object, for the README's example."""

    model: str  # the TS name of the model that has the field
    field: str  # the field's wire name (an identifier)
    target: str  # the TS name of the expanded model
    id_field: str  # the wire name of the target's id property (an identifier)
    id: str  # an example id, e.g. inv_123 (ASCII letters, digits and `_`)


@dataclass
class TsReadme:
    """What the README's examples use, chosen so that every example compiles and runs for any spec."""

    call: TsCall | None  # the first operation callable with its path parameters alone
    missing_call: TsCall | None  # the first such call with a path parameter (a 404), else `call`
    post_call: TsCall | None  # the first such POST or PATCH (idempotency keys)
    paginated_call: TsCall | None  # the first paginated list whose iterator needs nothing more
    expandable: TsExpandable | None  # the first id-or-object field whose object can be written out


@dataclass
class TsPackage:
    package: str
    version: str
    title: str
    description: str
    client_name: str
    env_var: str
    base_url_env: str
    base_url: str
    models: list[TsModel]
    enums: list[TsEnum]
    operations: list[TsOperation]
    security_schemes: list[TsSecurityScheme]
    api_key_is_basic_user: bool
    error_code_path: tuple[str, ...]
    error_message_path: tuple[str, ...]
    model_imports: list[str]
    manifest: dict[str, Any]
    model_schemas: list[TsModelSchema]
    enum_schemas: list[TsEnumSchema]
    id_fields: list[str]  # TS string literals: the id property of each model, `id` first
    readme: TsReadme
    aliases: list[TsAlias]

    @property
    def paginated(self) -> list[TsOperation]:
        return [op for op in self.operations if op.pagination is not None]

    @property
    def runtime_imports(self) -> str:
        """What client.ts imports from runtime.ts."""
        names = ["BaseClient"]
        if any(op.positional for op in self.operations):
            names.append("encodePathParam")
        if self.operations:
            names.append("type ApiResponse")
        return ", ".join([*names, "type RequestOptions"])


def _class_names(api: ApiIR, reserved: frozenset[str]) -> dict[str, str]:
    declared = api.declared_names
    taken = KEYWORDS | reserved
    safe = [identifier(n, "pascal", taken, digit_prefix="model") for n in declared]
    return dict(zip(declared, unique(safe), strict=True))


def _model_view(model: ModelIR, printer: TypePrinter, names: dict[str, str]) -> TsModel:
    fields = [
        TsField(
            ts_key(f.wire_name),
            f.wire_name,
            printer(f.type),
            f.required and not (f.read_only or f.write_only),  # see the Python view
            f.description,
            f.deprecated,
        )
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


def _part_view(part: PartEncodingIR) -> str:
    """One body property's encoding as the runtime reads it:
    [name, [style, explode, allow reserved, content type, headers]]."""
    headers = ", ".join(f"[{ts_string(name)}, {ts_string(value)}]" for name, value in part.headers)
    flags = ", ".join("true" if flag else "false" for flag in (part.explode, part.allow_reserved))
    rule = f"[{ts_string(part.style)}, {flags}, {ts_string(part.content_type)}, [{headers}]]"
    return f"[{ts_string(part.name)}, {rule}]"


def _path_arguments(param: TsParam) -> str:
    """encodePathParam's arguments: the value, then its style when it is not plain `simple`."""
    if param.style == "simple" and not param.explode:
        return param.name
    explode = "true" if param.explode else "false"
    return f"{param.name}, {ts_string(param.wire_name)}, {ts_string(param.style)}, {explode}"


def _path_expr(path: str, params: dict[str, TsParam]) -> str:
    """`/v1/invoices/{id}` -> `"/v1/invoices/" + encodePathParam(id)`: spec text only inside literals."""
    parts: list[str] = []
    rest = path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        literal, rest = rest.split("{", 1)
        name, rest = rest.split("}", 1)
        if literal:
            parts.append(ts_string(literal))
        placeholder = ts_string("{" + name + "}")
        parts.append(f"encodePathParam({_path_arguments(params[name])})" if name in params else placeholder)
    if rest:
        parts.append(ts_string(rest))
    return " + ".join(parts) or ts_string("/")


def _body_type(op: OperationIR, kind: str | None, printer: TypePrinter) -> str | None:
    """The request body's type: bytes for a binary media type, text for text/*, else its schema's."""
    if op.body is None:
        return None
    if kind == "binary":
        return "Uint8Array | ArrayBuffer | Blob"
    if kind == "text":
        return "string"
    return printer(op.body.type)


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


def _pagination_view(
    pagination: PaginationIR, name: str, params: list[TsParam], printer: TypePrinter
) -> TsPagination | None:
    cursor = next(
        (p for p in params if p.location == "query" and p.wire_name == pagination.cursor_param), None
    )
    if cursor is None or cursor.required or cursor.type != "string":
        return None
    wanted = ["cursor", "page", "items", "last", "next"]
    taken = [p.name for p in params if p.location == "path"] + ["params", "options"]
    return TsPagination(
        name=name,
        cursor=cursor.name,
        params=[p for p in params if p is not cursor and p.location != "path"],
        locals=dict(zip(wanted, unique(wanted, taken=taken), strict=True)),
        items_key=ts_string(pagination.items_field),
        id_key=ts_string(pagination.item_id_field),
        has_more_key=ts_string(pagination.has_more_field) if pagination.has_more_field else None,
        item_type=printer(pagination.item_type),
    )


def _operation_view(
    op: OperationIR,
    names: tuple[str, str, str],
    printer: TypePrinter,
    tags: TagPrinter,
    reserved: frozenset[str],
) -> TsOperation:
    name, raw_name, iter_name = names
    taken = KEYWORDS | reserved
    wanted = [identifier(p.wire_name, "camel", taken, digit_prefix="param") for p in op.parameters]
    params = []
    for p, pname in zip(op.parameters, unique(wanted, taken=["body", "options", "params"]), strict=True):
        params.append(
            TsParam(
                pname,
                p.wire_name,
                p.location,
                printer(p.type),
                p.required,
                p.description,
                p.explode,
                p.style,
                p.deprecated,
                p.allow_reserved,
            )
        )
    return_type, return_kind = _return_of(op, printer)
    positional = [p for p in params if p.location == "path"]
    success = op.success
    schema_tag = tags(success.type) if return_kind == "json" and success and success.type else None
    kind = op.body.kind if op.body else None
    body_type = _body_type(op, kind, printer)
    pagination = None
    if op.pagination is not None and body_type is None:
        pagination = _pagination_view(op.pagination, iter_name, params, printer)
    return TsOperation(
        name=name,
        raw_name=raw_name,
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        path_expr=_path_expr(op.path, {p.wire_name: p for p in positional}),
        summary=op.summary,
        description=op.description,
        positional=positional,
        named=[p for p in params if p.location != "path"],
        body_type=body_type,
        body_required=bool(op.body and op.body.required),
        body_kind=kind,
        body_encoding=[_part_view(part) for part in op.body.encoding] if op.body else [],
        body_media_type=op.body.media_type if op.body else None,
        return_type=return_type,
        return_kind=return_kind,
        security=op.security,
        deprecated=op.deprecated,
        schema_tag=schema_tag,
        pagination=pagination,
        accept=op.accept,
    )


def _method_names(api: ApiIR, reserved: frozenset[str]) -> list[tuple[str, str, str]]:
    """(`op`, `opWithResponse`, `opIter`) for each operation; the plain names keep their spelling."""
    taken = KEYWORDS | reserved
    base = unique([identifier(op.operation_id, "camel", taken, "op") for op in api.operations])
    derived = unique([f"{n}{suffix}" for n in base for suffix in ("WithResponse", "Iter")], taken=base)
    return [(n, derived[2 * i], derived[2 * i + 1]) for i, n in enumerate(base)]


def _schema_views(
    api: ApiIR, names: dict[str, str], tags: TagPrinter
) -> tuple[list[TsModelSchema], list[TsEnumSchema], list[str]]:
    checks = CheckPrinter(names, {e.name: e for e in api.enums})
    models = []
    for model in api.models:
        typed_extra = model.additional is not None and not isinstance(model.additional, AnyType)
        extra_fails = negated(checks.fits(model.additional, "item")) if model.additional is not None else None
        fits = [checks.fits(f.type, "x") for f in model.fields]
        field_checks = [
            TsFieldCheck(ts_string(f.wire_name), f.required, negated(check), check == "true")
            for f, check in zip(model.fields, fits, strict=True)
        ]
        models.append(
            TsModelSchema(
                ts_string(names[model.name]),
                [(ts_string(f.wire_name), tags(f.type)) for f in model.fields],
                tags(model.additional) if typed_extra and model.additional is not None else "null",
                [ts_string(f.wire_name) for f in model.fields if f.required],
                checks.function(model.name),
                [c for c in field_checks if c.required or not c.anything],
                extra_fails if typed_extra else None,
            )
        )
    enums = [
        TsEnumSchema(
            ts_string(names[e.name]), [ts_literal(v if e.base == "integer" else str(v)) for v in e.values]
        )
        for e in api.enums
    ]
    # `id` first, then `<name>_id` fields in declaration order: the first one an object has wins.
    id_fields = sorted(dict.fromkeys(m.id_field for m in api.models if m.id_field), key=lambda f: f != "id")
    return models, enums, [ts_string(f) for f in id_fields]


# --- the README's examples ------------------------------------------------------------------------

_VERSION_SEGMENT = re.compile(r"^v[0-9]+$")
# What every object literal has from `Object`: a `params` type with one of these as a property does
# not accept `{}` (the inherited method is not of the parameter's type), so the README avoids them.
_OBJECT_MEMBERS = frozenset(
    {
        "constructor",
        "toString",
        "toLocaleString",
        "valueOf",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
    }
)


def _example_prefix(name: str) -> str:
    """`invoices` -> `inv`, `PaymentMethod` -> `pm`: the prefix of an example id, Stripe-style."""
    words = [w.lower() for w in split_words(name)]
    if not words:
        return "obj"
    return "".join(w[0] for w in words) if len(words) > 1 else words[0][:3]


def _page_size(param: TsParam) -> bool:
    return param.location == "query" and param.wire_name == "limit" and param.type == "number"


def _params_literal(params: list[TsParam]) -> str:
    """`params` for an example call: a page size when the operation takes one, else nothing."""
    return "{ limit: 100 }" if any(_page_size(p) for p in params) else "{}"


def _example_call(op: TsOperation, enums: dict[str, TsEnum], iterator: bool = False) -> TsCall | None:
    """Example values for the path parameters; None when the call needs more (a body, a required
    parameter other than a numeric `limit`), or when it is of `<op>Iter` and `op` does not page."""
    if iterator and op.pagination is None:
        return None
    named = op.pagination.params if iterator and op.pagination is not None else op.named
    if any(p.required and not _page_size(p) for p in named) or (op.body_required and not iterator):
        return None
    if any(p.name in _OBJECT_MEMBERS for p in named):
        return None
    segments = [s for s in op.path.split("/") if s]
    values: list[str] = []
    missing: list[str] = []
    for param in op.positional:
        if param.type == "string":
            marker = "{" + param.wire_name + "}"
            before = segments[: segments.index(marker)] if marker in segments else []
            words = [s for s in before if "{" not in s and not _VERSION_SEGMENT.match(s)]
            prefix = _example_prefix(words[-1] if words else param.wire_name)
            values.append(ts_string(f"{prefix}_123"))
            missing.append(ts_string(f"{prefix}_missing"))
        elif param.type in ("number", "boolean"):
            values.append("123" if param.type == "number" else "true")
            missing.append(values[-1])
        elif param.type in enums and enums[param.type].members:
            values.append(enums[param.type].members[0].value)
            missing.append(values[-1])
        else:
            return None
    return TsCall(op, values, missing)


def _expandable(api: ApiIR, names: dict[str, str]) -> TsExpandable | None:
    """The first field typed `string | Model` whose model an example can write as `{ <id>: "..." }`."""
    models = {m.name: m for m in api.models}
    for model in api.models:
        for field in model.fields:
            type_ref = non_null(field.type)
            if not isinstance(type_ref, UnionType) or not _IDENTIFIER.match(field.wire_name):
                continue
            variants = [v for v in type_ref.variants if not isinstance(v, NullType)]
            targets = [v for v in variants if isinstance(v, ModelRef)]
            if len(variants) != 2 or Primitive("string") not in variants or len(targets) != 1:
                continue
            target = models.get(targets[0].name)
            id_field = target.id_field if target is not None else None
            if target is None or id_field is None or not _IDENTIFIER.match(id_field):
                continue
            if next(f.type for f in target.fields if f.wire_name == id_field) != Primitive("string"):
                continue
            if any(f.required and f.wire_name != id_field for f in target.fields):
                continue
            example_id = f"{_example_prefix(target.name)}_123"
            return TsExpandable(names[model.name], field.wire_name, names[target.name], id_field, example_id)
    return None


def _readme_view(
    api: ApiIR, operations: list[TsOperation], enums: list[TsEnum], names: dict[str, str]
) -> TsReadme:
    by_name = {e.name: e for e in enums}
    calls = [call for call in (_example_call(op, by_name) for op in operations) if call is not None]
    return TsReadme(
        call=calls[0] if calls else None,
        missing_call=next((c for c in calls if c.op.positional), calls[0] if calls else None),
        post_call=next((c for c in calls if c.op.method in ("POST", "PATCH")), None),
        paginated_call=next(
            filter(None, (_example_call(op, by_name, iterator=True) for op in operations)), None
        ),
        expandable=_expandable(api, names),
    )


def typescript_view(api: ApiIR, manifest: dict[str, Any], package: str, options: dict[str, Any]) -> TsPackage:
    """Everything a TypeScript template prints, named and typed, computed once."""
    reserved = manifest.get("reserved") or {}
    reserved_types = frozenset(reserved.get("types") or ())
    reserved_methods = frozenset(reserved.get("methods") or ())
    identity = client_names(api.title, options)
    client_name = identity.client
    names = _class_names(api, reserved_types | {client_name})  # client.ts declares it beside the models
    printer = TypePrinter(dict(manifest.get("types") or {}), names)
    models = [_model_view(m, printer, names) for m in api.models]
    enums = [_enum_view(e, names) for e in api.enums]
    aliases = [TsAlias(names[a.name], printer(a.type), a.description) for a in api.aliases]
    method_names = _method_names(api, reserved_methods)
    op_printer = TypePrinter(dict(manifest.get("types") or {}), names)
    tags = TagPrinter(names)
    operations = [
        _operation_view(op, method, op_printer, tags, frozenset(reserved.get("params") or ()))
        for op, method in zip(api.operations, method_names, strict=True)
    ]
    model_schemas, enum_schemas, id_fields = _schema_views(api, names, tags)
    used = sorted(op_printer.used)
    basic_user = api.api_key_is_basic_user
    return TsPackage(
        package=package,
        version=str(options.get("version") or api.version),
        title=api.title,
        description=api.description,
        client_name=client_name,
        env_var=identity.env_var,
        base_url_env=identity.base_url_env,
        base_url=api.servers[0] if api.servers else "",
        models=models,
        enums=enums,
        operations=operations,
        security_schemes=[
            TsSecurityScheme(
                s.name, s.kind, s.location, s.parameter, credential_text(s, TS_CREDENTIALS, basic_user)
            )
            for s in api.security_schemes
        ],
        api_key_is_basic_user=basic_user,
        error_code_path=api.error_shape.code_path,
        error_message_path=api.error_shape.message_path,
        model_imports=used,
        manifest=manifest,
        model_schemas=model_schemas,
        enum_schemas=enum_schemas,
        id_fields=id_fields,
        readme=_readme_view(api, operations, enums, names),
        aliases=aliases,
    )
