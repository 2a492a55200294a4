"""Suggest: drift findings -> an OpenAPI Overlay 1.0 document, the smallest edits making the traffic conform.

`sdkgen drift SPEC RECORDING... --suggest fixes.yaml` writes it; `sdkgen overlay SPEC fixes.yaml -o NEW`
applies it. Each finding is traced from its JSON pointer in the body back to the schema of the spec
that describes that place, and gives one edit there:

- `undocumented-field`: the field is added to the object's `properties` with the JSON type seen;
- `type-mismatch`: an inline schema gets the type seen added to its `type`; a `$ref` (an id where the
  spec says an object, say) becomes `oneOf: [{type: seen}, {$ref: ...}]`;
- `enum-value-not-in-spec`: the value is appended to the `enum`;
- `missing-required-field`: the field is dropped from `required`;
- `undocumented-status`: the status is added to the operation's responses (with the body's JSON type).

Other findings (unknown operations, formats, the SDK round trip, which follows the schema) are left
to a person: the document says how many. Schemas outside the root spec file cannot be targeted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.drift.command import Drift
from generator.drift.record import Recording
from generator.drift.rules import Finding
from generator.drift.schema import json_type
from generator.spec.load import join_pointer, split_pointer
from generator.spec.overlay import path_of
from generator.spec.refs import Node

SUGGESTED = ("undocumented-field", "type-mismatch", "enum-value-not-in-spec", "missing-required-field")


@dataclass
class _Edits:
    """The actions collected so far, merged by target, in the order they were first needed."""

    removes: dict[str, str] = field(default_factory=dict)  # target -> description
    updates: dict[str, tuple[dict[str, Any], list[str]]] = field(default_factory=dict)
    appends: dict[tuple[str, str], tuple[str, Any, str]] = field(default_factory=dict)
    left: dict[str, int] = field(default_factory=dict)  # rule -> findings no edit was made for

    def remove(self, target: str, why: str) -> None:
        self.removes.setdefault(target, why)

    def update(self, target: str, key: str, value: Any, why: str) -> None:
        update, whys = self.updates.setdefault(target, ({}, []))
        update.setdefault(key, value)
        if why not in whys:
            whys.append(why)

    def append(self, target: str, value: Any, why: str) -> None:
        self.appends.setdefault((target, repr(value)), (target, value, why))

    def skip(self, rule: str) -> None:
        self.left[rule] = self.left.get(rule, 0) + 1

    def actions(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = [
            {"target": target, "description": why, "remove": True} for target, why in self.removes.items()
        ]
        for target, (update, whys) in self.updates.items():
            result.append({"target": target, "description": "; ".join(whys), "update": update})
        for target, value, why in self.appends.values():
            result.append({"target": target, "description": why, "update": value})
        return result


class Suggester:
    """Collects the edits that answer the findings of recordings checked by one `Drift`."""

    def __init__(self, drift: Drift) -> None:
        self._drift = drift
        self._workspace = drift.spec.workspace
        self._openapi_30 = str(self._workspace.root.data.get("openapi", "")).startswith("3.0")
        self._edits = _Edits()
        self._types: dict[tuple[str, str], list[str]] = {}  # (target, field) -> JSON types seen
        self._dropped: dict[str, set[str]] = {}  # pointer of a `required` owner -> names to drop

    def add(self, recording: Recording, findings: list[Finding]) -> None:
        schema = self._drift.schema_of(recording)
        for finding in findings:
            if finding.id == "undocumented-status":
                self._status(recording, finding)
            elif finding.id not in SUGGESTED or schema is None or not self._edit(schema, recording, finding):
                self._edits.skip(finding.id)

    def overlay(self) -> dict[str, Any]:
        """The Overlay 1.0 document of every edit collected."""
        self._finish_required()
        info = self._workspace.root.data.get("info", {})
        title = info.get("title", "the API") if isinstance(info, dict) else "the API"
        document: dict[str, Any] = {
            "overlay": "1.0.0",
            "info": {"title": f"Drift fixes for {title}", "version": str(info.get("version", "1.0.0"))},
        }
        left = ", ".join(f"{count} {rule}" for rule, count in sorted(self._edits.left.items()))
        if left:
            document["x-sdkgen-left-to-a-person"] = f"findings no edit is suggested for: {left}"
        document["actions"] = self._edits.actions()
        return document

    # --- one finding -----------------------------------------------------------------------------

    def _edit(self, schema: Node, recording: Recording, finding: Finding) -> bool:
        tokens = split_pointer(finding.pointer)
        why = f"{finding.id} at {finding.pointer or '/'} in {finding.operation} ({finding.source})"
        if finding.id == "undocumented-field" and tokens:
            return self._add_field(schema, recording.body, tokens, why)
        if finding.id == "missing-required-field" and tokens:
            return self._drop_required(schema, recording.body, tokens, why)
        node = self._walk(schema, recording.body, tokens)
        if node is None:
            return False
        value = _value_at(recording.body, tokens)
        if finding.id == "enum-value-not-in-spec":
            return self._add_enum_value(node, value, why)
        return self._widen(node, value, why)

    def _add_field(self, schema: Node, body: Any, tokens: list[str], why: str) -> bool:
        parent = self._walk(schema, body, tokens[:-1])
        owner = self._resolve(parent) if parent is not None else None
        if owner is None or not self._in_root(owner) or not isinstance(owner.value, dict):
            return False
        name, value = tokens[-1], _value_at(body, tokens)
        if isinstance(owner.value.get("properties"), dict):
            target, key = self._path(owner.pointer, "properties"), name
        else:
            target, key = self._path(owner.pointer), "properties"
        seen = self._types.setdefault((target, name), [])
        if json_type(value) not in seen:
            seen.append(json_type(value))
        update, whys = self._edits.updates.setdefault(target, ({}, []))
        if key == name:
            update[name] = self._schema_of_types(seen)  # every type seen for the field so far
        else:
            update.setdefault("properties", {})[name] = self._schema_of_types(seen)
        if why not in whys:
            whys.append(why)
        return True

    def _widen(self, node: Node, value: Any, why: str) -> bool:
        """A schema that did not admit the value's type admits it: in its `type`, or by a oneOf."""
        if not self._in_root(node) or not isinstance(node.value, dict) or not node.pointer:
            return False
        seen = json_type(value)
        data = node.value
        inline = "type" in data and not any(k in data for k in ("$ref", "oneOf", "anyOf", "allOf"))
        if inline and not self._openapi_30:  # 3.1: `type` may list several
            types = [data["type"]] if isinstance(data["type"], str) else list(data["type"])
            widened = [*types, *([seen] if seen not in types else [])]
            self._edits.update(self._path(node.pointer), "type", widened, why)
            return True
        *parent, key = split_pointer(node.pointer)
        self._edits.remove(self._path(node.pointer), why)
        self._edits.update(
            self._path(join_pointer("", *parent)), key, {"oneOf": [self._schema_of_types([seen]), data]}, why
        )
        return True

    def _add_enum_value(self, node: Node, value: Any, why: str) -> bool:
        holder = self._enum_holder(node, set())
        if holder is None or not self._in_root(holder):
            return False
        self._edits.append(self._path(holder.pointer, "enum"), value, why)
        return True

    def _drop_required(self, schema: Node, body: Any, tokens: list[str], why: str) -> bool:
        parent = self._walk(schema, body, tokens[:-1])
        name = tokens[-1]
        for holder in self._required_holders(parent, set()) if parent is not None else []:
            if self._in_root(holder):
                self._dropped.setdefault(holder.pointer, set()).add(name)
                self._edits.update(self._path(holder.pointer), "required", None, why)  # filled in at the end
                return True
        return False

    def _finish_required(self) -> None:
        for pointer, names in self._dropped.items():
            target = self._path(pointer)
            current = Node.root(self._workspace.root).child(*split_pointer(pointer)).value["required"]
            kept = [name for name in current if name not in names]
            update, whys = self._edits.updates[target]
            del update["required"]
            self._edits.remove(self._path(pointer, "required"), "; ".join(whys))
            if kept:
                update["required"] = kept
            elif not update:
                del self._edits.updates[target]

    def _status(self, recording: Recording, finding: Finding) -> None:
        operation = self._drift.operation_of(recording)
        if operation is None:
            self._edits.skip(finding.id)
            return
        response: dict[str, Any] = {"description": f"Observed by sdkgen drift ({finding.source})."}
        if recording.json_body:
            media = (recording.media_type or "application/json").split(";")[0].strip()
            response["content"] = {media: {"schema": self._schema_of_types([json_type(recording.body)])}}
        target = self._path("", "paths", operation.template, operation.method.lower(), "responses")
        why = f"{finding.id}: {finding.message} ({finding.source})"
        self._edits.update(target, str(recording.status), response, why)

    # --- from a body pointer to the schema ---------------------------------------------------------

    def _walk(self, schema: Node, body: Any, tokens: list[str]) -> Node | None:
        """The schema node (as written, `$ref` unresolved) that describes the body at `tokens`."""
        node, value = schema, body
        for token in tokens:
            found = self._child(node, token, isinstance(value, list), set())
            if found is None:
                return None
            node = found
            value = (
                value[int(token)]
                if isinstance(value, list)
                else value.get(token)
                if isinstance(value, dict)
                else None
            )
        return node

    def _child(self, node: Node, token: str, in_array: bool, seen: set[tuple[str, str]]) -> Node | None:
        node = self._resolve(node)
        if node.key in seen or not isinstance(node.value, dict):
            return None
        seen.add(node.key)
        data = node.value
        if in_array:
            return node.child("items") if isinstance(data.get("items"), dict) else None
        if isinstance(data.get("properties"), dict) and token in data["properties"]:
            return node.child("properties", token)
        for keyword in ("allOf", "oneOf", "anyOf"):
            for index in range(len(data[keyword]) if isinstance(data.get(keyword), list) else 0):
                found = self._child(node.child(keyword, index), token, in_array, seen)
                if found is not None:
                    return found
        return (
            node.child("additionalProperties") if isinstance(data.get("additionalProperties"), dict) else None
        )

    def _resolve(self, node: Node) -> Node:
        seen: set[tuple[str, str]] = set()
        while (
            isinstance(node.value, dict)
            and isinstance(ref := node.value.get("$ref"), str)
            and node.key not in seen
        ):
            seen.add(node.key)
            target = self._workspace.resolve(ref, node.document, join_pointer(node.pointer, "$ref"))
            node = Node(target.document, target.pointer, target.value)
        return node

    def _enum_holder(self, node: Node, seen: set[tuple[str, str]]) -> Node | None:
        if node.key in seen or not isinstance(node.value, dict):
            return None
        seen.add(node.key)
        if isinstance(node.value.get("enum"), list):
            return node
        if isinstance(node.value.get("$ref"), str):
            return self._enum_holder(self._resolve(node), seen)
        for index in range(len(node.value["allOf"]) if isinstance(node.value.get("allOf"), list) else 0):
            found = self._enum_holder(node.child("allOf", index), seen)
            if found is not None:
                return found
        return None

    def _required_holders(self, node: Node, seen: set[tuple[str, str]]) -> Iterator[Node]:
        node = self._resolve(node)
        if node.key in seen or not isinstance(node.value, dict):
            return
        seen.add(node.key)
        if isinstance(node.value.get("required"), list):
            yield node
        for index in range(len(node.value["allOf"]) if isinstance(node.value.get("allOf"), list) else 0):
            yield from self._required_holders(node.child("allOf", index), seen)

    # --- small things ----------------------------------------------------------------------------

    def _in_root(self, node: Node) -> bool:
        return node.document.path.resolve() == self._workspace.root.path.resolve()

    def _path(self, pointer: str, *more: str) -> str:
        return path_of([*split_pointer(pointer), *more])

    def _schema_of_types(self, types: list[str]) -> dict[str, Any]:
        """A schema admitting the JSON types seen (3.0 has no `null` type: `nullable` says it)."""
        if self._openapi_30:
            named = [t for t in types if t != "null"]
            schema: dict[str, Any] = {"type": named[0]} if len(named) == 1 else {}
            return {**schema, "nullable": True} if "null" in types else schema
        return {"type": types[0]} if len(types) == 1 else {"type": list(types)}


def _value_at(body: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(body, list) and token.isdigit() and int(token) < len(body):
            body = body[int(token)]
        elif isinstance(body, dict):
            body = body.get(token)
        else:
            return None
    return body
