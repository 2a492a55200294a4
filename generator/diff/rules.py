"""Diff rules: the catalogue of changes `sdkgen diff` reports, one `Rule` each, as data."""

from __future__ import annotations

from dataclasses import dataclass, replace

BREAKING, WARNING, INFO = "breaking", "warning", "info"
SEVERITIES = (BREAKING, WARNING, INFO)


@dataclass(frozen=True)
class Rule:
    """One kind of change: a stable kebab-case id, how bad it is, and what it means.

    `docs` marks changes that only touch documentation, which alone make a patch release; `why`
    says why the rule has its severity, from what the generated SDKs do with such a change.
    """

    id: str
    severity: str
    area: str
    summary: str
    docs: bool = False
    why: str = ""


def _rules(area: str, *rows: tuple[str, str, str] | tuple[str, str, str, bool]) -> list[Rule]:
    return [Rule(row[0], row[1], area, *row[2:]) for row in rows]


# Each area reads top to bottom as "what changed"; "request" rules apply where the client writes
# (parameters, request bodies: narrowing breaks), "response" rules where it reads (widening breaks).
# A webhook swaps the sides: its payload is read by the client's handler (response rules) and its
# response written by it (request rules); its own parts have "webhook-" rules.
RULES: tuple[Rule, ...] = tuple(
    _rules(
        "operations",
        ("operation-removed", BREAKING, "An operation was removed; its SDK method disappears."),
        ("operation-added", INFO, "An operation was added."),
        (
            "path-parameter-renamed",
            BREAKING,
            "A path parameter was renamed (`/a/{id}` -> `/a/{key}`): same URL, but the SDK method's "
            "argument is renamed.",
        ),
        ("operation-id-changed", BREAKING, "The operationId changed: the SDK method is renamed."),
        (
            "operation-id-added",
            BREAKING,
            "An operationId was given where there was none: the SDK method, named from method and path "
            "before, is renamed.",
        ),
        (
            "operation-id-removed",
            BREAKING,
            "The operationId was removed: the SDK method is now named from method and path.",
        ),
        ("operation-tag-changed", WARNING, "The first tag changed: the SDK method moves to another group."),
        ("operation-deprecated", INFO, "The operation was marked deprecated."),
        ("operation-description-changed", INFO, "The operation's summary or description changed.", True),
        ("server-removed", WARNING, "A server URL was removed; the SDK's default base URL may change."),
        ("server-added", INFO, "A server URL was added."),
        (
            "webhook-removed",
            WARNING,
            "A webhook (3.1 `webhooks`) was removed: the API no longer makes that call to the client.",
        ),
        ("webhook-added", INFO, "A webhook was added."),
    )
    + _rules(
        "parameters",
        ("parameter-removed", BREAKING, "A parameter was removed; the SDK method loses the argument."),
        ("required-parameter-added", BREAKING, "A required parameter was added."),
        ("optional-parameter-added", INFO, "An optional parameter was added."),
        ("parameter-became-required", BREAKING, "An optional parameter became required."),
        ("parameter-became-optional", INFO, "A required parameter became optional."),
        (
            "parameter-location-changed",
            BREAKING,
            "A parameter moved to another location (e.g. query -> header).",
        ),
        (
            "parameter-serialization-changed",
            BREAKING,
            "A parameter's style, explode or allowReserved changed: it is sent differently.",
        ),
        (
            "parameter-default-changed",
            BREAKING,
            "A parameter's default changed: calls that omit it now get other behaviour.",
        ),
        (
            "parameter-default-removed",
            WARNING,
            "A parameter's default was removed: what the server does when it is omitted is no longer "
            "documented.",
        ),
        (
            "parameter-default-added",
            WARNING,
            "A parameter got a default: calls that omit it get the documented default.",
        ),
        ("parameter-deprecated", INFO, "A parameter was marked deprecated."),
        ("parameter-description-changed", INFO, "A parameter's description changed.", True),
    )
    + _rules(
        "request-bodies",
        ("required-request-body-added", BREAKING, "A required request body was added."),
        ("optional-request-body-added", INFO, "An optional request body was added."),
        ("request-body-removed", BREAKING, "The request body was removed."),
        ("request-body-became-required", BREAKING, "The request body became required."),
        ("request-body-became-optional", INFO, "The request body became optional."),
        ("request-media-type-removed", BREAKING, "A request media type is no longer accepted."),
        ("request-media-type-added", INFO, "A request media type is now accepted."),
        (
            "request-media-type-schema-added",
            BREAKING,
            "A request media type that had no schema now has one: its body is typed and validated.",
        ),
        (
            "request-media-type-schema-removed",
            INFO,
            "A request media type lost its schema: any body is accepted.",
        ),
    )
    + _rules(
        "responses",
        ("response-status-removed", BREAKING, "A response status code was removed."),
        (
            "response-success-status-added",
            WARNING,
            "A success (2xx) status code was added; code that expects the old one may not handle it.",
        ),
        ("response-error-status-added", INFO, "An error (non-2xx or default) status code was added."),
        ("response-media-type-removed", BREAKING, "A response media type was removed."),
        ("response-media-type-added", INFO, "A response media type was added."),
        (
            "response-media-type-schema-removed",
            BREAKING,
            "A response media type lost its schema: the SDK returns it untyped instead of as a model.",
        ),
        (
            "response-media-type-schema-added",
            WARNING,
            "A response media type that had no schema now has one: the SDK returns a model instead of "
            "untyped data.",
        ),
        ("response-header-removed", BREAKING, "A response header was removed."),
        ("response-header-added", INFO, "A response header was added."),
        ("response-header-became-optional", BREAKING, "A required response header became optional."),
        ("response-description-changed", INFO, "A response's description changed.", True),
    )
    + _rules(
        "security",
        (
            "security-requirement-removed",
            BREAKING,
            "A way to authenticate is no longer accepted (or a public operation now needs credentials).",
        ),
        ("security-requirement-added", INFO, "A new way to authenticate is accepted."),
        ("security-scope-added", BREAKING, "A security requirement needs more OAuth scopes."),
        ("security-scope-removed", INFO, "A security requirement needs fewer OAuth scopes."),
        (
            "security-scheme-changed",
            BREAKING,
            "A security scheme changed (type, scheme, location, name or flows).",
        ),
        (
            "security-scheme-removed",
            WARNING,
            "A security scheme was removed from components.securitySchemes.",
        ),
        (
            "unused-security-scheme-changed",
            INFO,
            "A security scheme that no operation uses changed.",
        ),
        ("security-scheme-added", INFO, "A security scheme was added to components.securitySchemes."),
    )
    + _rules(
        "webhooks",
        ("webhook-payload-added", INFO, "The API now sends a webhook payload where it sent none."),
        ("webhook-payload-removed", BREAKING, "The API no longer sends the webhook's payload."),
        ("webhook-payload-became-optional", BREAKING, "The API may now send the webhook without a payload."),
        ("webhook-payload-became-required", INFO, "The API now always sends the webhook's payload."),
        (
            "webhook-payload-media-type-added",
            BREAKING,
            "The API may now send the webhook payload in another media type.",
        ),
        (
            "webhook-payload-media-type-removed",
            INFO,
            "The API no longer sends the webhook payload in one of its media types.",
        ),
        (
            "webhook-payload-media-type-schema-removed",
            WARNING,
            "A webhook payload media type lost its schema: its shape is no longer documented.",
        ),
        (
            "webhook-payload-media-type-schema-added",
            INFO,
            "A webhook payload media type that had no schema now has one.",
        ),
        ("webhook-parameter-added", INFO, "The API sends the webhook with a new parameter (a header, say)."),
        ("webhook-parameter-removed", BREAKING, "The API no longer sends a required webhook parameter."),
        (
            "webhook-optional-parameter-removed",
            WARNING,
            "The API no longer sends an optional webhook parameter.",
        ),
        ("webhook-parameter-became-optional", BREAKING, "The API may now leave out a webhook parameter."),
        ("webhook-parameter-became-required", INFO, "The API now always sends a webhook parameter."),
        (
            "webhook-parameter-location-changed",
            BREAKING,
            "The API sends a webhook parameter in another location (e.g. query -> header).",
        ),
        (
            "webhook-parameter-serialization-changed",
            BREAKING,
            "The API serialises a webhook parameter differently (style, explode or allowReserved).",
        ),
        (
            "webhook-parameter-default-changed",
            WARNING,
            "A webhook parameter's default was added, removed or changed.",
        ),
        (
            "webhook-response-status-removed",
            BREAKING,
            "A status the API accepted as a webhook handler's answer is no longer expected.",
        ),
        ("webhook-response-status-added", INFO, "The API accepts another status as a handler's answer."),
        (
            "webhook-response-media-type-removed",
            BREAKING,
            "A media type the API accepted in a handler's answer is no longer accepted.",
        ),
        (
            "webhook-response-media-type-added",
            INFO,
            "The API accepts another media type in a handler's answer.",
        ),
        (
            "webhook-response-media-type-schema-added",
            WARNING,
            "A media type of a handler's answer that had no schema now has one.",
        ),
        (
            "webhook-response-media-type-schema-removed",
            INFO,
            "A media type of a handler's answer lost its schema: any body is accepted.",
        ),
        (
            "webhook-response-header-required",
            BREAKING,
            "A handler's answer must now carry a header (added as required, or became required).",
        ),
        ("webhook-response-header-added", INFO, "An optional header was added to a handler's answer."),
        ("webhook-response-header-removed", INFO, "A header of a handler's answer is no longer read."),
        (
            "webhook-response-header-became-optional",
            INFO,
            "A header a handler's answer had to carry is now optional.",
        ),
        (
            "webhook-security-requirement-added",
            BREAKING,
            "The API may now authenticate its webhook calls another way (or not at all).",
        ),
        (
            "webhook-security-requirement-removed",
            INFO,
            "The API no longer authenticates its webhook calls one of the ways it did.",
        ),
        (
            "webhook-security-scope-removed",
            BREAKING,
            "The API's webhook credentials may lack OAuth scopes they carried.",
        ),
        ("webhook-security-scope-added", INFO, "The API's webhook credentials carry more OAuth scopes."),
    )
    + _rules(
        "request-schemas",
        ("request-type-changed", BREAKING, "A request value's type changed or narrowed."),
        ("request-type-widened", INFO, "A request value accepts more types."),
        ("request-nullable-removed", BREAKING, "A request value no longer accepts null."),
        ("request-nullable-added", INFO, "A request value now accepts null."),
        ("request-format-changed", BREAKING, "A request value's format was added or changed."),
        (
            "request-format-removed",
            WARNING,
            "A request value's format was removed; the SDK's argument type may change.",
        ),
        ("request-enum-value-removed", BREAKING, "A request enum value is no longer accepted."),
        ("request-enum-value-added", INFO, "A request enum accepts a new value."),
        ("request-enum-added", BREAKING, "A request value is now restricted to an enum."),
        ("request-enum-removed", INFO, "A request value is no longer restricted to an enum."),
        ("request-property-removed", BREAKING, "A request property was removed."),
        ("request-required-property-added", BREAKING, "A required request property was added."),
        ("request-property-added", INFO, "An optional request property was added."),
        ("request-property-became-required", BREAKING, "An optional request property became required."),
        ("request-property-became-optional", INFO, "A required request property became optional."),
        (
            "request-property-became-read-only",
            BREAKING,
            "A request property became readOnly: clients can no longer send it.",
        ),
        ("request-minimum-increased", BREAKING, "A request number's minimum was raised (or added)."),
        ("request-maximum-decreased", BREAKING, "A request number's maximum was lowered (or added)."),
        ("request-min-length-increased", BREAKING, "A request string's minLength was raised (or added)."),
        ("request-max-length-decreased", BREAKING, "A request string's maxLength was lowered (or added)."),
        ("request-min-items-increased", BREAKING, "A request array's minItems was raised (or added)."),
        ("request-max-items-decreased", BREAKING, "A request array's maxItems was lowered (or added)."),
        ("request-bound-relaxed", INFO, "A request bound (min/max, length, items) was relaxed."),
        ("request-pattern-changed", BREAKING, "A request string's pattern was added or changed."),
        ("request-pattern-removed", INFO, "A request string's pattern was removed."),
        (
            "request-default-changed",
            WARNING,
            "A request default changed or was removed: clients that omit the value get other behaviour.",
        ),
        ("request-default-added", INFO, "A request value got a default."),
        (
            "request-additional-properties-restricted",
            BREAKING,
            "A request object no longer accepts additional properties.",
        ),
        (
            "request-additional-properties-allowed",
            INFO,
            "A request object now accepts additional properties.",
        ),
        ("request-union-option-removed", BREAKING, "A oneOf/anyOf option is no longer accepted in requests."),
        ("request-union-option-added", INFO, "A oneOf/anyOf option is now accepted in requests."),
        (
            "request-became-union",
            WARNING,
            "A request value (a body, say) was wrapped in a oneOf/anyOf: the old shape is still accepted.",
        ),
        (
            "request-one-of-ambiguous",
            BREAKING,
            "A request object became a oneOf in which two options take every value it took: each such "
            "value matches twice, which oneOf refuses.",
        ),
        ("request-const-changed", BREAKING, "A request value's const changed: the old value is refused."),
        (
            "request-all-of-member-added",
            WARNING,
            "A request schema composes (allOf) one more named schema: requests must match it too.",
        ),
        (
            "request-constraint-added",
            BREAKING,
            "A request value got a new or changed JSON Schema constraint: if/then/else, not, "
            "dependentRequired, dependentSchemas, contains/minContains/maxContains, prefixItems, "
            "patternProperties, propertyNames, unevaluatedProperties/Items, contentSchema, "
            "contentMediaType added; or a property of one of those subschemas.",
        ),
        ("request-constraint-removed", INFO, "A request value lost one of those constraints."),
    )
    + _rules(
        "response-schemas",
        ("response-type-changed", BREAKING, "A response value's type changed or widened."),
        ("response-type-narrowed", INFO, "A response value has fewer possible types."),
        ("response-became-nullable", BREAKING, "A response value may now be null."),
        ("response-nullable-removed", INFO, "A response value is no longer null."),
        ("response-format-changed", BREAKING, "A response value's format was removed or changed."),
        (
            "response-format-added",
            WARNING,
            "A response value got a format; the SDK's type for it may change (e.g. str -> datetime).",
        ),
        (
            "response-enum-value-added",
            WARNING,
            "A response enum has a new value; exhaustive code (match/switch) must handle it.",
        ),
        ("response-enum-value-removed", INFO, "A response enum value is no longer returned."),
        (
            "response-enum-removed",
            BREAKING,
            "A response value is no longer restricted to an enum; the SDK type becomes a plain string.",
        ),
        ("response-enum-added", INFO, "A response value is now restricted to an enum."),
        ("response-property-removed", BREAKING, "A response property was removed."),
        ("response-property-became-optional", BREAKING, "A required response property became optional."),
        ("response-property-added", INFO, "A response property was added."),
        ("response-property-became-required", INFO, "An optional response property became required."),
        (
            "response-property-became-write-only",
            BREAKING,
            "A response property became writeOnly: it is no longer returned.",
        ),
        ("response-bound-relaxed", WARNING, "A response bound (min/max, length, items) was relaxed."),
        ("response-bound-tightened", INFO, "A response bound (min/max, length, items) was tightened."),
        ("response-pattern-changed", WARNING, "A response string's pattern was removed or changed."),
        ("response-pattern-added", INFO, "A response string got a pattern."),
        ("response-default-changed", INFO, "A response value's default changed."),
        (
            "response-additional-properties-allowed",
            WARNING,
            "A response object may now have additional properties.",
        ),
        (
            "response-additional-properties-restricted",
            INFO,
            "A response object no longer has additional properties.",
        ),
        ("response-union-option-added", BREAKING, "A response value may now take a new oneOf/anyOf shape."),
        ("response-union-option-removed", INFO, "A response oneOf/anyOf option is no longer returned."),
        ("response-const-changed", WARNING, "A response value's const changed."),
        (
            "response-constraint-removed",
            WARNING,
            "A response value lost or changed a JSON Schema constraint (the keywords of "
            "request-constraint-added).",
        ),
        ("response-constraint-added", INFO, "A response value got one of those constraints."),
    )
    + _rules(
        "schemas",
        ("union-kind-changed", WARNING, "A union switched between oneOf and anyOf."),
        ("discriminator-changed", BREAKING, "A discriminator's propertyName was removed or changed."),
        ("discriminator-added", WARNING, "A union got a discriminator."),
        (
            "request-discriminator-removed",
            WARNING,
            "A request union lost its discriminator: the server tells the variants apart by shape.",
        ),
        (
            "content-encoding-changed",
            BREAKING,
            "A string's contentEncoding was added, removed or changed, or its contentMediaType changed.",
        ),
        ("discriminator-mapping-changed", WARNING, "A discriminator mapping entry was removed or changed."),
        ("all-of-member-added", INFO, "A response schema composes (allOf) one more named schema."),
        (
            "all-of-member-removed",
            WARNING,
            "A schema no longer composes (allOf) a named schema; its generated class loses that base.",
        ),
        ("schema-deprecated", INFO, "A schema or property was marked deprecated."),
        ("schema-description-changed", INFO, "A schema's or property's description changed.", True),
        ("schema-example-changed", INFO, "A schema's example(s) changed.", True),
    )
    + _rules(
        "components",
        ("schema-added", INFO, "A named schema (components.schemas) was added: a new SDK class."),
        ("schema-removed", WARNING, "A named schema was removed: its SDK class disappears."),
        (
            "schema-renamed",
            WARNING,
            "A named schema was renamed (same structure, new name): its SDK class is renamed.",
        ),
    )
)

# Why each rule has its severity, from what the generated SDKs do. The SDKs parse responses into
# typed models (pydantic, TypeScript interfaces) that keep what they do not know: unknown fields,
# enum values (enums are open) and union shapes are kept and reported to `on_unknown`, never an
# error. A value that does not fit its declared type (null, a missing required field, a string
# where a number was) does not fail the call by default either, but the field is then empty: the
# value is set aside (`mismatched_fields`, `mismatchedFields`, `ExtraFields`), or the call fails
# with strict responses. Code that reads the field gets nothing of its type: that is breaking.
# The SDKs leave unset optional arguments out of the request, so the server's defaults apply.
_WHY: dict[str, tuple[str, ...]] = {
    "Code that uses it stops working: an SDK method or argument is renamed or disappears, so "
    "TypeScript stops compiling and Python raises AttributeError or TypeError.": (
        "operation-removed",
        "path-parameter-renamed",
        "operation-id-changed",
        "operation-id-added",
        "operation-id-removed",
        "parameter-removed",
    ),
    "Only code that names the generated class (an import, isinstance, a type annotation) must change: "
    "calls and the fields they read keep working, and nothing changes on the wire.": (
        "schema-removed",
        "schema-renamed",
        "all-of-member-removed",
    ),
    "A call the SDK made before is now refused by the server, or must carry something it did not: "
    "existing code fails at runtime (a 4xx) without any change on its side. A webhook's response is "
    "judged by these rules too: the client's handler writes it, and the API may now refuse an answer "
    "it accepted before.": (
        "required-parameter-added",
        "parameter-became-required",
        "parameter-location-changed",
        "parameter-serialization-changed",
        "required-request-body-added",
        "request-body-removed",
        "request-body-became-required",
        "request-media-type-removed",
        "request-media-type-schema-added",
        "security-requirement-removed",
        "security-scope-added",
        "security-scheme-changed",
        "request-type-changed",
        "request-nullable-removed",
        "request-format-changed",
        "request-enum-value-removed",
        "request-enum-added",
        "request-property-removed",
        "request-required-property-added",
        "request-property-became-required",
        "request-property-became-read-only",
        "request-minimum-increased",
        "request-maximum-decreased",
        "request-min-length-increased",
        "request-max-length-decreased",
        "request-min-items-increased",
        "request-max-items-decreased",
        "request-pattern-changed",
        "request-additional-properties-restricted",
        "request-union-option-removed",
        "request-const-changed",
        "request-constraint-added",
        "request-one-of-ambiguous",
    ),
    "The server accepts more than before: every call the SDK makes still works.": (
        "optional-parameter-added",
        "parameter-became-optional",
        "optional-request-body-added",
        "request-body-became-optional",
        "request-media-type-added",
        "request-media-type-schema-removed",
        "security-requirement-added",
        "security-scope-removed",
        "request-type-widened",
        "request-nullable-added",
        "request-enum-value-added",
        "request-enum-removed",
        "request-property-added",
        "request-property-became-optional",
        "request-bound-relaxed",
        "request-pattern-removed",
        "request-additional-properties-allowed",
        "request-union-option-added",
        "request-constraint-removed",
    ),
    "Something new that existing code neither calls nor reads: nothing changes for it.": (
        "operation-added",
        "server-added",
        "webhook-added",
        "response-error-status-added",
        "response-media-type-added",
        "response-header-added",
        "security-scheme-added",
        "response-property-added",
        "schema-added",
        "all-of-member-added",
    ),
    "Documentation or a deprecation notice: no code or wire change.": (
        "operation-deprecated",
        "operation-description-changed",
        "parameter-deprecated",
        "parameter-description-changed",
        "response-description-changed",
        "schema-deprecated",
        "schema-description-changed",
        "schema-example-changed",
        "response-default-changed",
        "unused-security-scheme-changed",
    ),
    "A response the SDK parses into a typed model may now hold what the model does not allow (no "
    "value, null, another type or format). The SDKs do not fail the call by default, but they set such "
    "a value aside and leave the field empty (with strict responses, the call fails): code that reads "
    "the field no longer gets a value of its type, unlike a new field, which is only an extra. A "
    "webhook's payload is judged by these rules too: the client's handler reads it as it reads a "
    "response, so what the API may now send breaks handlers written for the old payload.": (
        "response-status-removed",
        "response-media-type-removed",
        "response-header-removed",
        "response-header-became-optional",
        "response-type-changed",
        "response-became-nullable",
        "response-format-changed",
        "response-enum-removed",
        "response-property-removed",
        "response-property-became-optional",
        "response-property-became-write-only",
        "response-media-type-schema-removed",
    ),
    "The client receives a subset of what it handled before: existing code keeps working.": (
        "response-type-narrowed",
        "response-nullable-removed",
        "response-enum-value-removed",
        "response-enum-added",
        "response-property-became-required",
        "response-bound-tightened",
        "response-pattern-added",
        "response-additional-properties-restricted",
        "response-union-option-removed",
        "response-constraint-added",
    ),
    "The SDKs do not check these constraints when parsing, so nothing fails; code that relied on the "
    "old guarantee (a length, a pattern, a closed object, a fixed value) may need a look.": (
        "response-bound-relaxed",
        "response-pattern-changed",
        "response-additional-properties-allowed",
        "response-constraint-removed",
        "response-const-changed",
    ),
    "A webhook reverses the sides: the API sends the call and the client's handler receives it, so "
    "what the API starts sending is what every handler must newly accept. A handler written for the "
    "old webhook gets what it cannot parse, find or verify (a new media type, a missing payload or "
    "header, credentials it does not check, a value that is sent differently), and fails with no "
    "change on its side. The SDKs generate nothing for webhooks: this is the hand-written handler.": (
        "webhook-payload-removed",
        "webhook-payload-became-optional",
        "webhook-payload-media-type-added",
        "webhook-parameter-removed",
        "webhook-parameter-became-optional",
        "webhook-parameter-location-changed",
        "webhook-parameter-serialization-changed",
        "webhook-security-requirement-added",
        "webhook-security-scope-removed",
    ),
    "The handler's answer is what the API reads: an answer it accepted before (a status, a media type, "
    "an answer without the header) is now refused, so the API may count the delivery as failed and "
    "retry it, although the handler did not change.": (
        "webhook-response-status-removed",
        "webhook-response-media-type-removed",
        "webhook-response-header-required",
    ),
    "The API sends a subset of what a handler already accepts, or accepts more from the handler: "
    "existing handlers keep working.": (
        "webhook-payload-added",
        "webhook-payload-became-required",
        "webhook-payload-media-type-removed",
        "webhook-payload-media-type-schema-added",
        "webhook-parameter-added",
        "webhook-parameter-became-required",
        "webhook-response-status-added",
        "webhook-response-media-type-added",
        "webhook-response-media-type-schema-removed",
        "webhook-response-header-added",
        "webhook-response-header-removed",
        "webhook-response-header-became-optional",
        "webhook-security-requirement-removed",
        "webhook-security-scope-added",
    ),
}
_WHY_ONE: dict[str, str] = {
    "webhook-payload-media-type-schema-removed": "The API probably sends the same payload, but its "
    "shape is no longer documented: handlers that rely on it have nothing to check it against.",
    "webhook-optional-parameter-removed": "Handlers already had to cope without an optional "
    "parameter, so none fails; but they no longer get what it carried.",
    "webhook-parameter-default-changed": "A default on a parameter the API sends says what a "
    "missing value means: handlers that apply the old meaning should follow the new one.",
    "webhook-response-media-type-schema-added": "The API may now check a handler's answer body "
    "against the schema; handlers whose answers do not fit it should be checked.",
    "response-union-option-added": "The SDKs keep a value of an unknown union shape as it came (and "
    "report it to `on_unknown`), so parsing does not fail; but code written for the old shape now "
    "gets a value without its fields (an id string where it read the object's attributes), and a "
    "TypeScript exhaustive switch stops compiling once the SDK is regenerated. What the client "
    "receives changes with no opt-in: breaking.",
    "response-enum-value-added": "The SDKs' enums are open: an unknown value is kept (`is_known` is "
    "false) and reported to `on_unknown`, never an error. Only code that matches exhaustively (a "
    "match or switch with no default branch) must handle the new value: a warning, not a break.",
    "response-success-status-added": "The SDK returns the body of any 2xx, but the new status may "
    "come with another body shape or meaning that code written for the old one does not expect.",
    "response-format-added": "The SDK's type may change with the format (a string becomes a datetime "
    "or a date), which code that read it as a string must follow after regenerating; on the wire "
    "nothing changes.",
    "response-media-type-schema-added": "The SDK now returns a typed model where it returned untyped "
    "JSON: code that indexed the raw value (`body['id']`) must use the model's attributes after "
    "regenerating; TypeScript code keeps compiling.",
    "operation-tag-changed": "The client composes every group's methods, so `client.method()` keeps "
    "working; only code that imports the group's class (`api.<tag>`) must follow the move.",
    "security-scheme-removed": "Operations that used the scheme are reported on their own "
    "(security-requirement-removed, breaking). The SDK takes one credential and the scheme only says "
    "how to send it, so the removal alone breaks no call; code that sets up credentials for it "
    "should be checked.",
    "server-removed": "The SDK's default base URL is the first server: if that one was removed, "
    "clients that do not pass a base URL call another host after regenerating.",
    "webhook-removed": "The SDKs generate nothing for webhooks (they only call the API), so no SDK "
    "code breaks; the client's webhook handlers stop receiving those calls.",
    "parameter-default-changed": "The SDK leaves an unset parameter out of the request, so the "
    "server's default is what every such call gets: the same SDK call now does something else, "
    "silently.",
    "parameter-default-removed": "The SDK leaves an unset parameter out, and what the server does "
    "then is no longer documented: it probably does the same, but nothing says so.",
    "parameter-default-added": "The SDK leaves an unset parameter out, so calls that omit it get the "
    "new documented default: usually what the server did anyway, but worth checking.",
    "request-default-changed": "The SDK sends a body property only when it is set, so calls that "
    "omit it get the server's new default; the SDK's model shows the new default after regenerating.",
    "request-default-added": "A default documents what the server does when the value is omitted; "
    "calls that set the value are unaffected.",
    "request-format-removed": "Any value is accepted now, but the SDK's argument type may change "
    "(a datetime becomes a string), which code passing a datetime must follow after regenerating.",
    "request-became-union": "The old shape is still accepted on the wire, but the SDK's type for the "
    "value becomes a union of classes: a class generated for an inline schema may be renamed, so code "
    "that built it by name may need an update after regenerating. Where a oneOf's options overlap, "
    "some old values may now fit two and be refused; when two options take every old value, that is "
    "request-one-of-ambiguous, breaking.",
    "request-all-of-member-added": "The SDK's request class gains the member's fields; new required "
    "fields are reported as breaking on their own, but other constraints of the member (a type, "
    "bounds) may now refuse requests that passed.",
    "union-kind-changed": "oneOf (exactly one option) and anyOf (at least one) validate differently; "
    "the SDKs type both as a union, so only values that match several options are affected.",
    "discriminator-changed": "The SDK picks a union's variant by the discriminator property: with "
    "another property (or none), values are decoded into other classes.",
    "discriminator-added": "The SDK now picks the variant by the property's value instead of by "
    "shape: values that matched an option by shape but carry an unmapped value decode differently, "
    "and requests must carry the property.",
    "request-discriminator-removed": "The SDK sends the variant the caller built, property and all, so "
    "every call still goes out as before; but the server now picks the variant by shape, so a value "
    "that fits two variants may be read as the other one.",
    "content-encoding-changed": "The SDKs pass such a string through as it is: a client that still "
    "encodes (or decodes) the old way sends (or reads) bytes the other side reads as something else, "
    "with no error anywhere. This holds in both directions, so it is breaking in both.",
    "discriminator-mapping-changed": "A discriminator value that named one class now names another "
    "(or none): such values decode into another class, or are kept as an unknown variant.",
}


def _with_why(rules: list[Rule]) -> tuple[Rule, ...]:
    why = {rule_id: reason for reason, ids in _WHY.items() for rule_id in ids} | _WHY_ONE
    return tuple(replace(rule, why=why.get(rule.id, "")) for rule in rules)


RULES = _with_why(list(RULES))
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry of `rule_id`; an unknown id is a bug in sdkgen, so it raises KeyError."""
    return RULES_BY_ID[rule_id]


def severity_rank(severity: str) -> int:
    """0 for breaking, 1 for warning, 2 for info: lower is worse."""
    return SEVERITIES.index(severity)
