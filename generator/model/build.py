"""Build: turn a loaded, validated OpenAPI document into the style-free IR."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from generator.errors import Diagnostic, SpecError
from generator.model.encoding import body_kind, parameter_style, part_encodings
from generator.model.ir import (
    AliasIR,
    AnyType,
    ApiIR,
    ArrayType,
    BodyIR,
    EnumIR,
    EnumRef,
    ErrorShapeIR,
    FieldIR,
    MapType,
    ModelIR,
    ModelRef,
    Nullable,
    NullType,
    OperationIR,
    ParameterIR,
    Primitive,
    ResponseIR,
    SecuritySchemeIR,
    TypeRef,
    UnionType,
    fits,
    non_null,
)
from generator.model.naming import claim, pascal_case
from generator.spec.load import HTTP_METHODS, Document, Workspace, join_pointer, split_pointer

PRIMITIVES = ("string", "integer", "number", "boolean")
_ANNOTATIONS = {
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
    "$comment",
    "xml",
}


# Schema keywords the generated types cannot express; the rest of the schema still gives the type.
_IGNORED = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "prefixItems",
        "patternProperties",
        "dependentSchemas",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "propertyNames",
    }
)


@dataclass(frozen=True)
class _At:
    """A schema's place: the document it is in and its JSON pointer there."""

    document: Document
    pointer: str

    def child(self, *tokens: str | int) -> _At:
        return _At(self.document, join_pointer(self.pointer, *tokens))


def _nullable(type_ref: TypeRef) -> TypeRef:
    if isinstance(type_ref, Nullable | NullType | AnyType):
        return type_ref
    return Nullable(type_ref)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class Builder:
    """Walks the document once; named schemas become models, enums or aliases with stable names."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.root = workspace.root
        self.warnings: list[Diagnostic] = []
        self._taken: set[str] = set()
        self._named: dict[tuple[str, str], str] = {}
        self._declared: dict[str, ModelIR | EnumIR] = {}
        self._order: list[str] = []
        self._resolving: set[str] = set()
        self._warned: set[tuple[str, str, str]] = set()

    # --- names ---------------------------------------------------------------------------------

    def _claim(self, hint: str) -> str:
        return claim(pascal_case(hint) or "Model", self._taken)

    def _name_for(self, at: _At, hint: str) -> str:
        key = (str(at.document.path), at.pointer)
        if key not in self._named:
            self._named[key] = self._claim(hint)
        return self._named[key]

    # --- schemas -------------------------------------------------------------------------------

    def _deref(self, schema: Any, at: _At) -> tuple[Any, _At]:
        seen: set[tuple[str, str]] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            target = self.workspace.resolve(schema["$ref"], at.document, join_pointer(at.pointer, "$ref"))
            if target.key in seen:
                raise SpecError.at(f"circular $ref {schema['$ref']!r}", at.document.locate(at.pointer))
            seen.add(target.key)
            at = _At(target.document, target.pointer)
            schema = target.value
        return schema, at

    def type_of(self, schema: Any, at: _At, hint: str) -> TypeRef:
        """The TypeRef for a schema; object and enum schemas are declared under a name."""
        if schema is True or schema == {} or schema is None:
            return AnyType()
        if schema is False or not isinstance(schema, dict):
            return AnyType()
        if isinstance(schema.get("$ref"), str):
            return self._ref_type(schema, at, hint)
        nullable = schema.get("nullable") is True
        for keyword in _IGNORED.intersection(schema):
            self._warn(f"`{keyword}` is not supported and is ignored", at.child(keyword))
        result = self._inline_type(schema, at, hint)
        return _nullable(result) if nullable else result

    def _ref_type(self, schema: dict[str, Any], at: _At, hint: str) -> TypeRef:
        target, target_at = self._deref(schema, at)
        tokens = split_pointer(target_at.pointer)
        name_hint = tokens[-1] if tokens else target_at.document.path.stem
        if not isinstance(target, dict) or not self._is_declarable(target):
            key = (str(target_at.document.path), target_at.pointer)
            if f"{key}" in self._resolving:  # a recursive alias cannot be spelled as a type
                return AnyType()
            self._resolving.add(f"{key}")
            try:
                return self.type_of(target, target_at, name_hint)
            finally:
                self._resolving.discard(f"{key}")
        name = self._name_for(target_at, name_hint)
        if name not in self._declared:
            self._declare(name, target, target_at)
        declared = self._declared[name]
        ref: TypeRef = EnumRef(name) if isinstance(declared, EnumIR) else ModelRef(name)
        # The declaration is the non-null shape; a nullable target admits null wherever it is used.
        return _nullable(ref) if _admits_null(target) else ref

    @staticmethod
    def _is_declarable(schema: dict[str, Any]) -> bool:
        return (
            "enum" in schema
            or "const" in schema
            or bool(schema.get("properties"))
            or (isinstance(schema.get("allOf"), list) and len(schema["allOf"]) > 1)
        )

    def _inline_type(self, schema: dict[str, Any], at: _At, hint: str) -> TypeRef:
        types = schema.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            if len(non_null) < len(types):
                narrowed = dict(schema, type=non_null[0] if len(non_null) == 1 else non_null)
                if not non_null:
                    return NullType()
                return _nullable(self._inline_type(narrowed, at, hint))
            if len(non_null) > 1:
                variants = [self._inline_type(dict(schema, type=t), at, f"{hint} {t}") for t in non_null]
                return UnionType(tuple(variants))
        if "enum" in schema:
            return self._enum_type(schema, at, hint)
        if "const" in schema:
            return self._enum_type(dict(schema, enum=[schema["const"]]), at, hint)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                return self._union_type(schema, keyword, at, hint)
        if isinstance(schema.get("allOf"), list):
            return self._all_of_type(schema, at, hint)
        if _is_object(schema):
            if schema.get("properties"):
                name = self._name_for(at, hint)
                if name not in self._declared:
                    self._declare(name, schema, at)
                return ModelRef(name)
            return self._map_type(schema, at, hint)
        if types == "array":
            items = schema.get("items", {})
            return ArrayType(self.type_of(items, at.child("items"), f"{hint} item"))
        if types in PRIMITIVES:
            fmt = schema.get("format")
            return Primitive(types, fmt if isinstance(fmt, str) else None)
        if types == "null":
            return NullType()
        return AnyType()

    def _enum_type(self, schema: dict[str, Any], at: _At, hint: str) -> TypeRef:
        values = schema.get("enum") or []
        nullable = None in values or schema.get("nullable") is True
        present = [v for v in values if v is not None]
        if not present:
            return NullType()
        if all(isinstance(v, bool) for v in present):  # `enum: [true]` is a boolean, not a named enum
            return _nullable(Primitive("boolean")) if nullable else Primitive("boolean")
        name = self._name_for(at, hint)
        if name not in self._declared:
            self._declare(name, schema, at)
        ref: TypeRef = EnumRef(name)
        return _nullable(ref) if nullable else ref

    def _union_type(self, schema: dict[str, Any], keyword: str, at: _At, hint: str) -> TypeRef:
        variants: list[TypeRef] = []
        nullable = False
        for index, variant in enumerate(schema[keyword]):
            merged = variant
            if "properties" in schema or "required" in schema:
                merged = {"allOf": [variant, _without(schema, keyword)]}
            type_ref = self.type_of(merged, at.child(keyword, index), f"{hint} option {index + 1}")
            if isinstance(type_ref, NullType):
                nullable = True
                continue
            if isinstance(type_ref, Nullable):
                nullable, type_ref = True, type_ref.inner
            if type_ref not in variants:
                variants.append(type_ref)
        result: TypeRef
        if not variants:
            result = AnyType()
        elif len(variants) == 1 or AnyType() in variants:
            result = variants[0] if len(variants) == 1 else AnyType()
        else:
            result = UnionType(tuple(variants), *self._discriminator(schema))
        return _nullable(result) if nullable else result

    def _discriminator(self, schema: dict[str, Any]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        disc = schema.get("discriminator")
        if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
            return None, ()
        mapping = disc.get("mapping") or {}
        pairs = tuple(sorted((str(k), str(v)) for k, v in mapping.items()))
        return disc["propertyName"], pairs

    def _all_of_type(self, schema: dict[str, Any], at: _At, hint: str) -> TypeRef:
        parts = schema["allOf"]
        rest = {k: v for k, v in schema.items() if k not in _ANNOTATIONS | {"allOf", "nullable"}}
        if len(parts) == 1 and not rest:
            return self.type_of(parts[0], at.child("allOf", 0), hint)
        name = self._name_for(at, hint)
        if name not in self._declared:
            self._declare(name, schema, at)
        declared = self._declared[name]
        return EnumRef(name) if isinstance(declared, EnumIR) else ModelRef(name)

    def _map_type(self, schema: dict[str, Any], at: _At, hint: str) -> TypeRef:
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict) and extra:
            return MapType(self.type_of(extra, at.child("additionalProperties"), f"{hint} value"))
        return MapType(AnyType())

    # --- declarations --------------------------------------------------------------------------

    def _declare(self, name: str, schema: dict[str, Any], at: _At) -> None:
        description = _text(schema.get("description")) or _text(schema.get("title"))
        if "enum" in schema or "const" in schema:
            values = schema.get("enum", [schema.get("const")])
            self._declared[name] = self._enum(name, values, schema, description, at)
            self._order.append(name)
        else:
            model = ModelIR(name, [], description, AnyType(), at.pointer)
            self._declared[name] = model  # before the fields: recursive schemas refer back to it
            self._order.append(name)
            # A model is a named boundary: an alias (a union, say) met again inside its fields is
            # spelled through the model's name, so it is not alias recursion.
            resolving, self._resolving = self._resolving, set()
            try:
                if isinstance(schema.get("allOf"), list):
                    merged, origins = self._merge_all_of(schema, at)
                    self._fill_model(model, merged, at, origins)
                else:
                    self._fill_model(model, schema, at, {})
            finally:
                self._resolving = resolving

    def _enum(
        self, name: str, values: list[Any], schema: dict[str, Any], description: str, at: _At
    ) -> EnumIR:
        present = [v for v in values if v is not None]
        kinds = {type(v).__name__ for v in present}
        base = "integer" if kinds == {"int"} else "string"
        if base == "string" and kinds - {"str"}:
            self._warn(f"enum {name} mixes value types; values are compared as strings", at)
        try:  # JSON scalars: a dict keeps the first of equal values, as `in` on a list would
            distinct = list(dict.fromkeys(present))
        except TypeError:  # an object or a list among the values: compared one by one
            distinct = []
            for value in present:
                if value not in distinct:
                    distinct.append(value)
        return EnumIR(name, distinct, base, description, True, at.pointer)

    def _merge_all_of(self, schema: dict[str, Any], at: _At) -> tuple[dict[str, Any], dict[str, _At]]:
        """Flatten allOf parts (refs included) into one object schema."""
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        origin: dict[str, _At] = {}
        stack: set[tuple[str, str]] = set()

        def absorb(part: Any, part_at: _At) -> None:
            part, part_at = self._deref(part, part_at)
            key = (str(part_at.document.path), part_at.pointer)
            if key in stack:
                raise SpecError.at(
                    "allOf cycle: a schema includes itself", part_at.document.locate(part_at.pointer)
                )
            stack.add(key)
            if not isinstance(part, dict):
                return
            for index, sub in enumerate(part.get("allOf") or []):
                absorb(sub, part_at.child("allOf", index))
            for prop, prop_schema in (part.get("properties") or {}).items():
                merged["properties"][prop] = prop_schema
                origin[prop] = part_at.child("properties", prop)
            merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
            if "additionalProperties" in part:
                merged["additionalProperties"] = part["additionalProperties"]
            stack.discard(key)

        absorb({k: v for k, v in schema.items() if k != "allOf"}, at)
        for index, part in enumerate(schema["allOf"]):
            absorb(part, at.child("allOf", index))
        return merged, origin

    def _fill_model(self, model: ModelIR, schema: dict[str, Any], at: _At, origins: dict[str, _At]) -> None:
        required = set(schema.get("required") or [])
        properties = schema.get("properties") or {}
        for prop, prop_schema in properties.items():
            prop_at = origins.get(prop) or at.child("properties", prop)
            resolved, _ = (
                self._deref(prop_schema, prop_at) if isinstance(prop_schema, dict) else (prop_schema, prop_at)
            )
            resolved = resolved if isinstance(resolved, dict) else {}
            direct = prop_schema if isinstance(prop_schema, dict) else {}
            type_ref = self.type_of(prop_schema, prop_at, f"{model.name} {prop}")
            has_default = "default" in direct and self._default_fits(
                direct["default"], type_ref, {**resolved, **direct}, prop_at
            )
            model.fields.append(
                FieldIR(
                    wire_name=str(prop),
                    type=type_ref,
                    required=prop in required,
                    description=_text(direct.get("description")) or _text(resolved.get("description")),
                    default=direct.get("default") if has_default else None,
                    has_default=has_default,
                    read_only=bool(direct.get("readOnly") or resolved.get("readOnly")),
                    write_only=bool(direct.get("writeOnly") or resolved.get("writeOnly")),
                    deprecated=bool(direct.get("deprecated")),
                )
            )
        extra = schema.get("additionalProperties", True)
        if extra is False:
            model.additional = None
        elif isinstance(extra, dict) and extra:
            model.additional = self.type_of(extra, at.child("additionalProperties"), f"{model.name} value")

    def _default_fits(self, value: Any, type_ref: TypeRef, schema: dict[str, Any], at: _At) -> bool:
        """A default goes into generated code only if it meets its schema: its property's type (code
        states it as a typed value), its enum and its bounds."""
        if not fits(value, type_ref, self._enum_base):
            problem: str | None = "does not have the property's type"
        else:
            problem = default_problem(value, schema)
        if problem is None:
            return True
        self._warn(f"`default` {problem}: it is left out of the SDK", at.child("default"))
        return False

    def _enum_base(self, name: str) -> str:
        declared = self._declared.get(name)
        return declared.base if isinstance(declared, EnumIR) else "string"

    # --- operations ----------------------------------------------------------------------------

    def _resolve(self, value: Any, at: _At) -> tuple[Any, _At]:
        return self._deref(value, at)

    def _parameters(
        self, path_item: dict[str, Any], operation: dict[str, Any], at: _At, op_at: _At, hint: str
    ) -> list[ParameterIR]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], _At]] = {}
        for source, source_at in ((path_item, at), (operation, op_at)):
            for index, raw in enumerate(source.get("parameters") or []):
                param, param_at = self._resolve(raw, source_at.child("parameters", index))
                if isinstance(param, dict) and "name" in param and "in" in param:
                    merged[(param["name"], param["in"])] = (param, param_at)
        result = []
        for (name, location), (param, param_at) in merged.items():
            schema = param.get("schema")
            schema_at = param_at.child("schema")
            if schema is None and isinstance(param.get("content"), dict) and param["content"]:
                media = next(iter(param["content"]))
                schema = param["content"][media].get("schema", {})
                schema_at = param_at.child("content", media, "schema")
            style, explode = parameter_style(str(location), param.get("style"), param.get("explode"))
            result.append(
                ParameterIR(
                    wire_name=str(name),
                    location=str(location),
                    type=self.type_of(schema or {}, schema_at, f"{hint} {name}"),
                    required=bool(param.get("required")) or location == "path",
                    description=_text(param.get("description")),
                    style=style,
                    explode=explode,
                    deprecated=bool(param.get("deprecated")),
                    allow_reserved=param.get("allowReserved") is True and location == "query",
                )
            )
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        return sorted(result, key=lambda p: (not p.required, order.get(p.location, 4)))

    def _body(self, operation: dict[str, Any], at: _At, hint: str) -> BodyIR | None:
        if "requestBody" not in operation:
            return None
        body, body_at = self._resolve(operation["requestBody"], at.child("requestBody"))
        content = body.get("content") or {}
        if not content:
            return None
        media = _preferred_media_type(content)
        schema = content[media].get("schema", {}) if isinstance(content[media], dict) else {}
        kind = body_kind(media)
        schema_at = body_at.child("content", media, "schema")
        return BodyIR(
            media_type=media,
            type=self.type_of(schema, schema_at, f"{hint} request"),
            required=bool(body.get("required")),
            description=_text(body.get("description")),
            kind=kind,
            encoding=part_encodings(kind, schema, content[media], self._resolver(schema_at)),
        )

    def _resolver(self, at: _At) -> Callable[[Any], Any]:
        """Follows `$ref`s of schemas found under `at` (a bad one reads as no schema, as elsewhere)."""

        def resolve(value: Any) -> Any:
            try:
                return self._deref(value, at)[0]
            except SpecError:
                return None

        return resolve

    def _responses(self, operation: dict[str, Any], at: _At, hint: str) -> list[ResponseIR]:
        result = []
        for status, raw in (operation.get("responses") or {}).items():
            response, response_at = self._resolve(raw, at.child("responses", status))
            content = response.get("content") or {}
            media = _preferred_media_type(content) if content else None
            type_ref: TypeRef | None = None
            if media is not None:
                media_obj = content[media] if isinstance(content[media], dict) else {}
                suffix = "" if str(status) in ("200", "201", "default") else f" {status}"
                type_ref = self.type_of(
                    media_obj.get("schema", {}),
                    response_at.child("content", media, "schema"),
                    f"{hint} response{suffix}",
                )
            result.append(
                ResponseIR(
                    status=str(status),
                    description=_text(response.get("description")),
                    media_type=media,
                    type=type_ref,
                    headers=sorted((response.get("headers") or {}).keys()),
                )
            )
        return result

    def operations(self) -> list[OperationIR]:
        result: list[OperationIR] = []
        paths = self.root.data.get("paths") or {}
        used_ids: set[str] = set()
        for path, raw_item in paths.items():
            item_at = _At(self.root, join_pointer("/paths", path))
            path_item, item_at = self._resolve(raw_item, item_at)
            if not isinstance(path_item, dict):
                continue
            for method in HTTP_METHODS:
                operation = path_item.get(method)
                if not isinstance(operation, dict):
                    continue
                op_at = item_at.child(method)
                if operation.get("callbacks"):
                    self._warn(
                        "callbacks are not generated (only the operation is)", op_at.child("callbacks")
                    )
                op_id = operation.get("operationId") or f"{method} {path}"
                op_id = claim(str(op_id), used_ids)
                hint = pascal_case(op_id)
                tags = operation.get("tags") or ["default"]
                security = operation.get("security", self.root.data.get("security") or [])
                result.append(
                    OperationIR(
                        operation_id=str(op_id),
                        method=method.upper(),
                        path=str(path),
                        group=str(tags[0]),
                        summary=_text(operation.get("summary")),
                        description=_text(operation.get("description")),
                        parameters=self._parameters(path_item, operation, item_at, op_at, hint),
                        body=self._body(operation, op_at, hint),
                        responses=self._responses(operation, op_at, hint),
                        security=[sorted(req.keys()) for req in security if isinstance(req, dict)],
                        deprecated=bool(operation.get("deprecated")),
                    )
                )
        return result

    # --- the rest ------------------------------------------------------------------------------

    def security_schemes(self) -> list[SecuritySchemeIR]:
        schemes = (self.root.data.get("components") or {}).get("securitySchemes") or {}
        result = []
        for name, raw in schemes.items():
            scheme, _ = self._resolve(raw, _At(self.root, join_pointer("/components/securitySchemes", name)))
            kind = str(scheme.get("type", ""))
            description = _text(scheme.get("description"))
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                result.append(SecuritySchemeIR(name, "basic", description=description))
            elif kind == "apiKey":
                result.append(
                    SecuritySchemeIR(
                        name, "apiKey", scheme.get("in", "header"), scheme.get("name", ""), description
                    )
                )
            else:  # bearer, oauth2 and openIdConnect all send a token the caller obtained
                result.append(SecuritySchemeIR(name, "bearer", description=description))
        return result

    def error_shape(self, operations: list[OperationIR]) -> ErrorShapeIR:
        """Find where error bodies keep `code` and `message`, from the first error schema."""
        for operation in operations:
            for response in operation.responses:
                is_error = response.status[:1] in ("4", "5") or response.status == "default"
                if is_error and isinstance(response.type, ModelRef):
                    shape = self._shape_of(response.type.name)
                    if shape.code_path or shape.message_path:
                        return shape
        return ErrorShapeIR((), (), None)

    def _shape_of(self, model_name: str, seen: frozenset[str] = frozenset()) -> ErrorShapeIR:
        model = self._declared.get(model_name)
        if not isinstance(model, ModelIR) or model_name in seen:  # a recursive error model ends here
            return ErrorShapeIR()
        names = {f.wire_name: f for f in model.fields}
        if "code" in names or "message" in names:
            return ErrorShapeIR(
                ("code",) if "code" in names else (), ("message",) if "message" in names else (), model_name
            )
        for wire, field in names.items():
            if isinstance(field.type, ModelRef):
                inner = self._shape_of(field.type.name, seen | {model_name})
                if inner.code_path or inner.message_path:
                    code = (wire, *inner.code_path) if inner.code_path else ()
                    message = (wire, *inner.message_path) if inner.message_path else ()
                    return ErrorShapeIR(code, message, model_name)
        return ErrorShapeIR()

    def servers(self) -> list[str]:
        result = []
        for server in self.root.data.get("servers") or []:
            url = str(server.get("url", ""))
            for var, spec in (server.get("variables") or {}).items():
                url = url.replace("{" + var + "}", str(spec.get("default", "")))
            result.append(url.rstrip("/"))
        return result

    def build(self) -> ApiIR:
        data = self.root.data
        components = (data.get("components") or {}).get("schemas") or {}
        for name in components:  # component names are claimed first: inline names never take them
            self._name_for(_At(self.root, join_pointer("/components/schemas", name)), str(name))
        aliases: list[AliasIR] = []
        for name, schema in components.items():
            pointer = join_pointer("/components/schemas", name)
            type_ref = self.type_of({"$ref": "#" + pointer}, _At(self.root, ""), name)
            if _is_union_only(schema) and isinstance(non_null(type_ref), UnionType):
                description = _text(schema.get("description")) or _text(schema.get("title"))
                aliases.append(
                    AliasIR(self._name_for(_At(self.root, pointer), name), type_ref, description, pointer)
                )
        operations = self.operations()
        if data.get("webhooks"):
            self._warn("webhooks are not generated: the SDK only calls the API", _At(self.root, "/webhooks"))
        info = data.get("info") or {}
        declared = [self._declared[name] for name in self._order]
        groups: list[str] = []
        for operation in operations:
            if operation.group not in groups:
                groups.append(operation.group)
        return ApiIR(
            title=_text(info.get("title")) or "API",
            version=str(info.get("version", "0.0.0")),
            description=_text(info.get("description")),
            servers=self.servers(),
            models=[d for d in declared if isinstance(d, ModelIR)],
            enums=[d for d in declared if isinstance(d, EnumIR)],
            operations=operations,
            security_schemes=self.security_schemes(),
            default_security=[sorted(r.keys()) for r in data.get("security") or [] if isinstance(r, dict)],
            error_shape=self.error_shape(operations),
            groups=groups,
            aliases=aliases,
        )

    def _warn(self, message: str, at: _At) -> None:
        key = (str(at.document.path), at.pointer, message)
        if key in self._warned:  # a schema reached from several places is warned about once
            return
        self._warned.add(key)
        self.warnings.append(Diagnostic(message, at.document.locate(at.pointer), "warning", at.pointer))


def default_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """How a default (of the right type) breaks its schema's enum or bounds, or None.

    Only the keywords the schema has are looked at: most have none (GitHub's 2,430 defaults cost
    about a millisecond). `format` is not checked: a default of a type printed as a literal (`str`)
    is a string either way, and one of another type (a datetime) is never printed.
    """
    if value is None:
        return None  # the type admits null (it fits): no other keyword constrains it
    if "enum" in schema or "const" in schema:
        allowed = schema["enum"] if "enum" in schema else [schema["const"]]
        if isinstance(allowed, list) and not any(_same(value, option) for option in allowed):
            return "is not one of the enum values"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_problem(value, schema)
    if isinstance(value, str):
        return _string_problem(value, schema)
    if isinstance(value, list):
        return _count_problem(len(value), schema.get("minItems"), schema.get("maxItems"), "item")
    return None


def _same(a: Any, b: Any) -> bool:
    """JSON equality: `true` is not `1`."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _number_problem(value: float, schema: dict[str, Any]) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low_x is True:  # 3.0: a flag on `minimum`; 3.1: the exclusive bound is the number itself
        low_x, low = low, None
    if high_x is True:
        high_x, high = high, None
    if _number(low) and value < low:
        return f"is below the minimum {low}"
    if _number(high) and value > high:
        return f"is above the maximum {high}"
    if _number(low_x) and value <= low_x:
        return f"is not above the exclusive minimum {low_x}"
    if _number(high_x) and value >= high_x:
        return f"is not below the exclusive maximum {high_x}"
    return None


def _string_problem(value: str, schema: dict[str, Any]) -> str | None:
    problem = _count_problem(len(value), schema.get("minLength"), schema.get("maxLength"), "character")
    pattern = schema.get("pattern")
    if problem is None and isinstance(pattern, str):
        from generator.spec.patterns import matches  # only a default with a pattern pays for `regex`

        if not matches(pattern, value):
            problem = "does not match the pattern"
    return problem


def _count_problem(count: int, low: Any, high: Any, what: str) -> str | None:
    if _number(low) and count < low:
        return f"has fewer than {low} {what}(s)"
    if _number(high) and count > high:
        return f"has more than {high} {what}(s)"
    return None


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _admits_null(schema: dict[str, Any]) -> bool:
    """Whether a schema says null is allowed: 3.0 `nullable`, a 3.1 `null` type, or null in its enum."""
    types = schema.get("type")
    enum = schema.get("enum")
    return (
        schema.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or (isinstance(enum, list) and None in enum)
    )


def _is_union_only(schema: Any) -> bool:
    """A schema that is a oneOf or anyOf and nothing a model or an enum is made of."""
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and any(isinstance(schema.get(k), list) for k in ("oneOf", "anyOf"))
        and not schema.get("properties")
        and "enum" not in schema
        and "const" not in schema
        and "allOf" not in schema
    )


def _is_object(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or ("type" not in schema and "additionalProperties" in schema)
    )


def _without(schema: dict[str, Any], keyword: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in (keyword, "discriminator") and k not in _ANNOTATIONS}


def _preferred_media_type(content: dict[str, Any]) -> str:
    for media in content:
        base = media.split(";")[0].strip().lower()
        if base == "application/json" or base.endswith("+json"):
            return str(media)
    return str(next(iter(content)))


def build_ir(workspace: Workspace) -> tuple[ApiIR, list[Diagnostic]]:
    """Build the IR of a workspace's root spec; returns the IR and any warnings."""
    builder = Builder(workspace)
    try:
        api = builder.build()
    except RecursionError:
        raise SpecError.at("schemas are nested too deeply to process", workspace.root.locate("")) from None
    return api, builder.warnings
