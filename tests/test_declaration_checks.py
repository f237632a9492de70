"""Control characters in a declaration: the one search over distinct values decides as the record pass does."""

from __future__ import annotations

import dataclasses

import pytest

from evaluator.ingest import declaration_checks
from evaluator.ingest.declaration_checks import check_declarations
from evaluator.models import Declarations, Indicator, Project, SourceRef


def _declaration(**changes: str) -> Declarations:
    """Two projects of three indicators each (invented); `changes` puts one text into the last indicator
    (`indicator_<field>`) or project (`project_<field>`)."""
    projects = []
    for p in range(2):
        rows = [SourceRef("t.xlsx", row=2 + k) for k in range(3)]
        indicators = tuple(Indicator("产出指标", "数量指标", f"指标{k}", "≥10(个)", 20.0, rows[k]) for k in range(3))
        where = SourceRef("t.xlsx", row=p)
        projects.append(Project(f"项目{p}", department="某局", indicators=indicators, source=where))
    for key, text in changes.items():
        kind, name = key.split("_", 1)
        last = projects[-1]
        if kind == "indicator":
            indicators = (*last.indicators[:-1], dataclasses.replace(last.indicators[-1], **{name: text}))
            projects[-1] = dataclasses.replace(last, indicators=indicators)
        else:
            projects[-1] = dataclasses.replace(last, **{name: text})
    return Declarations(tuple(projects), source_file="t.xlsx")


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"indicator_target_text": "≥10\x1b(个)"},
        {"indicator_deviation_reason": "原因\x07"},
        {"indicator_published_actual": "\x0012"},
        {"project_department": "某\x1b局"},
        {"project_annual_goal": "目标\x7f"},
        {"indicator_level3": "指标\t名称\n"},  # tab and line breaks are no control characters here
    ],
)
def test_the_quick_search_decides_as_the_record_by_record_pass(
    changes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    decl = _declaration(**changes)
    quick = check_declarations(decl, "t.xlsx")
    monkeypatch.setattr(declaration_checks, "_no_control_text", lambda decl: False)
    slow = check_declarations(decl, "t.xlsx")
    assert quick == slow
    cleaned = any("\x1b" in v or "\x07" in v or "\x00" in v or "\x7f" in v for v in changes.values())
    assert (quick is decl) == (not cleaned)
    assert len(quick.repairs) == int(cleaned)
