"""sdkgen: generate typed SDKs from OpenAPI specs."""
