"""Spec: the first stage. Reads an OpenAPI document and says whether it is one sdkgen can use.

Knows nothing of the model, the templates or the tools. Modules and what they export:

- `load`: `Workspace` (the root `Document` and the files its `$ref`s reach), `Document` (data plus
  pointer -> `file:line:col`), `read_settings`, `join_pointer`/`split_pointer`, `HTTP_METHODS`.
- `refs`: `Node` (a value with its document and pointer) and `deref` across files.
- `locate`: `JsonLocator`, the line and column of a pointer in JSON text without a YAML node tree.
- `validate`: `validate` (raises the errors, returns the warnings), `check_version`, `validate_beside`
  and its `Verdict` (the long checks in a forked child), and `LIVABLE`, the one table of the kinds of
  finding an SDK can live with (warnings); a verdict with no errors is cached by content hash.
- `ref_check`, `keyword_checks`, `messages`: the checks `validate` runs, and their findings in plain words.
- `overlay`: `load_overlay`, `apply_overlays`, `overlaid`: OpenAPI Overlay 1.0 documents applied to a
  spec in memory (a JSONPath subset: names, quoted names, indexes, wildcards), `path_of`, `dump_spec`.
- `examples`: `check_examples`, the spec's own examples and defaults against their schemas.
- `schema_check`: `SchemaChecker`, a JSON value against a schema of the spec; `with_ecma_patterns`.
- `patterns`: `compile_pattern`, a schema's `pattern` with ECMA-262's meaning (`\\p{L}`, ASCII `\\d`), or
  None when it cannot be checked; `translate`, `matches`, `is_regex`.

A new check of the document goes into `validate` (structure) or `keyword_checks` (schemas); a new kind
of finding an SDK can live with goes into `validate.LIVABLE`, with what sdkgen does about it.
"""
