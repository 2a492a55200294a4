"""Diff rules: the catalogue of changes `sdkgen diff` reports, one `Rule` each, as data."""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, WARNING, INFO = "breaking", "warning", "info"
SEVERITIES = (BREAKING, WARNING, INFO)


@dataclass(frozen=True)
class Rule:
    """One kind of change: a stable kebab-case id, how bad it is, and what it means.

    `docs` marks changes that only touch documentation, which alone make a patch release.
    """

    id: str
    severity: str
    area: str
    summary: str
    docs: bool = False


def _rules(area: str, *rows: tuple[str, str, str] | tuple[str, str, str, bool]) -> list[Rule]:
    return [Rule(row[0], row[1], area, *row[2:]) for row in rows]


# Each area reads top to bottom as "what changed"; "request" rules apply where the client writes
# (parameters, request bodies: narrowing breaks), "response" rules where it reads (widening breaks).
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
            WARNING,
            "An operationId was given where there was none: the SDK method, named from method and path "
            "before, is renamed.",
        ),
        (
            "operation-id-removed",
            WARNING,
            "The operationId was removed: the SDK method is now named from method and path.",
        ),
        ("operation-tag-changed", WARNING, "The first tag changed: the SDK method moves to another group."),
        ("operation-deprecated", INFO, "The operation was marked deprecated."),
        ("operation-description-changed", INFO, "The operation's summary or description changed.", True),
        ("server-removed", WARNING, "A server URL was removed; the SDK's default base URL may change."),
        ("server-added", INFO, "A server URL was added."),
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
            "A security scheme an operation uses changed (type, scheme, location, name or flows).",
        ),
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
    )
    + _rules(
        "schemas",
        ("union-kind-changed", WARNING, "A union switched between oneOf and anyOf."),
        ("discriminator-changed", BREAKING, "A discriminator's propertyName was added, removed or changed."),
        ("discriminator-mapping-changed", WARNING, "A discriminator mapping entry was removed or changed."),
        ("all-of-member-added", INFO, "A schema composes (allOf) one more named schema."),
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

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry of `rule_id`; an unknown id is a bug in sdkgen, so it raises KeyError."""
    return RULES_BY_ID[rule_id]


def severity_rank(severity: str) -> int:
    """0 for breaking, 1 for warning, 2 for info: lower is worse."""
    return SEVERITIES.index(severity)
