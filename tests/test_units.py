"""The unit registry: every unit word people write, mismatches refused, conversions from pint."""

from __future__ import annotations

import itertools
import math
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.errors import EvaluatorError
from evaluator.grammar.units import (
    UnitMismatchError,
    UnknownUnitError,
    conversion_factor,
    display_unit,
    get_registry,
    to_base,
)

# word as written → (multiplier, canonical name)
UNIT_WORDS: list[tuple[str, float, str]] = [
    ("个", 1, "个"),
    ("件", 1, "个"),
    ("台", 1, "个"),
    ("套", 1, "个"),
    ("只", 1, "个"),
    ("%", 1, "%"),
    ("％", 1, "%"),
    ("百分比", 1, "%"),
    ("百分点", 1, "%"),
    ("‰", 0.1, "%"),
    ("倍", 1, "倍"),  # ≥2倍 is 2 times, not 200%
    ("粒", 1, "粒"),
    ("万粒", 1e4, "粒"),
    ("头", 1, "头"),
    ("万头", 1e4, "头"),
    ("美元", 1, "美元"),
    ("万美元", 1e4, "美元"),
    ("元/人*月", 1, "元/人·月"),
    ("元/人·月", 1, "元/人·月"),
    ("人次", 1, "人次"),
    ("万人次", 1e4, "人次"),
    ("人", 1, "人"),
    ("名", 1, "人"),
    ("万人", 1e4, "人"),
    ("场", 1, "场"),
    ("场次", 1, "场"),
    ("户", 1, "户"),
    ("项", 1, "项"),
    ("集", 1, "集"),
    ("次", 1, "次"),
    ("期", 1, "期"),
    ("班", 1, "班"),
    ("篇", 1, "篇"),
    ("本", 1, "本"),
    ("册", 1, "本"),
    ("家", 1, "家"),
    ("所", 1, "所"),
    ("分", 1, "分"),
    ("天", 1, "天"),
    ("日", 1, "天"),
    ("工作日", 1, "天"),
    ("小时", 1, "小时"),
    ("月", 1, "月"),
    ("个月", 1, "月"),
    ("年", 1, "年"),
    ("元", 1, "元"),
    ("万元", 1e4, "元"),
    ("亿元", 1e8, "元"),
    ("千元", 1e3, "元"),
    ("百万元", 1e6, "元"),
    ("米", 1, "米"),
    ("公里", 1, "公里"),
    ("千米", 1, "公里"),
    ("km", 1, "公里"),
    ("平方米", 1, "平方米"),
    ("㎡", 1, "平方米"),
    ("m2", 1, "平方米"),
    ("亩", 1, "亩"),
    ("吨", 1, "吨"),
    ("公斤", 1, "千克"),
    ("千克", 1, "千克"),
    ("元/人", 1, "元/人"),
    ("万元/人", 1e4, "元/人"),
    ("个人", 1, "人"),  # the classifier 个 before a unit word carries no meaning
]


@pytest.mark.parametrize(("word", "factor", "canonical"), UNIT_WORDS)
def test_unit_words_resolve_to_their_canonical_unit(word: str, factor: float, canonical: str) -> None:
    got_factor, got_canonical = to_base(word)
    assert got_canonical == canonical
    assert math.isclose(got_factor, factor, rel_tol=1e-12)


# Each counting family is its own dimension: no count converts into another.
COUNT_FAMILIES = ["人", "人次", "个", "场", "户", "项", "集", "次", "期", "班", "篇", "本", "家", "所", "分", "元"]
COUNT_FAMILIES += ["头", "粒", "美元"]


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(COUNT_FAMILIES, 2)))
def test_counting_families_never_convert(a: str, b: str) -> None:
    with pytest.raises(UnitMismatchError):
        conversion_factor(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("人", "人次"), ("个", "场"), ("天", "月"), ("分", "分钟"), ("元/人", "元"), ("%", "人"), ("平方米", "米")],
)
def test_mismatch_names_both_units(a: str, b: str) -> None:
    with pytest.raises(UnitMismatchError) as caught:
        conversion_factor(a, b)
    message = str(caught.value)
    assert f"「{a}」" in message and f"「{b}」" in message
    assert isinstance(caught.value, EvaluatorError)
    assert (caught.value.from_unit, caught.value.to_unit) == (a, b)


@pytest.mark.parametrize("word", ["xx", "篇章", "区", "百分", "千分", "万", "万%", "3人", "人 次", "meter", "个区"])
def test_unknown_word_is_refused_and_named(word: str) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        to_base(word)
    assert f"无法识别的计量单位「{word}」" == str(caught.value)
    assert caught.value.word == word


def test_dotted_spelling_of_a_known_unit_is_that_unit() -> None:
    assert to_base("人·次") == (1.0, "人次")
    assert to_base("人*天") == (1.0, "人天")
    assert to_base("元/人·次") == (1.0, "元/人·次")


@pytest.mark.parametrize(("a", "b"), [("头", "只"), ("美元", "元"), ("万美元", "万元"), ("欧元", "美元"), ("粒", "个")])
def test_livestock_grains_and_foreign_currencies_are_families_of_their_own(a: str, b: str) -> None:
    """头 is not 只 and no exchange rate is ever assumed: both are mismatches for a person to resolve."""
    with pytest.raises(UnitMismatchError):
        conversion_factor(a, b)


def test_unknown_part_of_a_compound_is_the_part_named() -> None:
    with pytest.raises(UnknownUnitError, match="「区」"):
        to_base("元/区")


@pytest.mark.parametrize(
    ("a", "b", "factor"),
    [
        ("公里", "米", 1000),
        ("小时", "分钟", 60),
        ("天", "小时", 24),
        ("年", "月", 12),
        ("季度", "月", 3),
        ("亩", "平方米", 10000 / 15),
        ("公顷", "亩", 15),
        ("吨", "千克", 1000),
        ("万元", "元", 1e4),
        ("元", "万元", 1e-4),
        ("百分比", "%", 1),
        ("元/人", "万元/人", 1e-4),
        ("人次", "人次", 1),
        ("倍", "%", 100),
        ("%", "倍", 0.01),
        ("万美元", "美元", 1e4),
    ],
)
def test_conversion_factors_come_out_of_pint(a: str, b: str, factor: float) -> None:
    assert math.isclose(conversion_factor(a, b), factor, rel_tol=1e-12)


def test_conversion_of_unknown_word_is_unknown_not_mismatch() -> None:
    with pytest.raises(UnknownUnitError):
        conversion_factor("xx", "xx")
    with pytest.raises(UnknownUnitError):
        conversion_factor("人", "xx")


def test_one_registry_built_only_from_the_shipped_file() -> None:
    assert get_registry() is get_registry()
    definitions = resources.files("evaluator.grammar").joinpath("units.txt")
    assert definitions.is_file()
    # Nothing from pint's default registry: an English unit name is unknown here.
    with pytest.raises(UnknownUnitError):
        to_base("meter")


def test_display_unit() -> None:
    assert display_unit(None) == ""
    assert display_unit("%") == "%"
    assert display_unit("percent") == "%"
    assert display_unit("人次") == "人次"


PREFIXES = {"万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}
SCALABLE = ["人次", "人", "元", "个", "场", "户", "次", "千瓦时"]


@given(st.sampled_from(sorted(PREFIXES)), st.sampled_from(SCALABLE))
def test_prefixes_scale_like_arithmetic(prefix: str, unit: str) -> None:
    base_factor, canonical = to_base(unit)
    factor, prefixed_canonical = to_base(prefix + unit)
    assert prefixed_canonical == canonical
    assert math.isclose(factor, PREFIXES[prefix] * base_factor, rel_tol=1e-12)


LENGTHS = ["米", "公里", "厘米", "毫米"]
DURATIONS = ["天", "小时", "分钟", "秒", "周"]


@given(st.sampled_from([LENGTHS, DURATIONS]).flatmap(lambda units: st.tuples(*[st.sampled_from(units)] * 3)))
def test_conversions_compose_and_invert(units: tuple[str, str, str]) -> None:
    a, b, c = units
    assert math.isclose(conversion_factor(a, b) * conversion_factor(b, a), 1.0, rel_tol=1e-12)
    assert math.isclose(conversion_factor(a, b) * conversion_factor(b, c), conversion_factor(a, c), rel_tol=1e-12)


UNIT_ALPHABET = "人次个场元分天日月年米平方亩吨万亿千百十%‰/·*kmgtL2 "


@given(st.text(alphabet=UNIT_ALPHABET, max_size=8))
def test_to_base_answers_or_refuses_but_never_crashes(word: str) -> None:
    try:
        factor, canonical = to_base(word)
    except UnknownUnitError as err:
        assert err.word == word or err.word in word
    else:
        assert factor > 0 and canonical
