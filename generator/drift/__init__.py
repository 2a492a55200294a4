"""Drift: `sdkgen drift` and `sdkgen proxy`, recorded or live API traffic against the spec and the SDK.

A tool beside the pipeline: uses `spec`, `wire`, `model`, `render` and `pipeline`; never the CLI.

- `record`: `load_recordings` (recording JSON, HAR 1.2, bare bodies) -> `Recording`.
- `schema`: `BodyChecker`, a body walked against its schema, each difference at a JSON pointer.
- `sdk`: the round trip of a body through the generated python-pydantic models.
- `rules`: rule ids, severities and `Finding`. A new rule goes here and in `schema` or `command`.
- `output`: the allow-list, the report, text and JSON.
- `command`: `Drift` (checks recordings against one spec) and the `sdkgen drift` command.
- `har`: HAR 1.2 entries of proxied exchanges (credentials redacted) and the Recording of one.
- `suggest`: `Suggester`, findings traced back to the spec's schemas as an Overlay 1.0 of fixes (`--suggest`).
- `proxy`: `sdkgen proxy`, a forwarding proxy that checks traffic with `Drift` as it flows.
"""
