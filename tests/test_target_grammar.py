"""The target grammar: every 年度指标值 in the seed and every form the issue lists, read to a predicate."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.grammar.targets import IMPLICIT_GE_NOTE, parse_target
from evaluator.ingest.declarations import read_declarations
from evaluator.models import ChangeMode, Op, Target, TargetKind

SEED = Path(__file__).resolve().parents[1] / "inputs" / "shanghai_ftu_2024_targets.txt"

GE, GT, EQ, LE, LT = Op.GE, Op.GT, Op.EQ, Op.LE, Op.LT


def C(op: Op, value: float, unit: str | None, implicit: bool = False) -> dict:
    return {"kind": TargetKind.COMPARISON, "op": op, "value": value, "unit": unit, "implicit_op": implicit}


def Q(expectation: str) -> dict:
    return {"kind": TargetKind.QUALITATIVE, "expectation": expectation}


def AS(expectation: str) -> dict:
    return {"kind": TargetKind.AS_INCURRED, "expectation": expectation}


def R(low: float, high: float, unit: str | None, low_inc: bool = True, high_inc: bool = True) -> dict:
    return {
        "kind": TargetKind.RANGE,
        "low": low,
        "high": high,
        "unit": unit,
        "low_inclusive": low_inc,
        "high_inclusive": high_inc,
    }


def CH(op: Op, mode: ChangeMode, amount: float, unit: str | None = None) -> dict:
    return {"kind": TargetKind.CHANGE, "op": op, "change_mode": mode, "change_amount": amount, "unit": unit}


def D(y: int, m: int, d: int) -> dict:
    return {"kind": TargetKind.DEADLINE, "deadline": dt.date(y, m, d)}


def assert_reads(target: Target, expected: dict) -> None:
    assert target.kind is expected["kind"], (target.raw, target.kind, target.reason)
    for name, want in expected.items():
        got = getattr(target, name)
        if isinstance(want, float | int) and not isinstance(want, bool) and got is not None:
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12), (target.raw, name, got, want)
        else:
            assert got == want, (target.raw, name, got, want)


# Every distinct 年度指标值 in the seed, with what it means. None of them is unreadable: the
# phrases without a number are qualitative expectations judged by a person or the vocabulary.
SEED_TARGETS: dict[str, dict] = {
    "按实发放": AS("按实发放"),
    "≥100.00(个)": C(GE, 100, "个"),
    "≥3000.00(人次)": C(GE, 3000, "人次"),
    "=100(%)": C(EQ, 100, "%"),
    "师生反馈评价": Q("师生反馈评价"),
    r"$\geq 90.00\%$": C(GE, 90, "%"),
    "≥4.00(场)": C(GE, 4, "场"),
    "≥1000.00(人)": C(GE, 1000, "人"),
    "≥10000.00(人次)": C(GE, 10000, "人次"),
    "≥6.00(场)": C(GE, 6, "场"),
    "≥500.00(人次)": C(GE, 500, "人次"),
    "≥5.00(集)": C(GE, 5, "集"),
    "≥5.00(场)": C(GE, 5, "场"),
    "件件有回音": Q("件件有回音"),
    "=100.00(%)": C(EQ, 100, "%"),
    "退休职工得益面广": Q("退休职工得益面广"),
    "示范活动有健全的长效管理机制": Q("示范活动有健全的长效管理机制"),
    "预算执行率100%": C(GE, 100, "%", implicit=True),  # a number inside a phrase, no comparator
    "保证为老服务工作优质、高效完成": Q("保证为老服务工作优质、高效完成"),
    "满意度85%以上": C(GE, 85, "%"),
    "≥100000(人)": C(GE, 100000, "人"),
    "是": Q("是"),
    "≥85(%)": C(GE, 85, "%"),
    "≥550(人)": C(GE, 550, "人"),
    "及时": Q("及时"),
    ">90(%)": C(GT, 90, "%"),
    "有效": Q("有效"),
    "体现": Q("体现"),
    "≥95(%)": C(GE, 95, "%"),
    "按时发放": Q("按时发放"),  # 按时 is "on time", not 按实 "as incurred"
    "=250.00(户)": C(EQ, 250, "户"),
    "按计划完成": Q("按计划完成"),
    "按时报送": Q("按时报送"),
    "≥3000.00(人)": C(GE, 3000, "人"),
    "=4.00(人)": C(EQ, 4, "人"),
    "加大帮扶力度，减轻生活困难": Q("加大帮扶力度，减轻生活困难"),
    "及时足额发放，保障养老医疗待遇": Q("及时足额发放，保障养老医疗待遇"),
    "促进社会和谐稳定": Q("促进社会和谐稳定"),
    "健全": Q("健全"),
    "体现党和政府的关心和关爱，让支内回沪人员真正得到实惠": Q("体现党和政府的关心和关爱，让支内回沪人员真正得到实惠"),
    "完成": Q("完成"),
    "≥90(%)": C(GE, 90, "%"),
    "满意": Q("满意"),
    r"\leq 10.00(%)": C(LE, 10, "%"),
    r"\geq 2000.00(人次)": C(GE, 2000, "人次"),
    r"\geq 1000.00(人次)": C(GE, 1000, "人次"),
    r"\geq 12000.00(人次)": C(GE, 12000, "人次"),
    "提升": Q("提升"),
    "≥80(%)": C(GE, 80, "%"),
    "=1(场)": C(EQ, 1, "场"),
    "高": Q("高"),
    "≥85.00(%)": C(GE, 85, "%"),
    "增长1%": CH(GE, ChangeMode.RELATIVE, 0.01),
    "=4.00(项)": C(EQ, 4, "项"),
    "=3(项)": C(EQ, 3, "项"),
    "=1.00(项)": C(EQ, 1, "项"),
    "合规": Q("合规"),
    ">80.00(分)": C(GT, 80, "分"),
    "≤5.00(%)": C(LE, 5, "%"),
    "全市各区局(产业)工会": Q("全市各区局(产业)工会"),
}


def seed_target_texts() -> list[str]:
    decl = read_declarations(SEED)
    texts: list[str] = []
    for project in decl.projects:
        for indicator in project.indicators:
            if indicator.target_text not in texts:
                texts.append(indicator.target_text)
    return texts


def test_the_table_covers_exactly_the_seed_targets() -> None:
    assert sorted(seed_target_texts()) == sorted(SEED_TARGETS)


@pytest.mark.parametrize("text", sorted(SEED_TARGETS))
def test_every_seed_target_reads_as_intended(text: str) -> None:
    target = parse_target(text, 2024)
    assert target.raw == text
    assert_reads(target, SEED_TARGETS[text])


def test_no_seed_target_is_unreadable() -> None:
    unreadable = [t for t in seed_target_texts() if parse_target(t, 2024).kind is TargetKind.UNREADABLE]
    assert unreadable == []


def test_implicit_comparator_is_said_in_the_note() -> None:
    target = parse_target("预算执行率100%", 2024)
    assert target.implicit_op and IMPLICIT_GE_NOTE in target.note
    assert parse_target("≥90(%)", 2024).note == ""


# --- every form listed in the issue ----------------------------------------------------------

FORMS: dict[str, dict] = {
    # comparator symbols
    "≥90%": C(GE, 90, "%"),
    "≤5%": C(LE, 5, "%"),
    "＝100％": C(EQ, 100, "%"),
    "≧90%": C(GE, 90, "%"),
    "≦5%": C(LE, 5, "%"),
    "═100(%)": C(EQ, 100, "%"),
    "﹦100(%)": C(EQ, 100, "%"),
    ">=90": C(GE, 90, None),
    "<=5": C(LE, 5, None),
    "> 3个": C(GT, 3, "个"),
    "< 2次": C(LT, 2, "次"),
    "=100": C(EQ, 100, None),
    r"$\geq 3000$人次": C(GE, 3000, "人次"),
    r"\leq 5(%)": C(LE, 5, "%"),
    # comparator words
    "不低于90%": C(GE, 90, "%"),
    "不少于3000人次": C(GE, 3000, "人次"),
    "达到95%": C(GE, 95, "%"),
    "3000人次以上": C(GE, 3000, "人次"),
    "不高于5%": C(LE, 5, "%"),
    "不超过10万元": C(LE, 100000, "元"),
    "5%以下": C(LE, 5, "%"),
    "30天以内": C(LE, 30, "天"),
    "控制在5%以内": C(LE, 5, "%"),
    "控制在200万元": C(LE, 2e6, "元"),
    "满意度不低于85%以上": C(GE, 85, "%"),
    # numbers
    "≥3,000.50(人次)": C(GE, 3000.5, "人次"),
    "≥3，000人": C(GE, 3000, "人"),
    "≥１２０００人次": C(GE, 12000, "人次"),
    "1.5万人次": C(GE, 15000, "人次", implicit=True),
    "≥2亿元": C(GE, 2e8, "元"),
    "≥100(万元)": C(GE, 1e6, "元"),
    "≥3千人": C(GE, 3000, "人"),
    "三千人": C(GE, 3000, "人", implicit=True),
    "不少于两万人次": C(GE, 20000, "人次"),
    "百分之九十": C(GE, 90, "%", implicit=True),
    "满意度达到百分之九十以上": C(GE, 90, "%"),
    "≤0(元)": C(LE, 0, "元"),
    "=0": C(EQ, 0, None),
    "≥0.5(%)": C(GE, 0.5, "%"),
    # units, bracketed or not
    "≥100(个)": C(GE, 100, "个"),
    "≥100个": C(GE, 100, "个"),
    "≥90(%)": C(GE, 90, "%"),
    "≥90百分比": C(GE, 90, "%"),
    "≥90(百分比)": C(GE, 90, "%"),
    "≥3000人": C(GE, 3000, "人"),
    "≥5场": C(GE, 5, "场"),
    "=250户": C(EQ, 250, "户"),
    "=4项": C(EQ, 4, "项"),
    "≥5集": C(GE, 5, "集"),
    "≥2次": C(GE, 2, "次"),
    ">80分": C(GT, 80, "分"),
    "≤30天": C(LE, 30, "天"),
    "≤30日": C(LE, 30, "天"),
    "≤3个月": C(LE, 3, "月"),
    "≥1年": C(GE, 1, "年"),
    "≤500元": C(LE, 500, "元"),
    "≤50万元": C(LE, 5e5, "元"),
    "≤1.2亿元": C(LE, 1.2e8, "元"),
    "≥1000平方米": C(GE, 1000, "平方米"),
    "≥1000㎡": C(GE, 1000, "平方米"),
    "≥5公里": C(GE, 5, "公里"),
    "≥266米": C(GE, 266, "米"),
    "≤3吨": C(LE, 3, "吨"),
    "≥10亩": C(GE, 10, "亩"),
    "≥5件": C(GE, 5, "个"),
    "≥1000元/人": C(GE, 1000, "元/人"),
    "满意度(%)≥90": C(GE, 90, "%"),  # the unit named in the label
    # ranges
    "80%–90%": R(80, 90, "%"),
    "80~90%": R(80, 90, "%"),
    "80%-90%": R(80, 90, "%"),
    "80至90(%)": R(80, 90, "%"),
    "控制在80%到90%之间": R(80, 90, "%"),
    "不低于80%且不高于90%": R(80, 90, "%"),
    "≥80%且≤90%": R(80, 90, "%"),
    ">80%，<90%": R(80, 90, "%", low_inc=False, high_inc=False),
    "80%≤满意度<90%": R(80, 90, "%", high_inc=False),
    "1万-2万人次": R(1e4, 2e4, "人次"),
    "1万-20000人次": R(1e4, 2e4, "人次"),
    "1-2万人次": R(1e4, 2e4, "人次"),  # the bare low end shares the high end's scale
    "80%~90": R(80, 90, "%"),
    "1公里-1500米": R(1000, 1500, "米"),  # the low end converted into the high end's unit
    # change against last year
    "增长1%": CH(GE, ChangeMode.RELATIVE, 0.01),
    "较上年增长1%": CH(GE, ChangeMode.RELATIVE, 0.01),
    "比上年度增加5%以上": CH(GE, ChangeMode.RELATIVE, 0.05),
    "同比提高10%": CH(GE, ChangeMode.RELATIVE, 0.10),
    "下降5%": CH(LE, ChangeMode.RELATIVE, -0.05),
    "较上年下降5%": CH(LE, ChangeMode.RELATIVE, -0.05),
    "较上年下降不超过5%": CH(GE, ChangeMode.RELATIVE, -0.05),
    "增长不超过3%": CH(LE, ChangeMode.RELATIVE, 0.03),
    "提高2个百分点": CH(GE, ChangeMode.POINTS, 2, "%"),
    "较上年降低1.5个百分点": CH(LE, ChangeMode.POINTS, -1.5, "%"),
    "参与人次较上年度增长1%": CH(GE, ChangeMode.RELATIVE, 0.01),
    "较上年有所增长": CH(GT, ChangeMode.RELATIVE, 0.0),
    "不低于上年": CH(GE, ChangeMode.RELATIVE, 0.0),
    "与上年持平": CH(EQ, ChangeMode.RELATIVE, 0.0),
    # deadlines
    "2024年6月底前完成": D(2024, 6, 30),
    "12月31日前": D(2024, 12, 31),
    "6月份完成": D(2024, 6, 30),
    "上半年": D(2024, 6, 30),
    "上半年完成": D(2024, 6, 30),
    "下半年": D(2024, 12, 31),
    "年底前完成": D(2024, 12, 31),
    "年内完成": D(2024, 12, 31),
    "2025年底": D(2025, 12, 31),
    "2024年度完成": D(2024, 12, 31),
    "2024年内完成": D(2024, 12, 31),
    "于年底前完成": D(2024, 12, 31),
    "本年度内完成": D(2024, 12, 31),
    "2024-06-30前": D(2024, 6, 30),
    "2024年9月30日前完成": D(2024, 9, 30),
    "第三季度末前": D(2024, 9, 30),
    "一季度": D(2024, 3, 31),
    "6月前完成": D(2024, 5, 31),  # literally before June begins; said in the note
    "2月底前": D(2024, 2, 29),
    # qualitative and as incurred
    "及时": Q("及时"),
    "健全": Q("健全"),
    "是": Q("是"),
    "有效": Q("有效"),
    "完成": Q("完成"),
    "提升": Q("提升"),
    "合规": Q("合规"),
    "满意": Q("满意"),
    "件件有回音": Q("件件有回音"),
    "退休职工得益面广": Q("退休职工得益面广"),
    "一流": Q("一流"),  # numeral characters in a phrase are not a number
    "千名老人受益": Q("千名老人受益"),
    "一次性发放": Q("一次性发放"),
    "十分满意": Q("十分满意"),
    "资金当年到位": Q("资金当年到位"),
    "2024年开展系列活动": Q("2024年开展系列活动"),  # a year word inside a phrase is not a deadline
    "及时。": Q("及时"),
    "按实发放": AS("按实发放"),
    "按实际发生": AS("按实际发生"),
    "据实结算": AS("据实结算"),
}


@pytest.mark.parametrize("text", list(FORMS))
def test_issue_forms(text: str) -> None:
    assert_reads(parse_target(text, 2024), FORMS[text])


@pytest.mark.parametrize(
    ("text", "note_part"),
    [
        ("满意度85%以上", "「以上」按含本数理解"),
        ("12月31日前", "未写年份，按2024年理解"),
        ("6月前完成", "5月31日"),
        ("6月份完成", "该月最后一天"),
        ("增长1%", "按与上年相比理解"),
        ("80~90%", "含本数"),
        ("三千人", "中文数字"),
        ("≥100家企业", "「企业」"),
    ],
)
def test_assumptions_are_written_in_the_note(text: str, note_part: str) -> None:
    assert note_part in parse_target(text, 2024).note


def test_deadline_year_comes_from_the_argument_or_the_text() -> None:
    assert parse_target("12月31日前", 2023).deadline == dt.date(2023, 12, 31)
    assert parse_target("2025年6月底前", 2023).deadline == dt.date(2025, 6, 30)
    no_year = parse_target("12月31日前", None)
    assert no_year.kind is TargetKind.UNREADABLE and "年份" in no_year.reason


# --- unreadable: kept with the reason, never guessed -----------------------------------------

UNREADABLE: dict[str, str] = {
    "": "为空",
    "   ": "为空",
    "/": "只有符号",
    "≥5(篇章)": "无法识别的计量单位「篇章」",
    "≥5区": "无法识别的计量单位「区」",
    "≥3000xx": "无法识别的计量单位「xx」",
    "≥90%以下": "比较符前后矛盾",
    "2024年": "无法识别",
    "完成3场，服务3000人次": "多个数值",
    "≥90%且≥80%": "区间",
    "90%-80%": "下限大于上限",
    "2024年2月30日前": "日期不存在",
    "80%-90人": "区间两端单位不一致：「%」无法换算为「人」",
    "1公里-900米": "下限大于上限",  # compared after conversion: 1000米 > 900米
    "≥80%-90%": "区间前不应再写比较符",
}


@pytest.mark.parametrize("text", list(UNREADABLE))
def test_unreadable_targets_keep_text_and_reason(text: str) -> None:
    target = parse_target(text, 2024)
    assert target.kind is TargetKind.UNREADABLE
    assert target.raw == text
    assert UNREADABLE[text] in target.reason
    assert target.op is None and target.value is None


def test_parse_is_cached_per_text_and_year() -> None:
    assert parse_target("≥3000.00(人次)", 2024) is parse_target("≥3000.00(人次)", 2024)


# --- properties ------------------------------------------------------------------------------

SYMBOL_AND_WORDS: list[tuple[Op, list[str]]] = [
    (GE, ["≥", "≧", ">=", r"\geq ", "不低于", "不少于", "达到"]),
    (GT, [">", "大于", "超过", "高于"]),
    (LE, ["≤", "≦", "<=", r"\leq ", "不高于", "不超过", "控制在"]),
    (LT, ["<", "小于", "低于", "少于"]),
    (EQ, ["=", "＝", "═", "﹦", "等于"]),
]
POSTFIX: list[tuple[Op, str]] = [(GE, "以上"), (LE, "以下"), (LE, "以内")]
UNITS = ["人次", "(人次)", "%", "(%)", "个", "(个)", "场", "元", "(万元)", "分", "天", ""]
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(
    st.sampled_from(SYMBOL_AND_WORDS).flatmap(lambda pair: st.tuples(st.just(pair[0]), st.sampled_from(pair[1]))),
    amounts,
    st.sampled_from(UNITS),
)
def test_comparators_and_their_words_give_the_same_op(pair: tuple[Op, str], amount, unit: str) -> None:
    op, written = pair
    text = f"{written}{amount}{unit}"
    reference = parse_target(f"{'≥' if op is GE else '='}{amount}{unit}", 2024)
    target = parse_target(text, 2024)
    assert target.kind is TargetKind.COMPARISON, (text, target.reason)
    assert target.op is op
    assert target.value == reference.value and target.unit == reference.unit


@given(st.sampled_from(POSTFIX), amounts, st.sampled_from([u for u in UNITS if u]))
def test_postfix_words_give_the_same_op_as_symbols(pair: tuple[Op, str], amount, unit: str) -> None:
    op, word = pair
    symbol = {GE: "≥", LE: "≤"}[op]
    assert parse_target(f"{amount}{unit}{word}", 2024).op is op
    assert parse_target(f"{amount}{unit}{word}", 2024).value == parse_target(f"{symbol}{amount}{unit}", 2024).value


@given(amounts)
def test_thousands_separators_and_full_width_digits_read_back(amount) -> None:
    plain = parse_target(f"≥{amount}人次", 2024)
    assert plain.value == float(amount)
    grouped = parse_target(f"≥{amount:,}人次", 2024)
    full_width = parse_target(
        "≥" + str(amount).translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) + "人次", 2024
    )
    assert grouped.value == plain.value
    assert full_width.value == plain.value


@given(
    st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 1e4), ("亿", 1e8)]),
    st.sampled_from(["人次", "元", "个", ""]),
)
def test_large_number_words_agree_with_arithmetic(amount, multiplier: tuple[str, float], unit: str) -> None:
    word, factor = multiplier
    target = parse_target(f"≥{amount}{word}{unit}", 2024)
    assert math.isclose(target.value, float(amount) * factor, rel_tol=1e-12, abs_tol=1e-9)
    assert target.unit == (unit or None)


@given(st.text(max_size=30))
def test_parse_target_never_raises(text: str) -> None:
    target = parse_target(text, 2024)
    assert target.raw == text
    if target.kind is TargetKind.UNREADABLE:
        assert target.reason
