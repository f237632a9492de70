"""The lint rules file and a profile's [lint] section are validated on load, with Chinese messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from evaluator.common.resources import rules_dir
from evaluator.config.lint_rules import LintSettings, lint_rules_from_data, load_lint_rules
from evaluator.config.profiles import bundled_profiles, load_profile
from evaluator.errors import EvaluatorError
from evaluator.lint.engine import lint_paths


def bundled_data() -> dict:
    return tomllib.loads((rules_dir() / "lint.toml").read_text(encoding="utf-8"))


def test_lint_file_is_not_a_scoring_profile() -> None:
    assert "lint" not in bundled_profiles()


def test_profiles_name_the_lint_rules() -> None:
    assert load_profile("mof2020").lint.rules == "lint"
    assert load_profile("hubei").lint.rules == "lint"  # inherited through base


def test_unknown_check_code_in_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('base = "mof2020"\nname = "p"\n[lint.checks.X99]\nenabled = false\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match="未知的审核代码"):
        load_profile(path)


def test_bad_severity_in_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('base = "mof2020"\nname = "p"\n[lint.checks.S04]\nseverity = "P4"\n', encoding="utf-8")
    with pytest.raises(EvaluatorError, match=r"lint\.checks\.S04\.severity"):
        load_profile(path)


def test_profile_switch_and_severity_reach_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'base = "mof2020"\nname = "local"\n[lint.checks.S04]\nenabled = false\n[lint.checks.S03]\nseverity = "P2"\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    rules = load_lint_rules(profile.lint, path.parent)
    assert not rules.enabled("S04") and rules.rule("S03").severity == "P2"
    assert load_lint_rules().rule("S03").severity == "P1"


def test_profile_may_name_its_own_rules_file(tmp_path: Path) -> None:
    data = (rules_dir() / "lint.toml").read_text(encoding="utf-8")
    (tmp_path / "my_lint.toml").write_text(data.replace('"进一步",', '"进一步", "力争",'), encoding="utf-8")
    profile = tmp_path / "p.toml"
    profile.write_text('base = "mof2020"\nname = "local"\n[lint]\nrules = "my_lint.toml"\n', encoding="utf-8")
    rules = load_lint_rules(load_profile(profile).lint, tmp_path)
    assert "力争" in rules.words.vague and rules.path.endswith("my_lint.toml")


def test_missing_check_in_rules_file() -> None:
    data = bundled_data()
    del data["checks"]["M03"]
    with pytest.raises(EvaluatorError, match=r"缺少审核项 \['M03'\]"):
        lint_rules_from_data(data, Path("lint.toml"))


def test_unknown_key_and_bad_regex_are_named() -> None:
    data = bundled_data()
    data["checks"]["M03"]["weight"] = 3
    with pytest.raises(EvaluatorError, match=r"checks\.M03\.weight") as err:
        lint_rules_from_data(data, Path("lint.toml"))
    assert "未知的键" in str(err.value) and "lint.toml" in str(err.value)
    data = bundled_data()
    data["words"]["placeholder_patterns"] = ["(unclosed"]
    with pytest.raises(EvaluatorError, match="正则表达式"):
        lint_rules_from_data(data, Path("lint.toml"))


def test_missing_rules_file_is_named() -> None:
    with pytest.raises(EvaluatorError, match="未找到绩效目标审核规则「nope」"):
        load_lint_rules(LintSettings(rules="nope"))


def test_lint_paths_uses_the_profile(seed_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('base = "mof2020"\nname = "local"\n[lint.checks.S04]\nenabled = false\n', encoding="utf-8")
    assert not [f for f in lint_paths([seed_path], path).findings if f.code == "S04"]
    assert [f for f in lint_paths([seed_path]).findings if f.code == "S04"]
