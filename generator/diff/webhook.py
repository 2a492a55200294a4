"""Diff webhooks: a 3.1 webhook compared like an operation, with the sides swapped.

The API calls the client: it sends the webhook's request (its parameters, body and credentials)
and the client's handler reads them, then the handler writes the response, which the API reads.
So what the API starts sending is what a handler must newly accept (a new media type, a header
that may be missing, another way to authenticate: breaking for the handler), and what the API
stops accepting as an answer is what a handler must stop sending (a status, a media type).
Nothing of an SDK is named after a webhook, so operationIds, tags and path names are not compared.
"""

from __future__ import annotations

from typing import Any

from generator.diff.operation import (
    Emit,
    Operation,
    OperationDiff,
    _covered,
    _default,
    _dict,
    _media_types,
    _pair_parameters,
    _Parameter,
    _parameters,
    _schema_of,
    _schemes,
    _security,
    _text,
)
from generator.diff.schema import WEBHOOK_PAYLOAD, WEBHOOK_RESPONSE, Label, SchemaGraph
from generator.diff.source import At, deref

Media = dict[str, tuple[dict[str, Any], At]]


class WebhookDiff(OperationDiff):
    """The changes of one webhook present in OLD and NEW, judged from the client's handler."""

    def __init__(self, old: Operation, new: Operation, graph: SchemaGraph, emit: Emit) -> None:
        super().__init__(old, new, graph, emit)
        # The handler reads the payload as the client reads a response, and writes its answer.
        self.writes, self.reads = WEBHOOK_PAYLOAD, WEBHOOK_RESPONSE

    def path_names(self) -> None:
        """A webhook's name is its key, not a URL with parameters."""

    def identity(self) -> None:
        old, new = self.old.value, self.new.value
        if old.get("deprecated") is not True and new.get("deprecated") is True:
            self.emit("operation-deprecated", self.new.at.child("deprecated"), "the webhook is deprecated")
        for key in ("summary", "description"):
            if _text(old.get(key)) != _text(new.get(key)):
                at = self.new.at.child(key) if key in new else self.new.at
                self.emit("operation-description-changed", at, f"the webhook's {key} changed")

    # --- parameters: what the API sends besides the body (headers, mostly) ----------------------

    def parameters(self) -> None:
        pairs, added = _pair_parameters(_parameters(self.old, {}), _parameters(self.new, {}))
        for old, new in pairs:
            if new is not None and new.location == old.location:
                self.parameter(old, new)
            elif new is not None:
                message = f"the API now sends `{old.name}` in {new.location}, not {old.location}"
                self.emit("webhook-parameter-location-changed", new.at, message)
            elif old.required:
                message = (
                    f"the API no longer sends `{old.name}` ({old.location}): handlers that read it break"
                )
                self.emit("webhook-parameter-removed", old.at, message)
            else:
                message = f"the API no longer sends optional `{old.name}` ({old.location})"
                self.emit("webhook-optional-parameter-removed", old.at, message)
        for new in added:
            kind = "" if new.required else "optional "
            message = f"the API now sends {kind}`{new.name}` ({new.location})"
            self.emit("webhook-parameter-added", new.at, message)

    def parameter(self, old: _Parameter, new: _Parameter) -> None:
        label = f"parameter `{new.name}` ({new.location})"
        if old.required and not new.required:
            message = f"{label} is now optional: the API may leave it out"
            self.emit("webhook-parameter-became-optional", new.at, message)
        elif new.required and not old.required:
            self.emit("webhook-parameter-became-required", new.at, f"{label} is now always sent")
        if old.serialization() != new.serialization():
            message = f"{label} is sent differently: {old.serialization_text()} -> {new.serialization_text()}"
            self.emit("webhook-parameter-serialization-changed", new.at, message)
        if old.value.get("deprecated") is not True and new.value.get("deprecated") is True:
            self.emit("parameter-deprecated", new.at, f"{label} is deprecated")
        if _text(old.value.get("description")) != _text(new.value.get("description")):
            self.emit("parameter-description-changed", new.at, f"{label}: description changed")
        (had, before), (has, after) = _default(old), _default(new)
        if (had, before) != (has, after):
            found = _schema_of(new.value, new.at)
            at = found[1] if found is not None else new.at
            change = f"from {before if had else 'none'} to {after if has else 'none'}"
            message = f"{label}: default changed {change}: what a missing value means changed"
            self.emit("webhook-parameter-default-changed", at, message)
        self.schema(
            _schema_of(old.value, old.at),
            _schema_of(new.value, new.at),
            self.writes,
            Label(label, parameter=True),
        )

    # --- the payload: the webhook's request body, which the API sends ---------------------------

    def body(self) -> None:
        old_raw, new_raw = self.old.value.get("requestBody"), self.new.value.get("requestBody")
        if old_raw is None and new_raw is None:
            return
        if old_raw is None:
            _, at = deref(new_raw, self.new.at.child("requestBody"))
            self.emit("webhook-payload-added", at, "the API now sends a webhook payload (it sent none)")
            return
        old, old_at = deref(old_raw, self.old.at.child("requestBody"))
        if new_raw is None:
            message = "the API no longer sends a webhook payload: handlers that read it break"
            self.emit("webhook-payload-removed", old_at, message)
            return
        new, new_at = deref(new_raw, self.new.at.child("requestBody"))
        old, new = _dict(old), _dict(new)
        if old.get("required") is True and new.get("required") is not True:
            message = "the webhook payload is now optional: the API may send none"
            self.emit("webhook-payload-became-optional", new_at, message)
        elif new.get("required") is True and old.get("required") is not True:
            self.emit("webhook-payload-became-required", new_at, "the webhook payload is now always sent")
        self.request_media(_media_types(old, old_at), _media_types(new, new_at))

    def request_media(self, before: Media, after: Media) -> None:
        for name, (media, at) in before.items():
            if name not in after:
                message = f"the API no longer sends the webhook payload as `{name}`"
                self.emit("webhook-payload-media-type-removed", at, message)
                continue
            label = f"webhook payload `{name}`"
            self.media_schema("webhook-payload", name, label, (media, at), after[name])
            self.compare_schemas((media, at), after[name], self.writes, f"webhook payload ({name})")
        for name, (_, at) in after.items():
            if name not in before:
                message = f"the API may now send the webhook payload as `{name}`: handlers must parse it"
                self.emit("webhook-payload-media-type-added", at, message)

    def compare_schemas(
        self,
        old: tuple[dict[str, Any], At],
        new: tuple[dict[str, Any], At],
        direction: str,
        label: str,
    ) -> None:
        """The schemas of a media type both sides have, when both have one."""
        if "schema" in old[0] and "schema" in new[0]:
            old_schema = (old[0]["schema"], old[1].child("schema"))
            new_schema = (new[0]["schema"], new[1].child("schema"))
            self.schema(old_schema, new_schema, direction, label)

    # --- responses: what the handler answers, which the API reads -------------------------------

    def responses(self) -> None:
        before, after = self._responses(self.old), self._responses(self.new)
        for status, (old, old_at) in before.items():
            if status not in after:
                message = f"webhook response {status} is no longer expected: handlers that answer it break"
                self.emit("webhook-response-status-removed", old_at, message)
            else:
                self.response(status, old, old_at, *after[status])
        for status, (_, at) in after.items():
            if status not in before:
                message = f"webhook response {status} is now expected too"
                self.emit("webhook-response-status-added", at, message)

    def response(self, status: str, old: dict[str, Any], old_at: At, new: dict[str, Any], new_at: At) -> None:
        if _text(old.get("description")) != _text(new.get("description")):
            at = new_at.child("description") if "description" in new else new_at
            self.emit("response-description-changed", at, f"webhook response {status}: description changed")
        before, after = _media_types(old, old_at), _media_types(new, new_at)
        for name, (media, at) in before.items():
            if name not in after:
                message = f"webhook response {status} `{name}` is no longer accepted"
                self.emit("webhook-response-media-type-removed", at, message)
                continue
            label = f"webhook response {status} `{name}`"
            self.media_schema("webhook-response", name, label, (media, at), after[name])
            schema_label = f"webhook response {status} ({name})"
            self.compare_schemas((media, at), after[name], self.reads, schema_label)
        for name, (_, at) in after.items():
            if name not in before:
                message = f"webhook response {status} may now be `{name}`"
                self.emit("webhook-response-media-type-added", at, message)
        self.headers(status, old, old_at, new, new_at)

    def headers(self, status: str, old: dict[str, Any], old_at: At, new: dict[str, Any], new_at: At) -> None:
        before, after = self._headers(old, old_at), self._headers(new, new_at)
        for key, (name, header, at) in before.items():
            label = f"webhook response {status} header `{name}`"
            if key not in after:
                self.emit("webhook-response-header-removed", at, f"{label} is no longer read")
                continue
            _, new_header, header_at = after[key]
            was, now = header.get("required") is True, new_header.get("required") is True
            if now and not was:
                message = f"{label} is now required: every handler must send it"
                self.emit("webhook-response-header-required", header_at, message)
            elif was and not now:
                self.emit("webhook-response-header-became-optional", header_at, f"{label} is now optional")
            self.schema(_schema_of(header, at), _schema_of(new_header, header_at), self.reads, label)
        for key, (name, header, at) in after.items():
            if key in before:
                continue
            label = f"webhook response {status} header `{name}`"
            if header.get("required") is True:
                message = f"{label} was added as required: every handler must send it"
                self.emit("webhook-response-header-required", at, message)
            else:
                self.emit("webhook-response-header-added", at, f"{label} was added")

    # --- security: how the API authenticates its calls, which the handler checks ----------------

    def security(self) -> None:
        before, old_at = _security(self.old)
        after, at = _security(self.new)
        for names, scopes in after.items():
            # A call that carries what an old alternative needed (or more) still passes the check.
            if names in before or _covered(names, scopes, before):
                continue
            message = (
                f"the API may now authenticate with {_schemes(names)}: handlers that check the old "
                "credentials refuse it"
                if names
                else "the API may now call without credentials: handlers that check them refuse it"
            )
            self.emit("webhook-security-requirement-added", at, message)
        for names in before:
            if names not in after:
                what = f"with {_schemes(names)}" if names else "without credentials"
                message = f"the API no longer authenticates {what}"
                self.emit("webhook-security-requirement-removed", old_at if names else at, message)
                continue
            for name in sorted(names):
                fewer = sorted(before[names][name] - after[names][name])
                more = sorted(after[names][name] - before[names][name])
                if fewer:
                    message = f"`{name}` credentials may lack scope(s) {', '.join(fewer)}"
                    self.emit("webhook-security-scope-removed", at, message)
                if more:
                    message = f"`{name}` credentials now carry scope(s) {', '.join(more)}"
                    self.emit("webhook-security-scope-added", at, message)
        self.schemes(frozenset().union(*before) & frozenset().union(*after))
