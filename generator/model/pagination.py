"""Pagination: find cursor-style list operations (`limit`, `starting_after`, a list of items)."""

from __future__ import annotations

from generator.model.ir import ApiIR, ArrayType, ModelIR, ModelRef, OperationIR, PaginationIR, Primitive

CURSOR_PARAMS = ("starting_after", "after", "cursor")


def _detect(models: dict[str, ModelIR], operation: OperationIR) -> PaginationIR | None:
    if operation.method != "GET":
        return None
    query = {p.wire_name for p in operation.parameters if p.location == "query"}
    cursor = next((c for c in CURSOR_PARAMS if c in query), None)
    success = operation.success
    if cursor is None or "limit" not in query or success is None or not isinstance(success.type, ModelRef):
        return None
    page = models.get(success.type.name)
    if page is None:
        return None
    arrays = [f for f in page.fields if isinstance(f.type, ArrayType) and isinstance(f.type.item, ModelRef)]
    items = next((f for f in arrays if f.wire_name in ("data", "items", "results")), None)
    if items is None and len(arrays) == 1:
        items = arrays[0]
    if items is None:
        return None
    assert isinstance(items.type, ArrayType) and isinstance(items.type.item, ModelRef)
    item = models.get(items.type.item.name)
    if item is None or item.id_field is None:
        return None
    has_more = next(
        (f.wire_name for f in page.fields if f.wire_name == "has_more" and f.type == Primitive("boolean")),
        None,
    )
    return PaginationIR(cursor, items.wire_name, item.id_field, items.type.item, has_more)


def detect_pagination(api: ApiIR) -> None:
    """Mark every operation that pages with a cursor; the styles generate iterators for them."""
    models = {m.name: m for m in api.models}  # names are unique; a big spec has thousands of models
    for operation in api.operations:
        operation.pagination = _detect(models, operation)
