"""Unit tests of the TypeScript view's check expressions (`CheckPrinter`): what the generated
`fits<Model>` functions of `src/schema.ts` test, and that they stay plain and safe. That they agree
with the runtime's walk is shown on generated values in tests/conformance/test_fast_check.py."""

from __future__ import annotations

from generator.model.ir import (
    AnyType,
    ArrayType,
    EnumIR,
    EnumRef,
    MapType,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionType,
)
from generator.render.languages.typescript import CheckPrinter, any_of, negated

STRING, NUMBER = Primitive("string"), Primitive("number")
NAMES = {"Cat": "Cat", "Dog": "Dog"}
CHECKS = CheckPrinter(
    NAMES, {"Kind": EnumIR("Kind", ["a", "b"]), "Level": EnumIR("Level", [1, 2], base="integer")}
)


def fits(type_ref: TypeRef) -> str:
    return CHECKS.fits(type_ref, "x")


def test_leaves_test_their_javascript_type() -> None:
    assert fits(STRING) == 'typeof x === "string"'
    assert fits(Primitive("integer")) == 'typeof x === "number"'
    assert fits(EnumRef("Kind")) == 'typeof x === "string"'
    assert fits(EnumRef("Level")) == 'typeof x === "number"'
    assert fits(AnyType()) == "true"
    assert fits(ModelRef("Cat")) == "fitsCat(x)"


def test_containers_check_their_items_only_when_an_item_can_fail() -> None:
    assert fits(ArrayType(AnyType())) == "Array.isArray(x)"
    assert fits(MapType(AnyType())) == "isRecord(x)"
    assert fits(ArrayType(ArrayType(NUMBER))) == (
        '(Array.isArray(x) && x.every((i0: any) => (Array.isArray(i0) && i0.every((i1: any) => typeof i1 === "number"))))'
    )
    assert (
        fits(MapType(ModelRef("Dog"))) == "(isRecord(x) && Object.values(x).every((i0: any) => fitsDog(i0)))"
    )
    assert fits(Nullable(AnyType())) == "true"
    assert fits(Nullable(STRING)) == '(x === null || typeof x === "string")'


def test_a_union_of_leaves_fits_anything_and_repeated_shapes_are_tested_once() -> None:
    # A value of none of the shapes is an unknown variant (kept); of one of them, it fits.
    assert fits(UnionType((STRING, Primitive("string", "date-time"), EnumRef("Kind")))) == "true"
    assert fits(UnionType((STRING, ModelRef("Cat")))) == (
        '(!(typeof x === "string" || isRecord(x)) || typeof x === "string" || fitsCat(x))'
    )
    assert fits(UnionType((ModelRef("Cat"), ModelRef("Dog")))) == "(!isRecord(x) || fitsCat(x) || fitsDog(x))"


def test_a_discriminated_union_checks_the_variant_its_tag_names() -> None:
    union = UnionType((ModelRef("Cat"), ModelRef("Dog")), "kind", (('c"at', "#/components/schemas/Cat"),))
    assert fits(union) == (
        '(isRecord(x) && typeof x["kind"] === "string" ? (x["kind"] === "c\\"at" ? fitsCat(x) : '
        'x["kind"] === "Dog" ? fitsDog(x) : true) : (!isRecord(x) || fitsCat(x) || fitsDog(x)))'
    )


def test_negation_reads_as_written_by_hand() -> None:
    assert negated('typeof x === "string"') == 'typeof x !== "string"'
    assert negated("x === null") == "x !== null"
    assert negated("fitsCat(x)") == "!fitsCat(x)"
    assert negated('(x === null || typeof x === "string")') == '!(x === null || typeof x === "string")'
    assert negated("(a(x)) || (b(x))") == "!((a(x)) || (b(x)))"  # not one group: parenthesised whole
    assert negated('(x === ")") || y') == '!((x === ")") || y)'  # a parenthesis in a string is text
    assert any_of(["a", "b", "a"]) == "(a || b)" and any_of(["a", "true"]) == "true"
