"""The bundled sample's row results, project results and 自评表 cells, as text, for the byte-identity test.

Speed work on the scoring core must not change a single output byte. `python3 tests/golden/sample_outputs.py`
rewrites the golden files from the current code: run it only when an output change is intended,
and say so in the commit.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = {
    "scores": HERE / "sample_scores.csv",
    "projects": HERE / "sample_projects.csv",
    "self_evaluation": HERE / "sample_self_evaluation.txt",
}


def _csv_bytes(frame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _self_evaluation_text(run) -> bytes:
    """Every non-empty cell of every project's 自评表: sheet, cell, value (repr) and number format."""
    from evaluator.reports.self_evaluation import build_self_evaluation_workbook

    lines = []
    for project in run.projects:
        wb = build_self_evaluation_workbook(project, run.year)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        lines.append(
                            f"{project.project.name}|{ws.title}|{cell.coordinate}|{cell.value!r}|{cell.number_format}"
                        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def sample_outputs() -> dict[str, bytes]:
    from evaluator.api import score
    from evaluator.common.resources import sample_inputs_dir

    base = sample_inputs_dir()
    evaluation = score(base / "shanghai_ftu_2024_targets.txt", base / "实际完成值_样例.xlsx")
    return {
        "scores": _csv_bytes(evaluation.scores),
        "projects": _csv_bytes(evaluation.projects),
        "self_evaluation": _self_evaluation_text(evaluation.run),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    for name, data in sample_outputs().items():
        GOLDEN[name].write_bytes(data)
        print(f"{GOLDEN[name]}: {len(data):,} bytes")
