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
)
def test_answers_map_to_tiers(text: str, expected: Tier | None) -> None:
    assert classify_text(text) is expected


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
