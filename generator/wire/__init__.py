"""Wire: HTTP traffic read in terms of the spec, for the tools that see requests and responses.

Builds on `spec`; used by `mock`, `drift` and the proxy, never by the generator pipeline.

- `routes`: `build_routes` -> `RouteTable`, the spec's operations matched by method and path
  template (`Operation`, `Route`, security `Scheme`s).
- `params`: `Param`, `make_param` and the decoders of path, query, header, cookie and form text
  into JSON values by OpenAPI `style`/`explode` (`decode_path`, `decode_query`, `decode_form`, ...).
- `serving`: `BackgroundServer`, a tool's HTTP server on a background thread (the mock's, the proxy's).
"""
