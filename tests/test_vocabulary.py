"""The achievement vocabulary: table of answers → tier, including the traps the order of checks guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.config.vocabulary import classify_text, load_vocabulary
from evaluator.errors import EvaluatorError
from evaluator.models import Tier

A, P, N = Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", A), ("否", N), ("有", A), ("无", N), ("没有", N),
        ("完成", A), ("已完成", A), ("未完成", N), ("没有完成", N), ("基本完成", P), ("部分完成", P),
        ("及时", A), ("不及时", N), ("健全", A), ("不健全", N), ("机制健全", A), ("较为完善", P),
        ("达成", A), ("部分达成", P), ("未达成", N), ("达成预期指标", A), ("未达标", N),
        ("不断提升", A), ("有效提升", A), ("一般", P), ("较好", P), ("有待提高", P), ("无效", N),
        ("件件有回音", A), ("退休职工得益面广", A), ("未发生安全事故", A), ("合规", A), ("不合规", N),
        ("已开展", A), ("未开展", N), ("未发放", N), ("按时报送", A), ("正在开展", P), ("正在研究制定考核办法", None),
        ("  已 完成。", A), ("ｙｅｓ?", None), ("天气晴朗", None), ("", None), ("   ", None),
    ],
)  # fmt: skip
def test_answers_map_to_tiers(text: str, expected: Tier | None) -> None:
    assert classify_text(text) is expected


# Words seen in published 自评表 (issue 11), each with its opposite so the list is tested both ways.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("基本达到", P), ("达到", A), ("未达到", N), ("基本达到预期目标", P),
        ("基本实现", P), ("实现", A), ("未实现", N),
        ("效果显著", A), ("效果不显著", N), ("成效明显", A), ("成效不明显", N),
        ("显著提升", A), ("未提升", N), ("基本提升", P),
    ],
)  # fmt: skip
def test_words_from_real_tables(text: str, expected: Tier) -> None:
    assert classify_text(text) is expected


VOCABULARY = load_vocabulary()


def test_every_achievement_word_and_its_negation_and_its_hedge() -> None:
    """Every entry of [achieved].words reads as 达成, with 未 in front as 未达成, with 基本 as 部分达成
    (words that already carry a non-negating 无/未, such as 未发生, are exempt from the last two)."""
    wrong: list[tuple[str, Tier | None, Tier]] = []
    for word in VOCABULARY.achieved_words:
        checks = [(word, A)]
        if not any(phrase in word for phrase in VOCABULARY.not_negations):
            checks += [("未" + word, N), ("基本" + word, P)]
        wrong += [
            (text, VOCABULARY.classify(text), want) for text, want in checks if VOCABULARY.classify(text) is not want
        ]
    assert not wrong


@pytest.mark.parametrize(
    ("words", "tier"),
    [
        (VOCABULARY.achieved_exact, A),
        (VOCABULARY.partial_exact, P),
        (VOCABULARY.partial_words, P),
        (VOCABULARY.not_exact, N),
        (VOCABULARY.not_words, N),
    ],
)
def test_every_listed_answer_reads_as_its_tier(words, tier: Tier) -> None:
    assert {w: VOCABULARY.classify(w) for w in words} == {w: tier for w in words}


def test_prefix_lists_both_ways() -> None:
    for prefix in VOCABULARY.partial_prefixes:
        assert VOCABULARY.classify(prefix + "完成") is P, prefix
    for negation in VOCABULARY.negations:
        assert VOCABULARY.classify(negation + "完成") is N, negation
    for phrase in VOCABULARY.not_negations:  # 不断提升: a 不 that does not negate
        assert VOCABULARY.classify(phrase + "提升") is A, phrase
    assert VOCABULARY.classify("不提升") is N  # … while a plain 不 does


def test_complete_words_both_ways() -> None:
    for word in VOCABULARY.complete_words:
        assert VOCABULARY.means_all("做到" + word), word
    assert not VOCABULARY.means_all("及时")


def test_text_equal_to_the_target_is_achieved() -> None:
    assert classify_text("天气晴朗") is None
    assert classify_text("天气 晴朗", "天气晴朗") is A


def test_bad_vocabulary_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.toml"
    bad.write_text('[achieved]\nexact = ["是"]\nwordz = ["完成"]\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="未知的键"):
        load_vocabulary(bad)
    bad.write_text('[achieved]\nexact = "是"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match=r"\[achieved\]\.exact"):
        load_vocabulary(bad)
    bad.write_text("[nonsense]\n", encoding="utf-8")
    with pytest.raises(EvaluatorError, match="未知的节"):
        load_vocabulary(bad)
