"""Traditional → simplified conversion used for labels, level names, targets and actuals."""

from evaluator.common.text import to_simplified


def test_traditional_level_names_and_labels_become_simplified() -> None:
    assert to_simplified("產出指標") == "产出指标"
    assert to_simplified("資金情況(萬元)") == "资金情况(万元)"
    assert to_simplified("服務對象滿意度指標") == "服务对象满意度指标"


def test_simplified_and_ascii_text_is_unchanged() -> None:
    assert to_simplified("项目支出绩效自评表 ≥95%") == "项目支出绩效自评表 ≥95%"
    assert to_simplified("100%") == "100%"
    assert to_simplified("") == ""
