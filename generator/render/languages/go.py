"""Go: identifiers, type expressions, literals and the template view of an API for Go styles.

Go has no unions, optional fields or open enums, so this view decides how each IR type is spelt:
optional and nullable values are `Opt[T]` (absent, null or set), open enums are named string (or
number) types with constants, unions (and id-or-object fields) are structs holding the decoded
variant or the raw JSON. Every type also gets a decoder expression (`decodeString`,
`decodeSlice(decodeObject[Customer])`, ...) that the runtime's lenient decoder runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.model.ir import (
    AnyType,
    ApiIR,
    ArrayType,
    BodyIR,
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
from generator.model.naming import claim, client_names, split_words
from generator.render.languages.python import credential_text

# The names the README gives what each security scheme takes: NewClient's apiKey, WithBasicAuth's
# username and password.
GO_CREDENTIALS = {"api_key": "apiKey", "username": "username", "password": "password"}

KEYWORDS = frozenset(
    [
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
    ]
)
# Predeclared identifiers: legal to shadow, but a local named `string` or `len` breaks the code after it.
PREDECLARED = frozenset(
    [
        "any",
        "bool",
        "byte",
        "comparable",
        "complex64",
        "complex128",
        "error",
        "float32",
        "float64",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "rune",
        "string",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "true",
        "false",
        "iota",
        "nil",
        "append",
        "cap",
        "clear",
        "close",
        "complex",
        "copy",
        "delete",
        "imag",
        "len",
        "make",
        "max",
        "min",
        "new",
        "panic",
        "print",
        "println",
        "real",
        "recover",
    ]
)
# Names a method body declares or uses, which a parameter must not shadow.
METHOD_LOCALS = frozenset(
    [
        "c",
        "ctx",
        "opts",
        "params",
        "cfg",
        "req",
        "raw",
        "err",
        "out",
        "data",
        "path",
        "query",
        "page",
        "items",
        "item",
        "cursor",
        "yield",
        "context",
        "json",
        "http",
        "url",
        "time",
        "errors",
        "fmt",
        "iter",
        "strconv",
    ]
)
# Words Go spells in capitals (golint's list): `invoice_id` -> `InvoiceID`.
INITIALISMS = frozenset(
    [
        "acl",
        "api",
        "ascii",
        "cpu",
        "css",
        "dns",
        "eof",
        "guid",
        "html",
        "http",
        "https",
        "id",
        "ip",
        "json",
        "lhs",
        "qps",
        "ram",
        "rhs",
        "rpc",
        "sla",
        "smtp",
        "sql",
        "ssh",
        "tcp",
        "tls",
        "ttl",
        "udp",
        "ui",
        "uid",
        "uuid",
        "uri",
        "url",
        "utf8",
        "vm",
        "xml",
        "xmpp",
        "xsrf",
        "xss",
    ]
)


# --- escaping: every spec string reaches Go code through one of these -----------------------------


def go_string(value: Any) -> str:
    """A Go interpreted string literal: ASCII only; other characters as \\u escapes, and a lone
    surrogate (not a code point Go accepts) as the bytes Python would encode it to."""
    out = ['"']
    for char in str(value):
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif 0xD800 <= code <= 0xDFFF:
            out.extend(f"\\x{b:02x}" for b in char.encode("utf-8", "surrogatepass"))
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_comment(text: str) -> str:
    """Text after `// `: one comment line per line of text, invisible and non-UTF-8 characters
    escaped (a line comment ends only at a newline, which starts the next `// ` line)."""
    cleaned = []
    for char in str(text).replace("\r\n", "\n").replace("\r", "\n").strip():
        category = unicodedata.category(char)
        if char != "\n" and (category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or char == "\ufeff"):
            cleaned.append(f"\\u{ord(char):04x}")
        else:
            cleaned.append(char)
    return "\n// ".join(line.rstrip() for line in "".join(cleaned).split("\n"))


def go_line(text: str) -> str:
    """One comment line: newlines folded."""
    return go_comment(" ".join(str(text).split()))


def go_literal(value: Any, base: str = "string") -> str:
    """A Go constant equal to an enum value of base `string`, `integer`, `number` or `boolean`."""
    if base == "boolean":
        return "true" if value else "false"
    if base in ("integer", "number") and not isinstance(value, bool) and isinstance(value, int | float):
        return repr(value)
    return go_string(value)


def exported(name: str, empty: str = "Value") -> str:
    """An exported Go identifier: CamelCase, initialisms in capitals, a letter first."""
    words = split_words(name)
    text = "".join(w.upper() if w.lower() in INITIALISMS else w[:1].upper() + w[1:] for w in words)
    if not text:
        text = empty
    if text[0].isdigit():
        text = "N" + text
    return text


def unexported(name: str, taken: Iterable[str] = ()) -> str:
    """A local Go identifier: lowerCamel, never a keyword, a predeclared name or one of `taken`."""
    pascal = exported(name, "value")
    text = pascal[:1].lower() + pascal[1:]
    if any(w.lower() in INITIALISMS for w in split_words(name)[:1]):
        first = split_words(name)[0]
        text = first.lower() + pascal[len(first) :]
    if text[0].isdigit():
        text = "n" + text
    if text in KEYWORDS or text in PREDECLARED or text in set(taken):
        text += "_"
    return text


# A Go module path: slash-separated elements of letters, digits and `-._~` (cmd/go's rule, simplified),
# the first with a dot. The package name: a lowercase identifier.
_MODULE = re.compile(r"[a-z0-9.-]+\.[a-z]+(?:/[A-Za-z0-9._~-]+)*")
_PACKAGE = re.compile(r"[a-z][a-z0-9]*")


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be a Go package name, with the one to use; None if it can."""
    if _PACKAGE.fullmatch(name) and name not in KEYWORDS and name not in PREDECLARED:
        return None
    suggestion = re.sub(r"[^a-z0-9]", "", name.lower()).lstrip("0123456789") or "sdk"
    if suggestion in KEYWORDS or suggestion in PREDECLARED:
        suggestion += "api"
    return f"package {name!r} is not a valid Go package name; use {suggestion!r}"


FILTERS = {"go_string": go_string, "go_comment": go_comment, "go_line": go_line}


# --- names ---------------------------------------------------------------------------------------


class Namespace:
    """The package's exported names: one set, as Go has one scope for types, constants and funcs."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.seen = {r.lower() for r in reserved}

    def claim(self, wanted: str) -> str:
        """`wanted`, or `wanted2`, `wanted3`, ... if taken."""
        candidate, counter = wanted, 2
        while candidate.lower() in self.seen:
            candidate = f"{wanted}{counter}"
            counter += 1
        self.seen.add(candidate.lower())
        return candidate


# --- the view handed to templates ------------------------------------------------------------------


@dataclass
class GoField:
    name: str
    wire: str  # Go string literal of the wire name
    type: str
    decode: str
    required: bool  # written always (a plain value), else only when set (an Opt)
    description: str
    tag: str  # the struct tag, or "" when the wire name cannot be written in one
    deprecated: bool = False


@dataclass
class GoModel:
    name: str
    description: str
    fields: list[GoField]

    @property
    def has_required(self) -> bool:
        """Whether the model tracks required properties a response lacked (kept absent)."""
        return any(f.required for f in self.fields)


@dataclass
class GoEnumMember:
    name: str
    value: str


@dataclass
class GoEnum:
    name: str
    description: str
    base: str  # the Go type underneath
    decode: str  # decoder of the base type
    members: list[GoEnumMember]


@dataclass
class GoVariant:
    accessor: str  # `AsSource`
    constructor: str  # `CustomerDefaultSourceFromSource`
    type: str
    decode: str
    condition: str  # Go boolean expression on `kind` and `raw` that says the variant may fit


@dataclass
class GoUnion:
    name: str
    description: str
    variants: list[GoVariant]
    id_cases: list[tuple[str, str]] = field(default_factory=list)  # (variant type, id expression of `v`)


@dataclass
class GoAlias:
    """A component schema that names another type: `type Name = Other`."""

    name: str
    type: str
    description: str


@dataclass
class GoParam:
    name: str  # the local (path) or the params struct's field
    wire: str  # Go string literal
    location: str
    type: str
    required: bool
    description: str
    style: str
    explode: bool
    tag: str
    key: str = ""  # the wire name itself
    allow_reserved: bool = False  # a query parameter's allowReserved, resolved in the IR


@dataclass
class GoPagination:
    name: str
    item_type: str
    items: str  # the page's field holding the items
    cursor: str  # the params field taking the last id
    item_id: str  # Go expression of an item's id, on `item`
    has_more: str | None  # Go expression on `page`, or None


@dataclass
class GoOperation:
    name: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    path_params: list[GoParam]
    params: list[GoParam]  # query, header and cookie parameters, in the params struct
    params_type: str | None
    body_type: str | None
    body_required: bool
    body_kind: str | None
    body_media_type: str
    body_files: list[str]  # Go string literals: the multipart fields that are files
    body_rules: str  # Go literal of the body's encoding rules (map[string]partRule), or nil
    path_pieces: list[tuple[str, str]]  # ("lit", literal) or ("param", local name)
    return_kind: str  # json, text, binary or none
    return_type: str  # the Go type (json: the model or value type)
    return_pointer: bool
    decode: str
    security: str  # Go literal of [][]string
    deprecated: bool
    pagination: GoPagination | None = None

    def located(self, location: str) -> list[GoParam]:
        return [p for p in self.params if p.location == location]


@dataclass
class GoExample:
    """A call the README's examples make: one that needs nothing but its string path parameters."""

    op: GoOperation
    args: str  # Go arguments after ctx, e.g. `"inv_123"`
    missing: str  # the same, naming an object that does not exist, e.g. `"inv_missing"`

    @property
    def iter_args(self) -> str:
        """The arguments of `<Op>Iter`: the path parameters, then the params (nil)."""
        return self.args


@dataclass
class GoPackage:
    package: str
    module: str
    version: str
    title: str
    description: str
    env_var: str
    base_url_env: str
    base_url: str
    user_agent: str
    models: list[GoModel]
    enums: list[GoEnum]
    unions: list[GoUnion]
    aliases: list[GoAlias]
    operations: list[GoOperation]
    security_schemes: list[Any]
    api_key_is_basic_user: bool
    credential_rows: list[str]  # the README's table: what each security scheme takes
    error_code_path: tuple[str, ...]
    error_message_path: tuple[str, ...]
    example: GoExample | None
    paginated: GoExample | None
    manifest: dict[str, Any]

    @property
    def uses_time(self) -> bool:
        return (
            any("time.Time" in f.type for m in self.models for f in m.fields)
            or any("time.Time" in v.type for u in self.unions for v in u.variants)
            or any("time.Time" in a.type for a in self.aliases)
        )

    @property
    def models_need_json(self) -> bool:
        """Whether models.go uses encoding/json: it declares a model, enum, union or JSON alias."""
        return bool(self.models or self.enums or self.unions) or any("json." in a.type for a in self.aliases)

    @property
    def api_imports(self) -> list[str]:
        """The standard packages operations.go needs."""
        needed = {"context"}
        text = " ".join(
            [op.return_type for op in self.operations]
            + [p.type for op in self.operations for p in op.params + op.path_params]
            + [op.body_type or "" for op in self.operations]
            + [op.decode for op in self.operations]
        )
        if "json." in text or any(op.body_kind == "json" and op.body_type for op in self.operations):
            needed.add("encoding/json")
        if "time.Time" in text:
            needed.add("time")
        if any(op.pagination for op in self.operations):
            needed.add("iter")
        return sorted(needed) if self.operations else []


_SIMPLE = {
    "string": ("string", "decodeString"),
    "integer": ("int64", "decodeInt"),
    "number": ("float64", "decodeFloat"),
    "boolean": ("bool", "decodeBool"),
}
_FORMATS = {"date-time": ("time.Time", "decodeTime"), "binary": ("[]byte", "decodeBytes")}
_TAG_SAFE = re.compile(r"[A-Za-z0-9!#$%&()*+\-./:;<=>?@\[\]^_{|}~ ]+")


def json_tag(wire: str, omit: bool) -> str:
    """`json:"name,omitempty"`, or "" when the name is one encoding/json cannot spell in a tag."""
    if not _TAG_SAFE.fullmatch(wire) or wire.strip() != wire or "," in wire:
        return ""
    return f'`json:"{wire}{",omitempty" if omit else ""}"`'


class Types:
    """Prints TypeRefs as Go types and decoder expressions, naming the union types it meets."""

    def __init__(self, api: ApiIR, names: dict[str, str], namespace: Namespace) -> None:
        self.names = names
        self.namespace = namespace
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.unions: list[GoUnion] = []
        self.aliases: list[GoAlias] = []
        self._union_names: dict[UnionType, str] = {}
        self._pending: list[tuple[str, UnionType, str]] = []
        self._reach: dict[str, frozenset[str]] = {}

    # Go types -----------------------------------------------------------------------------------

    def type(self, ref: TypeRef, context: str) -> tuple[str, str]:
        """(Go type, decoder expression) of a type; `context` names a union met inside."""
        if isinstance(ref, Nullable):
            inner, decode = self.type(ref.inner, context)
            return self.optional(inner, decode)
        if isinstance(ref, Primitive):
            return _FORMATS.get(ref.format or "") or _SIMPLE.get(ref.kind, _SIMPLE["string"])
        if isinstance(ref, AnyType | NullType):
            return "json.RawMessage", "decodeRaw"
        if isinstance(ref, ArrayType):
            inner, decode = self.type(ref.item, context + "Item")
            return f"[]{inner}", f"decodeSlice({decode})"
        if isinstance(ref, MapType):
            inner, decode = self.type(ref.value, context + "Value")
            return f"map[string]{inner}", f"decodeMap({decode})"
        if isinstance(ref, ModelRef | EnumRef):
            name = self.names[ref.name]
            return name, f"decodeObject[{name}]"
        if isinstance(ref, UnionType):
            return self.union(ref, context)
        raise TypeError(ref)

    def pointer(self, owner: str, ref: TypeRef, go_type: str, decode: str) -> tuple[str, str]:
        """A model held by value that (directly or through others) holds its holder: a pointer, as a
        struct cannot contain itself."""
        base = ref.inner if isinstance(ref, Nullable) else ref
        if not isinstance(base, ModelRef) or owner not in self.reach(base.name):
            return go_type, decode
        name = self.names[base.name]
        return f"*{name}", f"decodePointer(decodeObject[{name}])"

    def reach(self, model: str) -> frozenset[str]:
        """The models a model holds by value, transitively (through fields typed as a model)."""
        known = self._reach.get(model)
        if known is not None:
            return known
        found: set[str] = set()
        todo = [model]
        while todo:
            ir = self.models.get(todo.pop())
            for f in ir.fields if ir else []:
                base = f.type.inner if isinstance(f.type, Nullable) else f.type
                if isinstance(base, ModelRef) and base.name not in found:
                    found.add(base.name)
                    todo.append(base.name)
        self._reach[model] = frozenset(found)
        return self._reach[model]

    @staticmethod
    def optional(inner: str, decode: str) -> tuple[str, str]:
        if inner.startswith("Opt["):
            return inner, decode
        return f"Opt[{inner}]", f"decodeOpt({decode})"

    def union(self, ref: UnionType, context: str) -> tuple[str, str]:
        variants = [v for v in ref.variants if not isinstance(v, NullType)]
        nullable = len(variants) < len(ref.variants)
        if len(variants) == 1:
            go_type, decode = self.type(variants[0], context)
        elif not variants:
            go_type, decode = "json.RawMessage", "decodeRaw"
        else:
            single = UnionType(tuple(variants), ref.discriminator, ref.mapping)
            name = self._union_names.get(single)
            if name is None:
                name = self._union_names[single] = self.namespace.claim(context)
                self._pending.append((name, single, ""))
            go_type, decode = name, f"decodeObject[{name}]"
        return self.optional(go_type, decode) if nullable else (go_type, decode)

    def alias(self, name: str, ref: TypeRef, description: str) -> None:
        """A named component union: its IR name is the Go type's."""
        variants = (
            [v for v in ref.variants if not isinstance(v, NullType)] if isinstance(ref, UnionType) else []
        )
        if isinstance(ref, UnionType) and len(variants) > 1:
            single = UnionType(tuple(variants), ref.discriminator, ref.mapping)
            if single not in self._union_names:
                self._union_names[single] = name
                self._pending.append((name, single, description))
                return
        go_type, _ = self.type(ref, name)
        self.aliases.append(GoAlias(name, go_type, description))  # a name for a single type

    def finish(self) -> None:
        """Build every union met so far (building one can meet more)."""
        while self._pending:
            name, ref, description = self._pending.pop(0)
            self.unions.append(self._union_view(name, ref, description))

    def _union_view(self, name: str, ref: UnionType, description: str) -> GoUnion:
        used = {"raw", "isknown", "id", "marshaljson", "unmarshaljson"}
        pairs: list[tuple[TypeRef, GoVariant]] = []
        seen_types: set[str] = set()
        tags = self._tags(ref)
        for variant in ref.variants:
            go_type, decode = self.type(variant, name + self._variant_word(variant))
            if go_type in seen_types:  # two variants Go spells alike: the first one reads both
                continue
            seen_types.add(go_type)
            word = claim(self._variant_word(variant), used)
            view = GoVariant(
                accessor="As" + word,
                constructor=self.namespace.claim(f"{name}From{word}"),
                type=go_type,
                decode=decode,
                condition=self._condition(variant, ref, tags),
            )
            pairs.append((variant, view))
        return GoUnion(name, description, [view for _, view in pairs], self._id_cases(pairs))

    def _variant_word(self, ref: TypeRef) -> str:
        if isinstance(ref, Primitive):
            return {"date-time": "Time", "binary": "Bytes"}.get(ref.format or "") or {
                "string": "String",
                "integer": "Int",
                "number": "Float",
                "boolean": "Bool",
            }.get(ref.kind, "String")
        if isinstance(ref, ModelRef | EnumRef):
            return self.names[ref.name]
        if isinstance(ref, ArrayType):
            return self._variant_word(ref.item) + "List"
        if isinstance(ref, MapType):
            return self._variant_word(ref.value) + "Map"
        if isinstance(ref, Nullable):
            return self._variant_word(ref.inner)
        return "Value"

    def _tags(self, ref: UnionType) -> dict[str, list[str]]:
        """Discriminator values per model variant: the spec's mapping, else the model's own name."""
        if ref.discriminator is None:
            return {}
        models = [v.name for v in ref.variants if isinstance(v, ModelRef)]
        tags: dict[str, list[str]] = {m: [] for m in models}
        for value, target in ref.mapping:
            segment = target.rsplit("/", 1)[-1]
            if segment in tags:
                tags[segment].append(value)
        for model in models:
            if not tags[model]:
                tags[model].append(model)
        return tags

    def _condition(self, ref: TypeRef, union: UnionType, tags: dict[str, list[str]]) -> str:
        base = ref.inner if isinstance(ref, Nullable) else ref
        if isinstance(base, Primitive | EnumRef):
            kind = base.kind if isinstance(base, Primitive) else self.enums[base.name].base
            if kind == "integer":
                return 'kind == "number" && isInteger(raw)'
            return f"kind == {go_string({'number': 'number', 'boolean': 'boolean'}.get(kind, 'string'))}"
        if isinstance(base, ArrayType):
            return 'kind == "array"'
        if isinstance(base, ModelRef) and union.discriminator is not None:
            values = "".join(f", {go_string(v)}" for v in tags.get(base.name, []))
            return f'kind == "object" && tagIn(raw, {go_string(union.discriminator)}{values})'
        if isinstance(base, ModelRef):
            model = self.models.get(base.name)
            required = [f.wire_name for f in model.fields if f.required] if model else []
            keys = ", ".join(go_string(k) for k in required)
            return f'kind == "object" && hasKeys(raw{", " + keys if keys else ""})'
        if isinstance(base, MapType | UnionType):
            return 'kind == "object"'
        return "true"

    def _id_cases(self, pairs: list[tuple[TypeRef, GoVariant]]) -> list[tuple[str, str]]:
        """How `ID()` reads each variant of an id-or-object union: the string, or the model's id
        property; none when the union is not a string and objects that all have a string id."""
        cases: list[tuple[str, str]] = []
        for variant, view in pairs:
            if variant == Primitive("string"):
                cases.append(("string", "v"))
                continue
            model = self.models.get(variant.name) if isinstance(variant, ModelRef) else None
            if model is None:
                return []
            id_field = next((f for f in model.fields if f.wire_name == model.id_field), None)
            if id_field is None or id_field.type != Primitive("string"):
                return []
            suffix = "" if _field_required(id_field) else ".Value()"
            cases.append((view.type, f"v.{_field_names(model)[id_field.wire_name]}{suffix}"))
        return cases if ("string", "v") in cases and len(cases) > 1 else []


def _field_names(model: ModelIR) -> dict[str, str]:
    """Go field name per wire name: exported, unique, clear of ExtraFields and the methods."""
    seen = {"extrafields", "marshaljson", "unmarshaljson"}
    return {f.wire_name: claim(exported(f.wire_name, "Field"), seen) for f in model.fields}


def _field_required(f: Any) -> bool:
    return bool(f.required and not (f.read_only or f.write_only))


def _model_view(model: ModelIR, types: Types, names: dict[str, str]) -> GoModel:
    fields = []
    field_names = _field_names(model)
    owner = names[model.name]
    for f in model.fields:
        name = field_names[f.wire_name]
        go_type, decode = types.type(f.type, owner + name)
        go_type, decode = types.pointer(model.name, f.type, go_type, decode)
        required = _field_required(f) and not go_type.startswith("Opt[")
        if not required:
            go_type, decode = types.optional(go_type, decode)
        fields.append(
            GoField(
                name=name,
                wire=go_string(f.wire_name),
                type=go_type,
                decode=decode,
                required=required,
                description=f.description,
                tag=json_tag(f.wire_name, not required),
                deprecated=f.deprecated,
            )
        )
    return GoModel(owner, model.description, fields)


def _enum_view(enum: EnumIR, names: dict[str, str], namespace: Namespace) -> GoEnum:
    go_type, decode = _SIMPLE.get(enum.base, _SIMPLE["string"])
    name = names[enum.name]
    members = [
        GoEnumMember(namespace.claim(name + exported(str(value), "Empty")), go_literal(value, enum.base))
        for value in enum.values
        if value is not None
    ]
    return GoEnum(name, enum.description, go_type, decode, members)


def _return_of(op: OperationIR, types: Types, context: str) -> tuple[str, str, bool, str]:
    """(kind, Go type, returned as a pointer, decoder) of the success response."""
    success = op.success
    if success is None or success.media_type is None:
        return "none", "", False, ""
    media = success.media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        assert success.type is not None
        go_type, decode = types.type(success.type, context + "Response")
        is_model = isinstance(success.type, ModelRef) and not go_type.startswith("Opt[")
        return "json", go_type, is_model, decode
    if media.startswith("text/"):
        return "text", "string", False, ""
    return "binary", "[]byte", False, ""


def _body_files(op: OperationIR, models: dict[str, ModelIR]) -> list[str]:
    """The multipart fields that are files (binary strings, or arrays of them)."""
    if op.body is None or not isinstance(op.body.type, ModelRef) or op.body.type.name not in models:
        return []
    binary = Primitive("string", "binary")
    return [
        go_string(f.wire_name)
        for f in models[op.body.type.name].fields
        if f.type == binary or f.type == ArrayType(binary)
    ]


def _body_rules(body: BodyIR | None) -> str:
    """The Go literal of a form or multipart body's encoding rules, one partRule per property."""
    if body is None or not body.encoding:
        return "nil"
    rules = []
    for part in body.encoding:
        headers = ", ".join(f"{{{go_string(name)}, {go_string(value)}}}" for name, value in part.headers)
        rule = (
            f"style: {go_string(part.style)}, explode: {'true' if part.explode else 'false'}, "
            + ("allowReserved: true, " if part.allow_reserved else "")
            + f"contentType: {go_string(part.content_type)}"
            + (f", headers: [][2]string{{{headers}}}" if part.headers else "")
        )
        rules.append(f"{go_string(part.name)}: {{{rule}}}")
    return "map[string]partRule{" + ", ".join(rules) + "}"


def _operation_view(op: OperationIR, name: str, types: Types, namespace: Namespace) -> GoOperation:
    path_params: list[GoParam] = []
    params: list[GoParam] = []
    taken: set[str] = set(METHOD_LOCALS)
    seen_fields = {"body"}
    # JSON keys of the params struct: a name two parameters share (in different locations), or the
    # body's, gets no tag the second time (`go vet` refuses a repeated json tag).
    seen_tags = {"body"}
    for p in op.parameters:
        style, explode = p.style, p.explode  # resolved in the IR, defaults included
        go_type, _ = types.type(p.type, name + exported(p.wire_name))
        if p.location == "path":
            local = unexported(p.wire_name, taken)
            taken.add(local)
            path_params.append(
                GoParam(
                    local,
                    go_string(p.wire_name),
                    "path",
                    go_type,
                    True,
                    p.description,
                    style,
                    explode,
                    "",
                    p.wire_name,
                )
            )
            continue
        field_name = claim(exported(p.wire_name, "Param"), seen_fields)
        if not p.required:
            go_type, _ = Types.optional(go_type, "")
        tag = json_tag(p.wire_name, not p.required) if p.wire_name not in seen_tags else ""
        seen_tags.add(p.wire_name)
        params.append(
            GoParam(
                field_name,
                go_string(p.wire_name),
                p.location,
                go_type,
                p.required,
                p.description,
                style,
                explode,
                tag,
                p.wire_name,
                p.allow_reserved,
            )
        )
    kind = op.body.kind if op.body else None
    body_type = None
    if op.body is not None:
        if kind == "text":
            body_type = "string"
        elif kind == "binary":
            body_type = "[]byte"
        else:
            body_type, _ = types.type(op.body.type, name + "Body")
        if not op.body.required:
            body_type, _ = Types.optional(body_type, "")
    params_type = namespace.claim(name + "Params") if params or body_type else None
    return_kind, return_type, pointer, decode = _return_of(op, types, name)
    security = (
        "nil"
        if not op.security
        else "[][]string{"
        + ", ".join("{" + ", ".join(go_string(s) for s in req) + "}" for req in op.security)
        + "}"
    )
    return GoOperation(
        name=name,
        operation_id=op.operation_id,
        method=op.method.upper(),
        path=op.path,
        summary=op.summary,
        description=op.description,
        path_params=path_params,
        params=params,
        params_type=params_type,
        body_type=body_type,
        body_required=bool(op.body and op.body.required),
        body_kind=kind,
        body_media_type=go_string(op.body.media_type if op.body else ""),
        body_files=_body_files(op, types.models),
        body_rules=_body_rules(op.body),
        path_pieces=_path_pieces(op.path, {p.wire: p.name for p in path_params}),
        return_kind=return_kind,
        return_type=return_type,
        return_pointer=pointer,
        decode=decode,
        security=security,
        deprecated=op.deprecated,
    )


def _path_pieces(path: str, params: dict[str, str]) -> list[tuple[str, str]]:
    """`/v1/invoices/{id}` -> [("lit", `"/v1/invoices/"`), ("param", "id")]: spec text only in literals."""
    pieces: list[tuple[str, str]] = []
    rest = path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        literal, rest = rest.split("{", 1)
        wire, rest = rest.split("}", 1)
        if literal:
            pieces.append(("lit", go_string(literal)))
        local = params.get(go_string(wire))
        pieces.append(("param", local) if local else ("lit", go_string("{" + wire + "}")))
    if rest:
        pieces.append(("lit", go_string(rest)))
    return pieces or [("lit", go_string("/"))]


def _pagination_view(
    op: OperationIR, view: GoOperation, api: ApiIR, names: dict[str, str]
) -> GoPagination | None:
    """`<Op>Iter` for a cursor-paginated list whose page is a model with the items' array."""
    pagination = op.pagination
    success = op.success
    if pagination is None or view.body_type or success is None or not isinstance(success.type, ModelRef):
        return None
    models = {m.name: m for m in api.models}
    page = models.get(success.type.name)
    cursor = next((p for p in view.params if p.wire == go_string(pagination.cursor_param)), None)
    if page is None or cursor is None or cursor.required or cursor.type != "Opt[string]":
        return None
    items = next((f for f in page.fields if f.wire_name == pagination.items_field), None)
    if items is None or not isinstance(items.type, ArrayType) or not isinstance(items.type.item, ModelRef):
        return None
    item_model = models.get(items.type.item.name)
    item_id = (
        next((f for f in item_model.fields if f.wire_name == pagination.item_id_field), None)
        if item_model
        else None
    )
    if item_model is None or item_id is None or item_id.type != Primitive("string"):
        return None
    page_fields, item_fields = _field_names(page), _field_names(item_model)
    items_suffix = "" if _field_required(items) else ".Value()"
    id_suffix = "" if _field_required(item_id) else ".Value()"
    has_more = None
    more = next((f for f in page.fields if f.wire_name == pagination.has_more_field), None)
    if more is not None and more.type == Primitive("boolean"):
        has_more = f"page.{page_fields[more.wire_name]}" + ("" if _field_required(more) else ".Value()")
    return GoPagination(
        name=view.name + "Iter",
        item_type=names[item_model.name],
        items=f"page.{page_fields[items.wire_name]}{items_suffix}",
        cursor=cursor.name,
        item_id=f"item.{item_fields[item_id.wire_name]}{id_suffix}",
        has_more=has_more,
    )


def _example(op: GoOperation, path: str, iterator: bool = False) -> GoExample | None:
    """Example arguments for `op`: ids made from the path (`/v1/invoices/{id}` -> "inv_123"); None
    when it needs more than string path parameters (a body, a required query parameter)."""
    if iterator and op.pagination is None:
        return None
    if op.return_kind != "json" or any(p.required for p in op.params) or op.body_required:
        return None
    if any(p.type != "string" for p in op.path_params):
        return None
    segments = [s for s in path.split("/") if s]
    values: list[str] = []
    missing: list[str] = []
    for param in op.path_params:
        marker = "{" + param.key + "}"
        before = segments[: segments.index(marker)] if marker in segments else []
        words = [s for s in before if "{" not in s and not re.fullmatch(r"v[0-9]+", s)]
        prefix = _example_prefix(words[-1] if words else param.key)
        values.append(go_string(f"{prefix}_123"))
        missing.append(go_string(f"{prefix}_missing"))
    if op.params_type:
        values.append("nil")
        missing.append("nil")
    return GoExample(op, ", ".join(values), ", ".join(missing))


def _example_prefix(name: str) -> str:
    """`invoices` -> `inv`, `PaymentMethod` -> `pm`: the prefix of an example id, Stripe-style."""
    words = [w.lower() for w in split_words(name)]
    if not words:
        return "obj"
    return "".join(w[0] for w in words) if len(words) > 1 else words[0][:3]


def _module_path(title: str, options: dict[str, Any]) -> str:
    """`example.com/flex-go` from `Flex API`, unless the target's options name it."""
    given = options.get("module")
    if given:
        return str(given)
    words = [w.lower() for w in split_words(title.removesuffix(" API").removesuffix(" Api"))]
    return f"example.com/{'-'.join(words) or 'api'}-go"


def go_view(api: ApiIR, manifest: dict[str, Any], package: str, options: dict[str, Any]) -> GoPackage:
    """Everything a Go template prints, named and typed, computed once."""
    reserved = manifest.get("reserved") or []
    namespace = Namespace(reserved)
    names = {declared: namespace.claim(exported(declared, "Model")) for declared in api.declared_names}
    types = Types(api, names, namespace)
    models = [_model_view(m, types, names) for m in api.models]
    enums = [_enum_view(e, names, namespace) for e in api.enums]
    for alias in api.aliases:
        types.alias(names[alias.name], alias.type, alias.description)
    method_seen = {r.lower() for r in manifest.get("reserved_methods") or []}
    operations = []
    for op in api.operations:
        name = claim(exported(op.operation_id, "Call"), method_seen)
        view = _operation_view(op, name, types, namespace)
        view.pagination = _pagination_view(op, view, api, names)
        if view.pagination is not None:
            view.pagination.name = claim(view.pagination.name, method_seen)
        operations.append(view)
    types.finish()
    identity = client_names(api.title, options)
    module = _module_path(api.title, options)
    version = str(options.get("version") or api.version)
    return GoPackage(
        package=package,
        module=module,
        version=version,
        title=api.title,
        description=api.description,
        env_var=identity.env_var,
        base_url_env=identity.base_url_env,
        base_url=api.servers[0] if api.servers else "",
        user_agent=f"{module.rsplit('/', 1)[-1]}/{version}",
        models=models,
        enums=enums,
        unions=types.unions,
        aliases=types.aliases,
        operations=operations,
        security_schemes=api.security_schemes,
        api_key_is_basic_user=api.api_key_is_basic_user,
        credential_rows=[
            credential_text(s, GO_CREDENTIALS, api.api_key_is_basic_user) for s in api.security_schemes
        ],
        error_code_path=api.error_shape.code_path,
        error_message_path=api.error_shape.message_path,
        example=next(
            filter(None, (_example(op, ir.path) for op, ir in zip(operations, api.operations, strict=True))),
            None,
        ),
        paginated=next(
            filter(
                None, (_example(op, ir.path, True) for op, ir in zip(operations, api.operations, strict=True))
            ),
            None,
        ),
        manifest=manifest,
    )
