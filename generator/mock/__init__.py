"""Mock: `sdkgen mock SPEC`, an HTTP server on 127.0.0.1 that answers like the API its spec describes.

A tool beside the pipeline: uses `spec`, `wire` and `pipeline`; never the CLI.

- `server`: `start_mock` (in-process, for tests) and the `sdkgen mock` command.
- `checks`: `RequestChecker`, a request against its operation; a `Refusal` says why not.
- `answers`: `Answers`, the response of an operation, from its examples or synthesised.
- `synthesize`: `Synthesizer`, a deterministic value for a schema.
"""
