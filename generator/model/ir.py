"""IR: the style-free intermediate model of an API that every template renders from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- type references -------------------------------------------------------------------------


@dataclass(frozen=True)
class Primitive:
    """string, integer, number or boolean, with the spec's format (e.g. date-time, int64)."""

    kind: str
    format: str | None = None


@dataclass(frozen=True)
class AnyType:
    """Any JSON value (a schema with no type constraint)."""


@dataclass(frozen=True)
class NullType:
    """Only `null`."""


@dataclass(frozen=True)
class ArrayType:
    item: TypeRef


@dataclass(frozen=True)
class MapType:
    """A JSON object used as a string-keyed map; `value` is AnyType for free-form objects."""

    value: TypeRef


@dataclass(frozen=True)
class ModelRef:
    name: str


@dataclass(frozen=True)
class EnumRef:
    name: str


@dataclass(frozen=True)
class UnionType:
    """oneOf/anyOf: the value is one of the variants (an id-or-object field is one of these)."""

    variants: tuple[TypeRef, ...]
    discriminator: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


TypeRef = Primitive | AnyType | NullType | ArrayType | MapType | ModelRef | EnumRef | UnionType | Nullable


def non_null(type_ref: TypeRef) -> TypeRef:
    """The type without its `| null`."""
    return type_ref.inner if isinstance(type_ref, Nullable) else type_ref


def fits(value: Any, type_ref: TypeRef, enum_base: Callable[[str], str]) -> bool:
    """Whether a JSON value has the shape of a type; `enum_base` gives an enum's base (`string`, `integer`).

    Enums are open, so any value of the base type fits; a model accepts any object.
    """
    if isinstance(type_ref, AnyType):
        return True
    if isinstance(type_ref, NullType | Nullable) and value is None:
        return True
    if isinstance(type_ref, Nullable):
        return fits(value, type_ref.inner, enum_base)
    if isinstance(type_ref, Primitive | EnumRef):
        kind = type_ref.kind if isinstance(type_ref, Primitive) else enum_base(type_ref.name)
        return _fits_primitive(value, kind)
    if isinstance(type_ref, ArrayType):
        return isinstance(value, list) and all(fits(v, type_ref.item, enum_base) for v in value)
    if isinstance(type_ref, MapType):
        return isinstance(value, dict) and all(fits(v, type_ref.value, enum_base) for v in value.values())
    if isinstance(type_ref, UnionType):
        return any(fits(value, v, enum_base) for v in type_ref.variants)
    return isinstance(type_ref, ModelRef) and isinstance(value, dict)


def _fits_primitive(value: Any, kind: str) -> bool:
    if isinstance(value, bool):  # a bool is an int to Python, never to JSON Schema
        return kind == "boolean"
    if kind == "integer":
        return isinstance(value, int)
    if kind == "number":
        return isinstance(value, int | float)
    return kind == "string" and isinstance(value, str)


# --- declarations -----------------------------------------------------------------------------


@dataclass
class FieldIR:
    """One property of a model."""

    wire_name: str
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = None
    has_default: bool = False
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass
class ModelIR:
    """An object schema with named properties."""

    name: str
    fields: list[FieldIR]
    description: str = ""
    additional: TypeRef | None = AnyType()
    source: str = ""

    @property
    def id_field(self) -> str | None:
        """The property that identifies an object (`id`, or `<name>_id` as in `invoice_id`)."""
        from generator.model.naming import snake_case  # naming imports nothing from here; kept local anyway

        names = [f.wire_name for f in self.fields]
        for candidate in ("id", f"{snake_case(self.name)}_id"):
            if candidate in names:
                return candidate
        return None


@dataclass
class AliasIR:
    """A component schema that is only a union (`Pet: oneOf [Cat, Dog]`): a name for the type, which
    fields still spell out where they use it."""

    name: str
    type: TypeRef
    description: str = ""
    source: str = ""


@dataclass
class EnumIR:
    """A named set of values; open enums accept values they do not list."""

    name: str
    values: list[Any]
    base: str = "string"
    description: str = ""
    open: bool = True
    source: str = ""


@dataclass
class ParameterIR:
    """A parameter with its serialization resolved: `style`/`explode`/`allow_reserved` hold the
    spec's values or OpenAPI's defaults (form+explode in query/cookie, simple elsewhere)."""

    wire_name: str
    location: str
    type: TypeRef
    required: bool
    description: str = ""
    style: str = "form"
    explode: bool = True
    deprecated: bool = False
    allow_reserved: bool = False


@dataclass(frozen=True)
class PartEncodingIR:
    """How one property of a form or multipart body goes on the wire: the body's `encoding` entry
    for it, with the defaults filled in.

    `style` is how a structured value is spelled as name/value pairs (form, spaceDelimited,
    pipeDelimited or deepObject); in a multipart body it is empty unless the spec gave one, and an
    object then goes as one part of `content_type`. `headers` are part headers with a default value.
    `allow_reserved` (the entry's allowReserved) is only ever true in a form body, as OpenAPI says.
    """

    name: str
    style: str
    explode: bool
    allow_reserved: bool = False
    content_type: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class BodyIR:
    """A request body: `kind` says how it is encoded (json, form, multipart, binary or text),
    `encoding` how each property of a form or multipart body is (empty for the other kinds)."""

    media_type: str
    type: TypeRef
    required: bool
    description: str = ""
    kind: str = "json"
    encoding: list[PartEncodingIR] = field(default_factory=list)


@dataclass
class ResponseIR:
    status: str
    description: str
    media_type: str | None
    type: TypeRef | None
    headers: list[str] = field(default_factory=list)


@dataclass
class SecuritySchemeIR:
    """How a credential is sent: bearer/basic in Authorization, or an API key in header/query/cookie."""

    name: str
    kind: str
    location: str = "header"
    parameter: str = "Authorization"
    description: str = ""


@dataclass
class PaginationIR:
    """A cursor-paginated list operation: `limit` + `starting_after`, items in an array field."""

    cursor_param: str  # wire name of the query parameter that takes the last item's id
    items_field: str  # wire name of the array of items in the response body
    item_id_field: str  # wire name of the id field of an item
    item_type: TypeRef
    has_more_field: str | None = None  # wire name of the boolean that says more pages exist


@dataclass
class OperationIR:
    operation_id: str
    method: str
    path: str
    group: str
    summary: str = ""
    description: str = ""
    parameters: list[ParameterIR] = field(default_factory=list)
    body: BodyIR | None = None
    responses: list[ResponseIR] = field(default_factory=list)
    security: list[list[str]] = field(default_factory=list)
    deprecated: bool = False
    pagination: PaginationIR | None = None

    @property
    def accept(self) -> str | None:
        """The Accept header a call sends when its success response is not JSON: that media type,
        then JSON (for error bodies); None for JSON (the clients' default) or no body."""
        success = self.success
        if success is None or success.media_type is None:
            return None
        media = success.media_type.split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            return None
        return f"{media}, application/json"

    @property
    def success(self) -> ResponseIR | None:
        """The first 2xx response (or `default` when no 2xx is documented)."""
        for response in self.responses:
            if response.status.startswith("2"):
                return response
        return None


@dataclass
class ErrorShapeIR:
    """Where an error body keeps its machine code and human message (paths of property names)."""

    code_path: tuple[str, ...] = ()
    message_path: tuple[str, ...] = ()
    model: str | None = None

    def body(self, code: str, message: str) -> dict[str, Any]:
        """An error body with `code` and `message` where this shape keeps them (for the mock's and
        the proxy's own errors, so an SDK reads them as the API's)."""
        if not self.code_path and not self.message_path:
            return {"error": {"code": code, "message": message}}
        body: dict[str, Any] = {}
        for path, value in ((self.code_path, code), (self.message_path, message)):
            if path:
                place = body
                for name in path[:-1]:
                    place = place.setdefault(name, {})
                place[path[-1]] = value
        return body


@dataclass
class ApiIR:
    title: str
    version: str
    description: str
    servers: list[str]
    models: list[ModelIR]
    enums: list[EnumIR]
    operations: list[OperationIR]
    security_schemes: list[SecuritySchemeIR]
    default_security: list[list[str]]
    error_shape: ErrorShapeIR
    groups: list[str] = field(default_factory=list)
    aliases: list[AliasIR] = field(default_factory=list)

    @property
    def api_key_is_basic_user(self) -> bool:
        """Basic auth is the API's only scheme: a client's API key is then sent as the user name."""
        return len(self.security_schemes) == 1 and self.security_schemes[0].kind == "basic"

    @property
    def declared_names(self) -> list[str]:
        """Every name the IR declares a type under: models, enums, then aliases."""
        return [m.name for m in self.models] + [e.name for e in self.enums] + [a.name for a in self.aliases]
