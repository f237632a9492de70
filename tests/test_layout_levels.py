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
