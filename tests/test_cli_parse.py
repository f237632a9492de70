from __future__ import annotations

from pathlib import Path

from evaluator.ingest.targets_workbook import read_targets_workbook


def test_parse_seed_writes_workbook_and_report(run_cli, seed_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "result" / "targets.xlsx"
    result = run_cli("parse", seed_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "12 个项目" in result.stdout and "125 个三级指标" in result.stdout
    assert "困难职工帮扶专项资金：13 个指标" in result.stdout
    assert "未能归入 0 行" in result.stdout

    decl = read_targets_workbook(out)
    assert len(decl.projects) == 12
    assert decl.projects[10].name == "上海职工公共文化活动项目经费"
    assert len(decl.projects[10].indicators) == 17

    report = out.with_name("targets_解析报告.md")
    text = report.read_text(encoding="utf-8")
    assert "# 绩效目标解析报告" in text
    assert "shanghai_ftu_2024_targets.txt 第53行" in text and "贝里顶外" in text
    assert "shanghai_ftu_2024_targets.txt 第321行" in text and "双星指标" in text
    assert "未能归入的行" in text
    assert sorted(p.name for p in out.parent.iterdir()) == ["targets.xlsx", "targets_解析报告.md"]


def test_parse_default_output_goes_to_outputs(run_cli, seed_path: Path, tmp_path: Path) -> None:
    result = run_cli("parse", seed_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = tmp_path / "outputs" / "shanghai_ftu_2024_targets_targets.xlsx"
    assert workbook.exists()
    assert (tmp_path / "outputs" / "shanghai_ftu_2024_targets_targets_解析报告.md").exists()


def test_parse_workbook_input(run_cli, seed_path: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.xlsx"
    assert run_cli("parse", seed_path, "-o", first).returncode == 0
    second = tmp_path / "b.xlsx"
    result = run_cli("parse", first, "-o", second)
    assert result.returncode == 0, result.stderr
    assert "修复 0 处" in result.stdout
    assert len(read_targets_workbook(second).projects) == 12


def test_parse_bad_file_fails_in_chinese_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff")
    out = tmp_path / "out" / "t.xlsx"
    result = run_cli("parse", bad, "-o", out)
    assert result.returncode != 0
    assert "错误" in result.stderr and "bad.txt" in result.stderr and "不是文本文件" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and not out.with_name("t_解析报告.md").exists()


def test_parse_form_without_indicators_fails(run_cli, tmp_path: Path) -> None:
    text = "财政项目支出绩效目标申报表\n(2024年度)\n项目名称\t甲项目\t项目性质\t其他\n"
    bad = tmp_path / "noind.txt"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    result = run_cli("parse", bad, "-o", out)
    assert result.returncode == 1
    assert "noind.txt 第1行" in result.stderr and "没有绩效指标表" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_parse_missing_input(run_cli, tmp_path: Path) -> None:
    result = run_cli("parse", tmp_path / "nope.txt", "-o", tmp_path / "t.xlsx")
    assert result.returncode == 1 and "文件不存在" in result.stderr


def test_an_internal_error_is_explained_not_dumped(monkeypatch, capsys) -> None:
    import evaluator.cli.parse as cmd_parse
    from evaluator.cli.app import main

    def broken(_args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cmd_parse, "run", broken)
    monkeypatch.delenv("EVALUATOR_DEBUG", raising=False)
    assert main(["parse", "whatever.txt"]) == 3
    err = capsys.readouterr().err
    assert "内部错误" in err and "ZeroDivisionError" in err and "Traceback" not in err


def test_parse_rules_option_names_the_profile_in_the_report(run_cli, seed_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "targets.xlsx"
    assert run_cli("parse", seed_path, "-o", out, "--rules", "hubei").returncode == 0
    assert "评分规则：hubei" in out.with_name("targets_解析报告.md").read_text(encoding="utf-8")
    bad = run_cli("parse", seed_path, "-o", tmp_path / "b.xlsx", "--rules", tmp_path / "none.toml")
    assert bad.returncode != 0 and not (tmp_path / "b.xlsx").exists()
