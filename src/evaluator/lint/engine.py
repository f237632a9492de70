"""Run every lint check over a set of declarations and keep the findings in reading order.

Inputs are whatever `read_declarations` reads; a folder means every file in it. Findings come out
by file, project, row, then severity, so lint.csv reads like the declaration it reviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.common.text import label_key
from evaluator.config.lint_rules import LintRules, load_lint_rules
from evaluator.config.profiles import Profile, load_profile
from evaluator.config.taxonomy import Taxonomy, default_taxonomy
from evaluator.grammar.declared import run_year
from evaluator.ingest.declarations import read_many_declarations
from evaluator.lint.findings import SEVERITY_ORDER, Collector, Finding, Row, rows_of
from evaluator.lint.project import check_project
from evaluator.lint.rows import check_row
from evaluator.models import Declarations, Project, TargetKind

_OTHERS_SHOWN = 3


@dataclass(frozen=True)
class LintedProject:
    file: str
    project: Project
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class LintResult:
    projects: tuple[LintedProject, ...]
    findings: tuple[Finding, ...]
    rules: LintRules
    profile_name: str = ""
    skipped: tuple[str, ...] = field(default=())  # files in a folder the reader refused, with why

    def count(self, severity: str, project: str | None = None) -> int:
        return sum(1 for f in self.findings if f.severity == severity and (project is None or f.project == project))

    def findings_of(self, item: LintedProject) -> list[Finding]:
        return [f for f in self.findings if f.project == item.project.name and f.file == item.file]


def lint_declarations(
    declarations: Iterable[Declarations],
    rules: LintRules | None = None,
    taxonomy: Taxonomy | None = None,
    profile_name: str = "",
    skipped: Sequence[str] = (),
    cost_default_op: str = "le",
) -> LintResult:
    """`cost_default_op` is the profile's policy, so targets are read as the year-end score reads them."""
    rules = rules or load_lint_rules()
    taxonomy = taxonomy or default_taxonomy()
    out = Collector(rules)
    linted: list[LintedProject] = []
    for decl in declarations:
        file = Path(decl.source_file).name if decl.source_file else ""
        year = run_year(decl)
        for project in decl.projects:
            name = file or (project.source.file if project.source else "")
            rows = rows_of(name, project, year, cost_default_op)
            for row in rows:
                check_row(row, out, taxonomy)
            check_project(name, project, rows, out)
            linted.append(LintedProject(name, project, tuple(rows)))
    _copied_across(linted, out)
    order = {(p.file, p.project.name): k for k, p in enumerate(linted)}
    findings = sorted(
        out.findings,
        key=lambda f: (
            order.get((f.file, f.project), len(order)),
            f.level1 != "",  # project-level findings first
            _line(f),
            SEVERITY_ORDER.index(f.severity),
            f.code,
        ),
    )
    return LintResult(tuple(linted), tuple(findings), rules, profile_name, tuple(skipped))


def _line(finding: Finding) -> int:
    where = finding.where
    if where is None:
        return 0
    return where.line or where.row or 0


def _copied_across(projects: list[LintedProject], out: Collector) -> None:
    """F01: the same indicator with the same target in two or more projects (a copied template)."""
    if not out.on("F01"):
        return
    by_pair: dict[tuple[str, str], list[tuple[LintedProject, Row]]] = defaultdict(list)
    for item in projects:
        for row in item.rows:
            if row.target.kind is TargetKind.NOT_APPLICABLE:  # S08 reports it; 不适用 everywhere is no template
                continue
            pair = (label_key(row.indicator.level3), label_key(row.indicator.target_text))
            if all(pair):
                by_pair[pair].append((item, row))
    for group in by_pair.values():
        names = list(dict.fromkeys(item.project.name for item, _ in group))
        if len(names) < 2:
            continue
        for item, row in group:
            others = [n for n in names if n != item.project.name]
            shown = "、".join(f"「{n}」" for n in others[:_OTHERS_SHOWN])
            if len(others) > _OTHERS_SHOWN:
                shown += f"等 {len(others)} 个项目"
            out.row(
                "F01",
                row,
                f"「{row.indicator.level3}」「{row.indicator.target_text}」与{shown}完全相同",
                advice="按本项目的内容和服务对象设定指标",
            )


def lint_paths(paths: Sequence[Path], profile: str | Path | Profile | None = None) -> LintResult:
    """Read `paths` (files or folders) and lint them with the `[lint]` rules of `profile`."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    rules = load_lint_rules(profile.lint, Path(profile.path).parent if profile.path else None)
    taxonomy = default_taxonomy()
    declarations, skipped = read_many_declarations(paths, taxonomy)
    return lint_declarations(declarations, rules, taxonomy, profile.name, skipped, profile.policies.cost_default_op)
