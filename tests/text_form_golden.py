"""Dump what `parse_declarations_text` makes of a set of texts, so a refactor can be checked byte for byte.

Why: the reader's output is more than the rows the seed tests pin — the text, order and source line of every
Repair, each error message. The golden file was written with the reader as it stood before its state machine
was split into steps; `python3 tests/text_form_golden.py` rewrites it (only do that for an intended change).

Texts: the seed, every corpus `source.txt` (read directly, even those the router sends elsewhere) as it is and
with its `|` separators turned into tabs, and the seed with each one of its lines dropped or doubled, which walks
the reader through its repair and error paths.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "inputs" / "shanghai_ftu_2024_targets.txt"
CORPUS = ROOT / "tests" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "text_form.json"


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def dump(text: str, file: str) -> object:
    """The Declarations as plain data, or the error the reader raised (type, message, source, value)."""
    from evaluator.errors import EvaluatorError
    from evaluator.ingest.text_form import parse_declarations_text

    try:
        decl = parse_declarations_text(text, file)
    except EvaluatorError as exc:
        return {"error": type(exc).__name__, "str": str(exc), "source": _plain(exc.source), "value": repr(exc.value)}
    return _plain(decl)


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def seed_variants() -> list[tuple[str, str]]:
    """(label, text): the seed with line i dropped, and with line i doubled."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(len(lines)):
        out.append((f"drop:{i + 1}", "\n".join(lines[:i] + lines[i + 1 :])))
        out.append((f"double:{i + 1}", "\n".join(lines[: i + 1] + lines[i:])))
    return out


def full_dumps() -> dict[str, object]:
    full = {"seed": dump(SEED.read_text(encoding="utf-8"), SEED.name)}
    for source in sorted(CORPUS.glob("*/source.txt")):
        text = source.read_text(encoding="utf-8")
        full[f"corpus:{source.parent.name}"] = dump(text, "source.txt")
        full[f"corpus_tabs:{source.parent.name}"] = dump(text.replace("|", "\t"), "source.txt")
    return full


def variant_digests() -> dict[str, str]:
    return {label: _digest(dump(text, SEED.name)) for label, text in seed_variants()}


def current() -> dict[str, object]:
    return {"full": full_dumps(), "seed_variants": variant_digests()}


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    GOLDEN.write_text(json.dumps(current(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
