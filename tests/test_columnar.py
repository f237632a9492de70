"""The columnar scoring core gives the scalar path's records, field for field (issue 15, item 3).

Both paths run inside `evaluate()` on the bundled sample, on every corpus table (published actuals
as the actuals), and on small generated portfolios, under the bundled profiles and under policy
variants that send rows or whole projects to the fallback (equal_branch, deviation deduction,
ratio reverse, a fixed 成本指标 share, as-given weights). RunResult is a tree of frozen
dataclasses, so `==` compares every row's text, flags, weights, scores and every project total.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from evaluator import pipeline
from evaluator.common.resources import sample_inputs_dir
from evaluator.config.profiles import Profile, load_profile
from evaluator.errors import EvaluatorError
from evaluator.ingest.actuals_workbook import read_actuals_workbook
from evaluator.ingest.declarations import read_declarations
from evaluator.ingest.self_evaluation import actuals_of
from evaluator.models import Actuals, Declarations, RunResult
from evaluator.scoring import core
from evaluator.scoring.columnar import _vector_mode
from evaluator.scoring.plan import M_NONE

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from portfolio_gen import generate, write_actuals, write_targets  # noqa: E402

from audit_corpus import CORPUS, corpus_declarations  # noqa: E402

PROFILES_DIR = HERE / "profiles"


def _variant(base: Profile, **changes: object) -> Profile:
    return base.model_copy(update={"policies": base.policies.model_copy(update=changes)})


@cache
def _profiles() -> dict[str, Profile]:
    mof = load_profile(None)
    return {
        "mof2020": mof,
        "hubei": load_profile("hubei"),
        "forfeit_branch": load_profile(PROFILES_DIR / "forfeit_branch.toml"),
        "strict_bands": load_profile(PROFILES_DIR / "strict_bands.toml"),
        "deviation": _variant(mof, overachieve_deduction="deviation"),
        "ratio": _variant(mof, reverse="ratio"),
        "cost_fixed": _variant(mof, cost_points=10.0),
        "as_given": _variant(mof, weights_not_100="as_given", missing_category="forfeit"),
    }


def _both(decl: Declarations, actuals: Actuals, profile: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths, the same RunResult — or the same refusal (a row whose levels name no category)."""
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "score_projects", lambda inputs, p: core.score_projects(inputs, p, columnar=False))
        try:
            scalar: RunResult | None = pipeline.evaluate(decl, actuals, profile)
        except EvaluatorError as refused:
            scalar, refusal = None, str(refused)
    if scalar is None:
        with pytest.raises(EvaluatorError) as again:
            pipeline.evaluate(decl, actuals, profile)
        assert str(again.value) == refusal
        return
    columnar = pipeline.evaluate(decl, actuals, profile)
    for ref, got in zip(scalar.projects, columnar.projects, strict=True):
        for ref_row, got_row in zip(ref.rows, got.rows, strict=True):
            assert got_row == ref_row, f"{ref.project.name} / {ref_row.level3}"
        assert got == ref, ref.project.name
    assert columnar == scalar


@pytest.fixture(scope="module")
def sample() -> tuple[Declarations, Actuals]:
    base = sample_inputs_dir()
    decl = read_declarations(base / "shanghai_ftu_2024_targets.txt")
    return decl, read_actuals_workbook(base / "实际完成值_样例.xlsx")


@pytest.mark.parametrize("name", sorted(_profiles()))
def test_the_sample_scores_the_same_on_both_paths(sample, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _both(*sample, _profiles()[name], monkeypatch)


def _corpus_ids() -> list[str]:
    out = []
    for meta in sorted(CORPUS.glob("*/meta.toml")):
        if "[[projects.rows]]" in meta.read_text(encoding="utf-8"):
            out.append(meta.parent.name)
    return out


@pytest.mark.parametrize("fixture", _corpus_ids())
def test_every_corpus_table_scores_the_same_on_both_paths(fixture: str, monkeypatch: pytest.MonkeyPatch) -> None:
    decl = corpus_declarations(fixture)
    for profile in _profiles().values():
        _both(decl, actuals_of(decl), profile, monkeypatch)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Declarations, Actuals]]:
    """Two seeded portfolios (≈600 rows each) written as the engine's workbooks and read back."""
    out = []
    for seed in (3, 11):
        folder = tmp_path_factory.mktemp(f"portfolio{seed}")
        projects = list(generate(600, seed))
        write_targets(projects, folder / "targets.xlsx")
        write_actuals(projects, folder / "actuals.xlsx")
        out.append((read_declarations(folder / "targets.xlsx"), read_actuals_workbook(folder / "actuals.xlsx")))
    return out


@pytest.mark.parametrize("name", sorted(_profiles()))
def test_generated_portfolios_score_the_same_on_both_paths(generated, name: str, monkeypatch) -> None:
    for decl, actuals in generated:
        _both(decl, actuals, _profiles()[name], monkeypatch)


def test_the_columns_take_most_generated_rows(generated) -> None:
    """The comparison above must exercise the columns, not only the fallback."""
    decl, actuals = generated[0]
    inputs: list = []
    original = pipeline.score_projects
    try:
        pipeline.score_projects = lambda given, p: inputs.extend(given) or original(given, p)
        pipeline.evaluate(decl, actuals, load_profile(None))
    finally:
        pipeline.score_projects = original
    modes = Counter(_vector_mode(row, False) != M_NONE for project in inputs for row in project.rows)
    assert modes[True] > 2 * modes[False], modes
