"""The text-form reader gives exactly what it gave before its state machine was split into steps."""

from __future__ import annotations

import json

import pytest

from text_form_golden import GOLDEN, full_dumps, variant_digests


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, object]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_full_dumps_unchanged(golden: dict[str, dict[str, object]]) -> None:
    now = json.loads(json.dumps(full_dumps(), ensure_ascii=False, sort_keys=True))
    assert now.keys() == golden["full"].keys()
    for label, expected in golden["full"].items():
        assert now[label] == expected, label


@pytest.mark.slow
def test_seed_variants_unchanged(golden: dict[str, dict[str, object]]) -> None:
    now = variant_digests()
    changed = [k for k, v in golden["seed_variants"].items() if now.get(k) != v]
    assert not changed and now.keys() == golden["seed_variants"].keys(), changed[:20]


def test_golden_covers_repairs_and_errors(golden: dict[str, dict[str, object]]) -> None:
    seed = golden["full"]["seed"]
    assert isinstance(seed, dict) and len(seed["projects"]) == 12 and seed["repairs"]
    assert len(set(golden["seed_variants"].values())) > 100  # the variants differ from each other
    tabbed = [v for k, v in golden["full"].items() if k.startswith("corpus_tabs:") and isinstance(v, dict)]
    assert any("projects" in v for v in tabbed)  # some corpus texts read as forms once their cells are tabbed
