"""Diff: `sdkgen diff OLD NEW`, what changed between two versions of a spec and whom it breaks.

A tool beside the pipeline: it reads specs with `spec` (and `model.naming` for the names an SDK
derives), and never imports the CLI.

- `source`: `load_source` (a file or `git:REV:PATH`) -> `Source`, with pointers located.
- `view`: a schema normalised so 3.0 and 3.1 spellings compare alike.
- `schema`: direction-aware comparison of two schemas (request: client writes; response: it reads).
- `operation`: one operation's (or webhook's) names, parameters, bodies, responses and security.
- `compare`: `diff_specs` -> `DiffReport`, operation by operation; `RootCause` merges a change
  found in many operations (a shared schema's) into one entry listing them.
- `rules`: the catalogue of rules (`Rule`: id, severity, meaning), as data. A new rule goes here,
  with its check in `schema` or `operation` and a case in `tests/unit/diff/diff_cases.py`.
- `output`: text, JSON and markdown renderings (by root cause, or per operation with
  `--group none`) and the suggested semver.
- `command`: the `sdkgen diff` arguments and exit codes.
"""
