"""The serialization examples of the OpenAPI Specification (3.1.1 / 3.2, "Style Examples"), as data.

Values: `empty` is "", `string` "blue", `array` ["blue", "black", "brown"], `object`
{"R": 100, "G": 200, "B": 150}; the parameter is named `color`. A cell of None is "n/a" in the
specification. Non-exploded `label` separates with commas, as RFC 6570 section 3.2.5 (which the
style cites) and the 3.1.1 table have it. Query-string cells are written as they are decoded
(`%20` is a space): an encoder returns name/value pairs that the transport percent-encodes.
"""

from __future__ import annotations

from typing import Any

VALUES: dict[str, Any] = {
    "empty": "",
    "string": "blue",
    "array": ["blue", "black", "brown"],
    "object": {"R": 100, "G": 200, "B": 150},
}

# (style, explode, where) -> {value kind: expected}; `where` says which helper spells it:
# "path" a path segment (exact text), "header" a header value, "query" name=value pairs joined by &.
ROWS: list[tuple[str, bool, str, dict[str, str | None]]] = [
    (
        "matrix",
        False,
        "path",
        {
            "empty": ";color",
            "string": ";color=blue",
            "array": ";color=blue,black,brown",
            "object": ";color=R,100,G,200,B,150",
        },
    ),
    (
        "matrix",
        True,
        "path",
        {
            "empty": ";color",
            "string": ";color=blue",
            "array": ";color=blue;color=black;color=brown",
            "object": ";R=100;G=200;B=150",
        },
    ),
    (
        "label",
        False,
        "path",
        {"empty": ".", "string": ".blue", "array": ".blue,black,brown", "object": ".R,100,G,200,B,150"},
    ),
    (
        "label",
        True,
        "path",
        {"empty": ".", "string": ".blue", "array": ".blue.black.brown", "object": ".R=100.G=200.B=150"},
    ),
    (
        "simple",
        False,
        "header",
        {"empty": "", "string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"},
    ),
    (
        "simple",
        True,
        "header",
        {"empty": "", "string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"},
    ),
    (
        "form",
        False,
        "query",
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue,black,brown",
            "object": "color=R,100,G,200,B,150",
        },
    ),
    (
        "form",
        True,
        "query",
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue&color=black&color=brown",
            "object": "R=100&G=200&B=150",
        },
    ),
    (
        "spaceDelimited",
        False,
        "query",
        {
            "empty": None,
            "string": None,
            "array": "color=blue black brown",
            "object": "color=R 100 G 200 B 150",
        },
    ),
    (
        "pipeDelimited",
        False,
        "query",
        {
            "empty": None,
            "string": None,
            "array": "color=blue|black|brown",
            "object": "color=R|100|G|200|B|150",
        },
    ),
    (
        "deepObject",
        True,
        "query",
        {"empty": None, "string": None, "array": None, "object": "color[R]=100&color[G]=200&color[B]=150"},
    ),
]

# One case per filled cell: (id, style, explode, where, value, expected).
CASES = [
    (f"{style}-{'explode' if explode else 'flat'}-{kind}", style, explode, where, VALUES[kind], expected)
    for style, explode, where, cells in ROWS
    for kind, expected in cells.items()
    if expected is not None
]

# Beyond the specification: nested values in the bracket convention qs and Rack read.
NESTED_CASES = [
    (
        "deep-array",
        "deepObject",
        True,
        {"expand": ["customer", "invoice"]},
        "expand[0]=customer&expand[1]=invoice",
    ),
    (
        "deep-array-of-objects",
        "deepObject",
        True,
        {"items": [{"price": "a", "quantity": 1}, {"price": "b"}]},
        "items[0][price]=a&items[0][quantity]=1&items[1][price]=b",
    ),
    (
        "deep-nested-object",
        "deepObject",
        True,
        {"features": {"customer_update": {"allowed_updates": ["address"], "enabled": True}}},
        "features[customer_update][allowed_updates][0]=address&features[customer_update][enabled]=true",
    ),
]
