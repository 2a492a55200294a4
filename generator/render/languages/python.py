"""Python: identifiers, type expressions, literals and the template view of an API for Python styles."""

from __future__ import annotations

import keyword
import math
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

from generator.model.ir import (
    AnyType,
    ApiIR,
    ArrayType,
    EnumIR,
    EnumRef,
    FieldIR,
    MapType,
    ModelIR,
    ModelRef,
    Nullable,
    NullType,
    OperationIR,
    PartEncodingIR,
    Primitive,
    SecuritySchemeIR,
    TypeRef,
    UnionType,
    fits,
    non_null,
)
from generator.model.naming import client_names, identifier, pascal_case, unique

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) - {"_"}
# Field names that would shadow a name used in annotations inside the class body.
BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "list", "dict", "bytes"})

DEFAULT_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "any": "Any",
}


# --- escaping: every spec string reaches Python code through one of these -----------------------


_VISIBLE_ASCII = re.compile(r"[\x20-\x7e\n]*")


def _escape_invisible(text: str, keep: str) -> str:
    if _VISIBLE_ASCII.fullmatch(text) and ("\n" in keep or "\n" not in text):
        return text  # the common case, checked at C speed
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in keep or category not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(char)
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def py_string(value: str) -> str:
    """A Python string literal with the same value (control and bidi characters escaped)."""
    return repr(str(value))


def wrap_prose(text: str, width: int = 80) -> str:
    """Wrap long prose lines; code fences, indented lines and tables are left as they are."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width or line[:1].isspace() or line.startswith("|"):
            out.append(line)
            continue
        indent = "  " if line.startswith(("- ", "* ")) else ""
        out.extend(
            textwrap.wrap(
                line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
            )
        )
    return "\n".join(out)


def py_docstring(text: str) -> str:
    """Text that is safe between triple double quotes: no way to close the string early."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    text = wrap_prose("\n".join(line.rstrip() for line in lines)).replace("\\", "\\\\")
    # A quote next to another quote, or at the very end, could close the docstring.
    text = _QUOTE_RUN.sub(lambda run: run.group().replace('"', '\\"'), text)
    return _escape_invisible(text, keep="\n")


_QUOTE_RUN = re.compile(r'""+|"$')


def py_comment(text: str) -> str:
    """One comment line's text: newlines folded, invisible characters escaped."""
    return _escape_invisible(" ".join(text.split()), keep="")


def py_literal(value: Any) -> str:
    """A Python expression equal to a JSON value."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .inf and .nan: `inf` is no literal
        return f"float({py_string(repr(value))})"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return py_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_string(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_string(str(value))


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be the import name of a package, with the one to use instead; None if it can."""
    if name.isascii() and name.isidentifier() and not keyword.iskeyword(name):
        return None
    suggestion = identifier(name, "snake", frozenset(keyword.kwlist), digit_prefix="pkg")
    return f"package {name!r} is not an importable Python name; use {suggestion!r}"


FILTERS = {
    "py_string": py_string,
    "py_docstring": py_docstring,
    "py_comment": py_comment,
    "py_literal": py_literal,
}


# --- type expressions ---------------------------------------------------------------------------


def union_tags(union: UnionType) -> list[tuple[str, ModelRef]] | None:
    """The discriminator value of each variant of a discriminated union of models, or None.

    Explicit `mapping` entries first (a value per `$ref`), then the schema name for variants the
    mapping does not name, as OpenAPI's implicit mapping says.
    """
    if union.discriminator is None or not all(isinstance(v, ModelRef) for v in union.variants):
        return None
    variants = [v for v in union.variants if isinstance(v, ModelRef)]
    tags: list[tuple[str, ModelRef]] = []
    for value, ref in union.mapping:
        token = ref.rsplit("/", 1)[-1]
        match = next((v for v in variants if v.name in (token, pascal_case(token))), None)
        if match is not None:
            tags.append((value, match))
    named = {v.name for _, v in tags}
    tags += [(v.name, v) for v in variants if v.name not in named]
    return tags


class TypePrinter:
    """Prints TypeRefs as Python annotations and records the imports they need.

    With `tagged`, a discriminated union is printed as pydantic's tagged union, so a value is
    parsed as the variant its discriminator names (needs `discriminator_of` from the runtime).
    """

    def __init__(self, types: dict[str, str], names: dict[str, str], tagged: bool = False) -> None:
        self.types = {**DEFAULT_TYPES, **types}
        self.names = names
        self.tagged = tagged
        self.imports: set[str] = set()
        self.used: set[str] = set()  # model and enum names printed, for import lists
        self.uses_discriminator = False

    def __call__(self, type_ref: TypeRef) -> str:
        return self.print(type_ref)

    def print(self, type_ref: TypeRef) -> str:
        if isinstance(type_ref, Primitive):
            key = f"{type_ref.kind}:{type_ref.format}" if type_ref.format else type_ref.kind
            return self._named(self.types.get(key) or self.types[type_ref.kind])
        if isinstance(type_ref, AnyType):
            return self._named(self.types["any"])
        if isinstance(type_ref, NullType):
            return "None"
        if isinstance(type_ref, ArrayType):
            return f"list[{self.print(type_ref.item)}]"
        if isinstance(type_ref, MapType):
            return f"dict[str, {self.print(type_ref.value)}]"
        if isinstance(type_ref, ModelRef | EnumRef):
            self.used.add(self.names[type_ref.name])
            return self.names[type_ref.name]
        if isinstance(type_ref, UnionType):
            tags = union_tags(type_ref) if self.tagged else None
            if tags:
                return self._tagged(tags, type_ref.discriminator or "")
            return " | ".join(self.print(v) for v in type_ref.variants)
        if isinstance(type_ref, Nullable):
            return f"{self.print(type_ref.inner)} | None"
        raise TypeError(type_ref)

    def _tagged(self, tags: list[tuple[str, ModelRef]], prop: str) -> str:
        self.imports.update({"from typing import Annotated", "from pydantic import Discriminator, Tag"})
        self.uses_discriminator = True
        variants = " | ".join(f"Annotated[{self.print(ref)}, Tag({py_string(tag)})]" for tag, ref in tags)
        return f"Annotated[{variants}, Discriminator(discriminator_of({py_string(prop)}))]"

    def _named(self, name: str) -> str:
        if name == "Any":
            self.imports.add("from typing import Any")
        elif "." in name:
            self.imports.add(f"import {name.rsplit('.', 1)[0]}")
        return name


class DecoderPrinter:
    """Prints TypeRefs as expressions of a callable that turns parsed JSON into that type.

    Used by styles without a validation library; the helpers (`_str`, `_list`, ...) live in the
    style's runtime module.
    """

    PRIMITIVES: ClassVar[dict[str, str]] = {
        "string": "text",
        "integer": "integer",
        "number": "number",
        "boolean": "boolean",
    }

    def __init__(self, names: dict[str, str], prefix: str) -> None:
        self.names = names
        self.prefix = prefix

    def __call__(self, type_ref: TypeRef) -> str:
        return self.print(type_ref, 0)

    def optional(self, type_ref: TypeRef) -> str | None:
        """The runtime's one-call decoder of an optional field of this type (`optional_text`), if
        it has one: most fields are optional primitives, and two calls per field doubled parsing."""
        inner = non_null(type_ref)
        if isinstance(inner, Primitive) and inner.format != "binary":
            return f"{self.prefix}optional_{self.PRIMITIVES[inner.kind]}"
        if isinstance(inner, MapType) and isinstance(inner.value, AnyType):
            return f"{self.prefix}optional_free_form"  # `metadata`-like objects: no decoder per value
        return None

    def print(self, type_ref: TypeRef, depth: int) -> str:
        var, rt = f"v{depth}", self.prefix
        if isinstance(type_ref, Primitive):
            if type_ref.kind == "string" and type_ref.format == "binary":
                return f"{rt}binary"
            return rt + self.PRIMITIVES[type_ref.kind]
        if isinstance(type_ref, AnyType):
            return f"{rt}anything"
        if isinstance(type_ref, NullType):
            return f"{rt}null"
        if isinstance(type_ref, ModelRef):
            return f"{self.names[type_ref.name]}.from_dict"
        if isinstance(type_ref, EnumRef):
            return self.names[type_ref.name]
        if isinstance(type_ref, ArrayType):
            return f"lambda {var}: {rt}list_of({var}, {self.print(type_ref.item, depth + 1)})"
        if isinstance(type_ref, MapType):
            return f"lambda {var}: {rt}map_of({var}, {self.print(type_ref.value, depth + 1)})"
        if isinstance(type_ref, Nullable):
            return f"lambda {var}: {rt}optional({var}, {self.print(type_ref.inner, depth + 1)})"
        if isinstance(type_ref, UnionType):
            tags = union_tags(type_ref)
            if tags:
                table = ", ".join(f"{py_string(tag)}: {self.print(ref, depth + 1)}" for tag, ref in tags)
                prop = py_string(type_ref.discriminator or "")
                return f"lambda {var}: {rt}tagged({var}, {prop}, {{{table}}})"
            variants = ", ".join(self.print(v, depth + 1) for v in type_ref.variants)
            return f"lambda {var}: {rt}one_of({var}, ({variants},))"
        raise TypeError(type_ref)


SIGNATURE_INDENT = 8  # parameters of a method, one per line
MODEL_FIELD_INDENT = 4
LINE_LENGTH = 88  # black's


def signature_annotation(name: str, annotation: str, has_default: bool) -> str:
    """The annotation as black writes it: a too-long one is parenthesised (black then splits it).

    Emitting black's form directly lets a fast formatter (ruff) produce black-stable output.
    """
    line = f"{name}: {annotation}" + (" = None," if has_default else ",")
    if SIGNATURE_INDENT + len(line) > LINE_LENGTH and _has_top_level_union(annotation):
        return f"({annotation})"
    return annotation


def _has_top_level_union(annotation: str) -> bool:
    depth = 0
    for index, char in enumerate(annotation):
        depth += (char == "[") - (char == "]")
        if depth == 0 and annotation.startswith(" | ", index):
            return True
    return False


_LITERAL_TYPES = frozenset({"str", "int", "float", "bool", "Any"})


def py_default(value: Any, type_ref: TypeRef, printer: TypePrinter, enum_bases: dict[str, str]) -> str | None:
    """A default as an expression of the annotation's type (an enum member, not its text), or None
    when it cannot be written before the class exists (a model) or as a literal (a datetime)."""
    if value is None:
        return "None"
    if isinstance(type_ref, Nullable):
        return py_default(value, type_ref.inner, printer, enum_bases)
    if isinstance(type_ref, Primitive):
        key = f"{type_ref.kind}:{type_ref.format}" if type_ref.format else type_ref.kind
        spelled = printer.types.get(key) or printer.types[type_ref.kind]
        return py_literal(value) if spelled in _LITERAL_TYPES else None
    if isinstance(type_ref, AnyType):
        return py_literal(value)
    if isinstance(type_ref, EnumRef):
        return f"{printer.names[type_ref.name]}({py_literal(value)})"
    if isinstance(type_ref, ArrayType | MapType):
        inner = type_ref.item if isinstance(type_ref, ArrayType) else type_ref.value
        items = value if isinstance(value, list) else list(value.values())
        spelled_items = [py_default(v, inner, printer, enum_bases) for v in items]
        if None in spelled_items:
            return None
        if isinstance(value, list):
            return "[" + ", ".join(str(v) for v in spelled_items) + "]"
        keys = [py_string(str(k)) for k in value]
        return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, spelled_items, strict=True)) + "}"
    if isinstance(type_ref, UnionType):
        for variant in type_ref.variants:
            if fits(value, variant, enum_bases.__getitem__):
                return py_default(value, variant, printer, enum_bases)
    return None


def optional(type_ref: TypeRef) -> TypeRef:
    """The type that also admits None (unchanged when it already does)."""
    return type_ref if isinstance(type_ref, Nullable | NullType | AnyType) else Nullable(type_ref)


# --- the view handed to templates ---------------------------------------------------------------


@dataclass
class PyField:
    name: str
    wire_name: str
    type: str
    required: bool
    default: str | None
    description: str
    deprecated: bool
    decoder: str
    union: bool  # one of several shapes (e.g. an id or the expanded object)
    optional_decoder: str | None = None  # decodes the field's value or its absence in one call

    @property
    def aliased(self) -> bool:
        return self.name != self.wire_name

    @property
    def alias_in_annotation(self) -> bool:
        """Whether to write `Annotated[T, Field(alias=...)]`: black and ruff split a too-long
        `name: T = Field(alias=...)` differently, but agree on the Annotated form."""
        line = f"{self.name}: {self.type} = Field(alias={py_string(self.wire_name)})"
        too_long = MODEL_FIELD_INDENT + len(line) > LINE_LENGTH
        return self.aliased and self.required and too_long and not _has_top_level_union(self.type)


@dataclass
class PyModel:
    name: str
    description: str
    fields: list[PyField]
    extra_allowed: bool
    id_attr: str | None  # the attribute that identifies an object, for `expandable_id`


@dataclass
class PyEnumMember:
    name: str
    value: str


@dataclass
class PyEnum:
    name: str
    description: str
    base: str
    members: list[PyEnumMember]


@dataclass
class PyAlias:
    """A name for a union (`Pet: TypeAlias = Cat | Dog`), declared after the models it names."""

    name: str
    annotation: str
    description: str


@dataclass
class PyParam:
    name: str
    wire_name: str
    location: str
    type: str
    required: bool
    description: str
    explode: bool
    style: str  # form, spaceDelimited, pipeDelimited, deepObject (query); simple (path, header)

    @property
    def annotation(self) -> str:
        return signature_annotation(self.name, self.type, has_default=not self.required)


@dataclass
class PyPagination:
    cursor_name: str  # the Python parameter that takes the cursor
    cursor_param: str  # its wire name
    items_attr: str
    item_id_attr: str
    item_type: str
    has_more_attr: str | None


@dataclass
class PyOperation:
    name: str
    operation_id: str
    method: str
    path: str
    path_expr: str
    summary: str
    description: str
    params: list[PyParam]
    body_type: str | None
    body_required: bool
    body_media_type: str | None
    body_kind: str | None  # json, form, multipart, binary or text: how the body is encoded
    body_encoding: list[str]  # `"name": (style, explode, content type, part headers)` per property
    return_type: str
    return_kind: str
    return_decoder: str
    security: list[list[str]]
    deprecated: bool
    pagination: PyPagination | None = None
    accept: str | None = None  # the Accept header of a call whose success response is not JSON

    @property
    def example_args(self) -> str:
        """Arguments for a README example: an example id for each path parameter."""
        return ", ".join(f'"{p.name}_123"' for p in self.positional)

    @property
    def body_annotation(self) -> str:
        return signature_annotation("body", self.body_type or "", has_default=not self.body_required)

    @property
    def positional(self) -> list[PyParam]:
        return [p for p in self.params if p.location == "path"]

    @property
    def keyword(self) -> list[PyParam]:
        return [p for p in self.params if p.location != "path"]

    @property
    def exploded_headers(self) -> str:
        """The header parameters spelled exploded (`R=100,G=200`), as a tuple literal; "" for none."""
        names = [py_string(p.wire_name) for p in self.params if p.location == "header" and p.explode]
        return "(" + ", ".join(names) + ",)" if names else ""

    def located(self, location: str) -> list[PyParam]:
        return [p for p in self.params if p.location == location]


@dataclass
class PyGroup:
    name: str
    module: str
    class_name: str
    async_class_name: str
    operations: list[PyOperation]
    imports: list[str]

    @property
    def client_names(self) -> str:
        """Its sync and async classes, as isort lists them in an import."""
        return ", ".join(sorted([self.class_name, self.async_class_name], key=import_order))


@dataclass
class PySecurityScheme:
    name: str
    kind: str
    location: str
    parameter: str
    readme_row: str = ""  # the README table row: the scheme and the client options it takes


def md_code(text: str) -> str:
    """Spec text as Markdown code in a table cell: no backtick, pipe or line break can end it."""
    clean = " ".join(text.split()).replace("`", "'").replace("|", "/")
    return f"`{clean}`"


def credential_text(scheme: SecuritySchemeIR, options: dict[str, str], key_is_basic_user: bool) -> str:
    """The README's table row for a scheme: its name and what it takes, with the client's option
    names (`api_key`, `username`, `password` in Python)."""
    return f"| {md_code(scheme.name)} | {_takes(scheme, options, key_is_basic_user)} |"


def _takes(scheme: SecuritySchemeIR, options: dict[str, str], key_is_basic_user: bool) -> str:
    key, user, password = options["api_key"], options["username"], options["password"]
    if scheme.kind == "bearer":
        return f"`{key}`, sent as `Authorization: Bearer <{key}>`"
    if scheme.kind == "basic":
        text = f"`{user}` and `{password}`, sent as `Authorization: Basic` of `{user}:{password}`"
        if key_is_basic_user:
            text += f"; or `{key}` alone, sent as the user name with an empty password"
            text += " (basic is this API's only scheme)"
        return text
    where = {"query": "query parameter", "cookie": "cookie"}.get(scheme.location, "header")
    return f"`{key}`, sent in the {md_code(scheme.parameter)} {where}"


@dataclass
class PyPackage:
    package: str
    project_name: str
    version: str
    title: str
    description: str
    client_name: str
    async_client_name: str
    env_var: str
    base_url_env: str
    base_url: str
    models: list[PyModel]
    enums: list[PyEnum]
    groups: list[PyGroup]
    model_imports: list[str]
    security_schemes: list[PySecurityScheme]
    api_key_is_basic_user: bool
    error_code_path: tuple[str, ...]
    error_message_path: tuple[str, ...]
    exports: list[str] = field(default_factory=list)
    aliases: list[PyAlias] = field(default_factory=list)

    @property
    def client_bases(self) -> str:
        return ", ".join(g.class_name for g in self.groups) or "SyncTransport"

    @property
    def async_client_bases(self) -> str:
        return ", ".join(g.async_class_name for g in self.groups) or "AsyncTransport"

    @property
    def groups_by_module(self) -> list[PyGroup]:
        """The groups in the order isort puts their `from .api.<module> import` lines."""
        return sorted(self.groups, key=lambda group: import_order(group.module))

    @property
    def first_operation(self) -> PyOperation | None:
        return self.groups[0].operations[0] if self.groups else None

    @property
    def operations(self) -> list[PyOperation]:
        return [op for group in self.groups for op in group.operations]

    @property
    def example_operation(self) -> PyOperation | None:
        """An operation a README example can call with ids alone (a GET, if there is one)."""
        simple = [
            op for op in self.operations if not op.body_required and not any(p.required for p in op.keyword)
        ]
        gets = [op for op in simple if op.method == "GET"]
        return next(iter(gets or simple), None)

    @property
    def paginated_operation(self) -> PyOperation | None:
        return next((op for op in self.operations if op.pagination and not op.positional), None)


@dataclass
class PythonRules:
    """Naming rules a Python style declares in its manifest."""

    types: dict[str, str]
    reserved_fields: frozenset[str]
    reserved_methods: frozenset[str]
    reserved_params: frozenset[str]
    quote: str
    decoder_prefix: str
    union_marker: str  # what the style's runtime calls its unknown-variant validator, if any
    tagged_unions: bool  # print discriminated unions as pydantic tagged unions
    group_imports: dict[str, list[str]]
    reserved_types: frozenset[str] = frozenset()  # module-level names of the package: no model may take one
    mutable_default: str = ""  # how a list or dict default is written, e.g. with a default_factory
    enum_bases: dict[str, str] = field(default_factory=dict)  # IR enum name -> `string` or `integer`


def _rules(manifest: dict[str, Any]) -> PythonRules:
    reserved = manifest.get("reserved") or {}
    return PythonRules(
        types=dict(manifest.get("types") or {}),
        reserved_fields=KEYWORDS | BUILTIN_TYPES | frozenset(reserved.get("fields") or ()),
        reserved_methods=KEYWORDS | BUILTIN_TYPES | frozenset(reserved.get("methods") or ()),
        reserved_params=KEYWORDS | BUILTIN_TYPES | frozenset(reserved.get("params") or ()),
        quote=str(manifest.get("quote", "_quote")),
        decoder_prefix=str(manifest.get("decoder_prefix", "")),
        union_marker=str(manifest.get("union_marker", "")),
        tagged_unions=bool(manifest.get("tagged_unions", False)),
        group_imports={k: list(v) for k, v in (manifest.get("group_imports") or {}).items()},
        mutable_default=str(manifest.get("mutable_default", "")),
        reserved_types=frozenset(reserved.get("types") or ()),
    )


def _class_names(api: ApiIR, reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    declared = api.declared_names
    taken = KEYWORDS | BUILTIN_TYPES | reserved
    safe = [identifier(n, "pascal", taken, digit_prefix="model") for n in declared]
    return dict(zip(declared, unique(safe), strict=True))


MAX_MODULE_NAME = 100


def _group_modules(api: ApiIR) -> list[str]:
    """One module per operation group (tag), in the order the groups first appear."""
    groups = list(dict.fromkeys(op.group for op in api.operations))
    reserved = KEYWORDS | {"client", "models", "errors"}
    # A module is a file: its name is cut to stay far below the file systems' 255-byte limit.
    return unique([identifier(g, "snake", reserved)[:MAX_MODULE_NAME] for g in groups])


def _model_view(
    model: ModelIR, printer: TypePrinter, decoder: DecoderPrinter, names: dict[str, str], rules: PythonRules
) -> PyModel:
    wanted = [
        identifier(f.wire_name, "snake", rules.reserved_fields, digit_prefix="field") for f in model.fields
    ]
    fields = []
    for f, name in zip(model.fields, unique(wanted), strict=True):
        # One model serves requests and responses: a readOnly field is absent from requests and a
        # writeOnly one from responses, so neither can be required of the model.
        required = f.required and not (f.read_only or f.write_only)
        type_ref = f.type if required else optional(f.type)
        default = None
        if not required:
            default = _field_default(f, printer, rules) or "None"
        fields.append(
            PyField(
                name,
                f.wire_name,
                printer(type_ref),
                required,
                default,
                f.description,
                f.deprecated,
                decoder(f.type),
                isinstance(non_null(f.type), UnionType),
                decoder.optional(f.type),
            )
        )
    id_field = model.id_field
    id_attr = next((f.name for f in fields if f.wire_name == id_field), None)
    return PyModel(names[model.name], model.description, fields, model.additional is not None, id_attr)


def _field_default(f: FieldIR, printer: TypePrinter, rules: PythonRules) -> str | None:
    if not f.has_default:
        return None
    default = py_default(f.default, f.type, printer, rules.enum_bases)
    if default is not None and isinstance(f.default, list | dict) and rules.mutable_default:
        return rules.mutable_default.format(value=default)  # a dataclass may not share a list default
    return default


_ENUM_RESERVED = frozenset({"MRO"})


def _enum_view(enum: EnumIR, names: dict[str, str]) -> PyEnum:
    wanted = [identifier(str(v), "constant", _ENUM_RESERVED, digit_prefix="value") for v in enum.values]
    members = [
        PyEnumMember(name, py_literal(value if enum.base == "integer" else str(value)))
        for name, value in zip(unique(wanted), enum.values, strict=True)
    ]
    return PyEnum(names[enum.name], enum.description, "int" if enum.base == "integer" else "str", members)


def _part_view(part: PartEncodingIR) -> str:
    """One body property's encoding as the runtime's tuple: (style, explode, content type, headers)."""
    headers = "".join(f"({py_string(name)}, {py_string(value)}), " for name, value in part.headers)
    rule = f"{py_string(part.style)}, {part.explode}, {py_string(part.content_type)}, ({headers.rstrip()})"
    return f"{py_string(part.name)}: ({rule})"


def _path_arguments(param: PyParam) -> str:
    """The path quoting call's arguments: the value, then its style when it is not plain `simple`."""
    if param.style == "simple" and not param.explode:
        return param.name
    return f"{param.name}, {py_string(param.wire_name)}, {py_string(param.style)}, {param.explode}"


def _path_expr(path: str, params: dict[str, PyParam], quote: str) -> str:
    """`/v1/invoices/{id}` -> `"/v1/invoices/" + _quote(id)`: spec text only inside literals."""
    parts: list[str] = []
    rest = path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        literal, rest = rest.split("{", 1)
        name, rest = rest.split("}", 1)
        if literal:
            parts.append(py_string(literal))
        placeholder = py_string("{" + name + "}")
        parts.append(f"{quote}({_path_arguments(params[name])})" if name in params else placeholder)
    if rest:
        parts.append(py_string(rest))
    return " + ".join(parts) or py_string("/")


def _pagination_view(
    op: OperationIR, params: list[PyParam], printer: TypePrinter, attrs: dict[str, dict[str, str]]
) -> PyPagination | None:
    paging, success = op.pagination, op.success
    if paging is None or success is None or not isinstance(success.type, ModelRef):
        return None
    assert isinstance(paging.item_type, ModelRef)
    page, item = attrs[success.type.name], attrs[paging.item_type.name]
    cursor = next(p.name for p in params if p.wire_name == paging.cursor_param and p.location == "query")
    return PyPagination(
        cursor_name=cursor,
        cursor_param=paging.cursor_param,
        items_attr=page[paging.items_field],
        item_id_attr=item[paging.item_id_field],
        item_type=printer(paging.item_type),
        has_more_attr=page[paging.has_more_field] if paging.has_more_field else None,
    )


def _operation_view(
    op: OperationIR,
    name: str,
    printer: TypePrinter,
    decoder: DecoderPrinter,
    rules: PythonRules,
    attrs: dict[str, dict[str, str]],
) -> PyOperation:
    wanted = [
        identifier(p.wire_name, "snake", rules.reserved_params, digit_prefix="param") for p in op.parameters
    ]
    params = []
    for p, pname in zip(op.parameters, unique(wanted, taken=["body"]), strict=True):
        type_ref = p.type if p.required else optional(p.type)
        params.append(
            PyParam(
                pname,
                p.wire_name,
                p.location,
                printer(type_ref),
                p.required,
                p.description,
                p.explode,
                p.style,
            )
        )
    return_type, return_kind = _return_of(op, printer)
    body = op.body
    return PyOperation(
        name=name,
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        path_expr=_path_expr(op.path, {p.wire_name: p for p in params if p.location == "path"}, rules.quote),
        summary=op.summary,
        description=op.description,
        params=params,
        body_type=printer(body.type if body.required else optional(body.type)) if body else None,
        body_required=bool(body and body.required),
        body_media_type=body.media_type if body else None,
        body_kind=body.kind if body else None,
        body_encoding=[_part_view(part) for part in body.encoding] if body else [],
        return_type=return_type,
        return_kind=return_kind,
        return_decoder=decoder(success_type) if (success_type := _success_type(op)) else "_any",
        security=op.security,
        deprecated=op.deprecated,
        pagination=_pagination_view(op, params, printer, attrs),
        accept=op.accept,
    )


def _success_type(op: OperationIR) -> TypeRef | None:
    success = op.success
    return success.type if success is not None else None


def _return_of(op: OperationIR, printer: TypePrinter) -> tuple[str, str]:
    """The return annotation and how the body becomes it: model, adapter, bytes, text or none."""
    success = op.success
    if success is None or success.media_type is None:
        return "None", "none"
    media = success.media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        assert success.type is not None
        kind = "model" if isinstance(success.type, ModelRef) else "adapter"
        return printer(success.type), kind
    if media.startswith("text/"):
        return "str", "text"
    return "bytes", "bytes"


def _group_imports(operations: list[PyOperation], printer: TypePrinter, rules: PythonRules) -> list[str]:
    """Imports of a group module: the style's own (by feature, from its manifest) and the models used."""
    wanted = {
        "always": True,
        "path_params": any(op.positional for op in operations),
        "deprecated": any(op.deprecated for op in operations),
        "adapter": any(op.return_kind == "adapter" for op in operations),
        "pagination": any(op.pagination for op in operations),
    }
    imports = set(printer.imports)
    for feature, lines in rules.group_imports.items():
        if wanted.get(feature):
            imports.update(lines)
    used = sorted(printer.used, key=import_order)
    if used:
        imports.add(f"from ..models import {', '.join(used)}")
    if printer.uses_discriminator:
        imports.add("from .._base import discriminator_of")
    return import_block(imports)


def import_order(name: str) -> tuple[int, list[str | int], str]:
    """isort's order of the names one `from` line imports (ruff's, by default): constants, then
    classes, then the rest, each case-insensitively with numbers in numeric order."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    parts = re.split(r"(\d+)", name.lower())
    return kind, [int(part) if index % 2 else part for index, part in enumerate(parts)], name


def _module_of(line: str) -> str:
    return line.split()[1]


def _merge_from_imports(imports: set[str]) -> set[str]:
    """`from m import a` and `from m import b` become `from m import a, b`."""
    names: dict[str, set[str]] = {}
    merged: set[str] = set()
    for line in imports:
        parts = line.split(" import ", 1)
        if line.startswith("from ") and " as " not in line and len(parts) == 2:
            names.setdefault(parts[0], set()).update(n.strip() for n in parts[1].split(","))
        else:
            merged.add(line)
    merged.update(
        f"{module} import {', '.join(sorted(found, key=import_order))}" for module, found in names.items()
    )
    return merged


def import_block(imports: set[str]) -> list[str]:
    """Import lines grouped as isort would: standard library, third party, this package."""
    groups: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for line in _merge_from_imports(imports):
        module = _module_of(line)
        top = module.split(".")[0]
        group = 2 if module.startswith(".") else 0 if top in sys.stdlib_module_names else 1
        groups[group].append(line)
    block: list[str] = []
    for group in (0, 1, 2):
        lines = sorted(groups[group], key=lambda line: (line.startswith("from "), _module_of(line), line))
        if lines:
            block += ([""] if block else []) + lines
    return block


PY_CREDENTIALS = {"api_key": "api_key", "username": "username", "password": "password"}


def python_view(api: ApiIR, manifest: dict[str, Any], package: str, options: dict[str, Any]) -> PyPackage:
    """Everything a Python template prints, named and typed, computed once."""
    rules = _rules(manifest)
    rules.enum_bases = {e.name: e.base for e in api.enums}
    basic_user = api.api_key_is_basic_user
    identity = client_names(api.title, options)
    client_name = identity.client
    modules = _group_modules(api)
    group_classes = {f"{prefix}{pascal_case(m) or 'Default'}Api" for m in modules for prefix in ("", "Async")}
    # Models live beside the clients, the operation groups and the runtime's names: none may take theirs.
    names = _class_names(api, rules.reserved_types | group_classes | {client_name, f"Async{client_name}"})
    model_printer = TypePrinter(rules.types, names, rules.tagged_unions)
    decoder = DecoderPrinter(names, rules.decoder_prefix)
    models = [_model_view(m, model_printer, decoder, names, rules) for m in api.models]
    # IR model name -> wire name -> Python attribute, for code that reads fields (pagination).
    attrs = {
        ir.name: {f.wire_name: f.name for f in view.fields}
        for ir, view in zip(api.models, models, strict=True)
    }
    enums = [_enum_view(e, names) for e in api.enums]
    aliases = [PyAlias(names[a.name], model_printer(a.type), a.description) for a in api.aliases]
    imports = set(model_printer.imports)
    if aliases:
        imports.add("from typing import TypeAlias")
    if any(f.aliased for model in models for f in model.fields):
        imports.add("from pydantic import Field")
    if any(f.alias_in_annotation or f.union for model in models for f in model.fields):
        imports.add("from typing import Annotated")
    if any(model.id_attr for model in models):
        imports.add("from typing import ClassVar")
    bases = ["BaseModel"] if models else []
    if rules.union_marker and any(f.union for m in models for f in m.fields):
        bases.append(rules.union_marker)
    if model_printer.uses_discriminator:
        bases.append("discriminator_of")
    bases += sorted({"OpenIntEnum" if e.base == "int" else "OpenEnum" for e in enums})
    if bases:
        imports.add(f"from ._base import {', '.join(bases)}")
    model_imports = import_block(imports)

    method_names = unique(
        [
            identifier(op.operation_id, "snake", rules.reserved_methods, digit_prefix="op")
            for op in api.operations
        ]
    )
    by_group: dict[str, list[tuple[OperationIR, str]]] = {}
    for op, method in zip(api.operations, method_names, strict=True):
        by_group.setdefault(op.group, []).append((op, method))
    groups = []
    for (group, members), module in zip(by_group.items(), modules, strict=True):
        printer = TypePrinter(rules.types, names, rules.tagged_unions)
        operations = [_operation_view(op, method, printer, decoder, rules, attrs) for op, method in members]
        class_base = pascal_case(module) or "Default"
        groups.append(
            PyGroup(
                group,
                module,
                f"{class_base}Api",
                f"Async{class_base}Api",
                operations,
                _group_imports(operations, printer, rules),
            )
        )

    return PyPackage(
        package=package,
        project_name=str(options.get("project_name") or package.replace("_", "-")),
        version=str(options.get("version") or api.version),
        title=api.title,
        description=api.description,
        client_name=client_name,
        async_client_name=f"Async{client_name}",
        env_var=identity.env_var,
        base_url_env=identity.base_url_env,
        base_url=api.servers[0] if api.servers else "",
        models=models,
        enums=enums,
        groups=groups,
        model_imports=model_imports,
        security_schemes=[
            PySecurityScheme(
                s.name, s.kind, s.location, s.parameter, credential_text(s, PY_CREDENTIALS, basic_user)
            )
            for s in api.security_schemes
        ],
        api_key_is_basic_user=basic_user,
        error_code_path=api.error_shape.code_path,
        error_message_path=api.error_shape.message_path,
        exports=sorted(names.values(), key=import_order),
        aliases=aliases,
    )
