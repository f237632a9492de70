"""Level names as published tables write them are normalised through the taxonomy."""

import pytest

from evaluator.config.taxonomy import default_taxonomy


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("产出指标(50分)", "产出指标"),
        ("产 出 指 标 (50分)", "产出指标"),
        ("效益指标（30分）", "效益指标"),
        ("成本指标(0-20)分", "成本指标"),
        ("產出指標", "产出指标"),
        ("產(chǎn)出指標(biāo)", "产出指标"),
        ("滿意度指標", "满意度指标"),
        ("项目决策(20分)", "决策"),
        ("过程", "过程"),
    ],
)
def test_first_level_variants(written: str, canonical: str) -> None:
    assert default_taxonomy().canonical_level1(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("可持续性发展影响指标", "可持续影响指标"),
        ("服务对象或受益者满意度指标", "服务对象满意度指标"),
        ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
        ("服务对象满意度指标等", "服务对象满意度指标"),
        ("社会效益效益指标", "社会效益指标"),
        ("社会效益 指标", "社会效益指标"),
        ("數量指標", "数量指标"),
        ("服務(wù)對象滿意度指標(biāo)", "服务对象满意度指标"),
        ("项目立项", "项目立项"),
    ],
)
def test_second_level_variants(written: str, canonical: str) -> None:
    assert default_taxonomy().canonical_level2(written) == canonical


def test_a_third_level_name_is_no_level() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.canonical_level1("培训人次") is None
    assert taxonomy.canonical_level2("培训学员对培训效果满意度") is None


# A stray level-2 in another level-1's block (se_yunnan_2023_nanhua_mushroom's 产出 block holds a
# 经济效益指标): its level-1 comes from the taxonomy, with a repair naming what the table wrote, and
# the next row, back under the table's own level-1, goes there without a repair.
STRAY_LEVEL2 = (
    "项目支出绩效目标表\n"
    "项目名称 | 某项目 |\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    "产出指标(50分) | 数量指标 | 建设冷库 | ≥1290平方米 |\n"
    "经济效益指标 | 资金兑付率 | ≥100% |\n"
    "时效指标 | 完成时限 | 10月 |\n"
)


def test_stray_level2_takes_its_level1_from_the_taxonomy() -> None:
    from evaluator.ingest.formats.text import text_grids
    from evaluator.ingest.layout import read_forms

    decl = read_forms(text_grids(STRAY_LEVEL2, "stray.txt"))
    levels = [(i.level1, i.level2, i.level3) for i in decl.projects[0].indicators]
    assert levels == [
        ("产出指标", "数量指标", "建设冷库"),
        ("效益指标", "经济效益指标", "资金兑付率"),
        ("产出指标", "时效指标", "完成时限"),
    ]
    moved = [r for r in decl.repairs if "一级指标按指标体系取" in r.decision]
    assert [(r.found, r.source.line) for r in moved] == [("经济效益指标", 5)]
    assert "原表列在「产出指标」下" in moved[0].decision
