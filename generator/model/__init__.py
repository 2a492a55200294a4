"""Model: the second stage. Turns a validated document into the style-free intermediate model.

Imports only `spec` (and the shared plumbing); knows nothing of styles or templates.

- `ir`: the IR dataclasses (`ApiIR`, `ModelIR`, `FieldIR`, `EnumIR`, `AliasIR`, `OperationIR`,
  `ParameterIR`, `BodyIR`, `PartEncodingIR`, `ResponseIR`, `SecuritySchemeIR`, `PaginationIR`) and
  the `TypeRef` variants (`Primitive`, `AnyType`, `NullType`, `ArrayType`, `MapType`, `ModelRef`,
  `EnumRef`, `UnionType`, `Nullable`).
- `build`: `build_ir(workspace)` -> `(ApiIR, warnings)`; names, types, unions, enums, operations.
- `naming`: case conversion, identifiers with keyword escapes, deterministic collision suffixes,
  `client_names` (client class and environment variables from the title).
- `pagination`: `detect_pagination`, which marks cursor-paginated list operations.
- `encoding`: how requests go on the wire: `parameter_style` (style/explode with OpenAPI's
  defaults), `body_kind`, `part_encodings` (each form/multipart property's `encoding` entry).

What two languages share (a name, a rule read from the spec) is computed here, once.
"""
