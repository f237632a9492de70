"""Actual vs predicate: met, completion ratio, units, impossible values — with hand-computed figures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evaluator.scoring.assess as compare
from evaluator.models import Actual, ActualKind, ChangeMode, Direction, Op, Target, TargetKind, Tier
from evaluator.scoring.assess import assess, assess_many


def cmp(op: Op, value: float, unit: str | None = "人次") -> Target:
    return Target(raw=f"{op}{value}{unit or ''}", kind=TargetKind.COMPARISON, op=op, value=value, unit=unit)


def num(value: float, unit: str | None = None) -> Actual:
    return Actual(raw=f"{value}{unit or ''}", kind=ActualKind.NUMBER, value=value, unit=unit)


def words(text: str) -> Actual:
    return Actual(raw=text, kind=ActualKind.QUALITATIVE, text=text)


def day(d: dt.date) -> Actual:
    return Actual(raw=d.isoformat(), kind=ActualKind.DATE, date=d)


EMPTY = Actual(raw="", kind=ActualKind.EMPTY)


def test_higher_is_better_shortfall() -> None:
    got = assess(cmp(Op.GE, 3000), num(2950, "人次"))
    assert got.decided and got.direction is Direction.HIGHER and got.met is False
    assert got.ratio == pytest.approx(2950 / 3000)
    assert (got.actual_value, got.target_value, got.unit) == (2950, 3000, "人次")


def test_unitless_actual_takes_the_target_unit() -> None:
    got = assess(cmp(Op.GE, 90, "%"), num(92.5))
    assert got.met and got.unit == "%" and got.actual_value == 92.5


def test_strict_greater_exactly_at_target_is_not_met_and_marked() -> None:
    got = assess(cmp(Op.GT, 100), num(100))
    assert got.met is False and got.strict_at_target and got.ratio == pytest.approx(1.0)
    assert assess(cmp(Op.GE, 100), num(100)).met is True


def test_lower_is_better() -> None:
    got = assess(cmp(Op.LE, 5, "个"), num(7))
    assert got.direction is Direction.LOWER and got.met is False and got.ratio == pytest.approx(5 / 7)
    assert assess(cmp(Op.LE, 5, "个"), num(5)).met is True
    assert assess(cmp(Op.LT, 5, "个"), num(5)).strict_at_target is True


def test_equal_and_zero_targets() -> None:
    assert assess(cmp(Op.EQ, 100, "%"), num(100)).met is True
    short = assess(cmp(Op.EQ, 100, "%"), num(97))
    assert short.direction is Direction.EQUAL and not short.met and short.ratio == pytest.approx(0.97)
    zero = assess(cmp(Op.LE, 0, "起"), num(0))
    assert zero.met is True and zero.ratio == 1.0
    assert assess(cmp(Op.LE, 0, "起"), num(2)).met is False


def test_ranges_respect_inclusivity() -> None:
    band = Target(raw="80%-90%", kind=TargetKind.RANGE, low=80, high=90, unit="%")
    assert assess(band, num(85)).met and assess(band, num(80)).met and assess(band, num(90)).met
    above = assess(band, num(95))
    assert above.direction is Direction.RANGE and not above.met and above.ratio == pytest.approx(90 / 95)
    below = assess(band, num(40))
    assert below.ratio == pytest.approx(0.5)
    open_band = Target(raw="(80%,90%)", kind=TargetKind.RANGE, low=80, high=90, unit="%", low_inclusive=False)
    assert assess(open_band, num(80)).met is False


def _change(amount: float, mode: ChangeMode = ChangeMode.RELATIVE) -> Target:
    return Target(
        raw="增长",
        kind=TargetKind.CHANGE,
        op=Op.GE,
        change_mode=mode,
        change_amount=amount,
        unit="%" if mode is ChangeMode.POINTS else None,
    )


def test_growth_against_last_year() -> None:
    got = assess(_change(0.01), num(1015, "人次"), num(1000, "人次"))
    assert got.decided and got.direction is Direction.HIGHER
    assert got.target_value == pytest.approx(1010) and got.met and got.unit == "人次"
    assert "上年" in got.reason
    short = assess(_change(0.01), num(1005, "人次"), num(1000))
    assert not short.met and short.ratio == pytest.approx(1005 / 1010)


def test_decrease_and_percentage_points() -> None:
    down = assess(_change(-0.05), num(96), num(100))
    assert down.direction is Direction.LOWER and down.target_value == pytest.approx(95) and not down.met
    points = assess(_change(2, ChangeMode.POINTS), num(91, "%"), num(90, "%"))
    assert points.target_value == pytest.approx(92) and not points.met


def test_growth_without_last_year_is_not_decided() -> None:
    got = assess(_change(0.01), num(1015))
    assert not got.decided and "缺少上年实际值" in got.reason
    bad = assess(_change(0.01), num(1015), Actual(raw="去年很多", kind=ActualKind.UNREADABLE, reason="x"))
    assert not bad.decided and "去年很多" in bad.reason


def test_deadlines() -> None:
    due = Target(raw="2024年6月底前完成", kind=TargetKind.DEADLINE, deadline=dt.date(2024, 6, 30))
    on_time = assess(due, day(dt.date(2024, 6, 30)))
    assert on_time.decided and on_time.met and on_time.days_late == 0
    late = assess(due, day(dt.date(2024, 7, 10)))
    assert late.met is False and late.days_late == 10
    said = assess(due, words("按期完成"))
    assert said.decided and said.days_late == 0
    missed = assess(due, words("未完成"))
    assert not missed.decided and "完成日期" in missed.reason
    assert assess(due, num(3)).decided is False


def test_qualitative_tiers_and_needs_judgment() -> None:
    sound = Target(raw="健全", kind=TargetKind.QUALITATIVE, expectation="健全")
    assert assess(sound, words("是")).tier is Tier.ACHIEVED
    assert assess(sound, words("基本健全")).tier is Tier.PARTIAL
    assert assess(sound, words("不健全")).tier is Tier.NOT_ACHIEVED
    odd = assess(sound, words("正在研究"))
    assert not odd.decided and odd.tier is None and "正在研究" in odd.reason
    free = Target(raw="退休职工得益面广", kind=TargetKind.QUALITATIVE, expectation="退休职工得益面广")
    assert assess(free, words("退休职工得益面广")).tier is Tier.ACHIEVED
    assert assess(sound, num(3)).decided is False


def test_qualitative_rise_decided_by_numbers_when_given() -> None:
    rise = Target(raw="有所提升", kind=TargetKind.QUALITATIVE, expectation="有所提升")
    assert assess(rise, num(120, "人次"), num(100, "人次")).tier is Tier.ACHIEVED
    assert assess(rise, num(90, "人次"), num(100, "人次")).tier is Tier.NOT_ACHIEVED


def test_a_percentage_answers_an_all_of_it_target() -> None:
    every = Target(raw="件件有回音", kind=TargetKind.QUALITATIVE, expectation="件件有回音")
    full = assess(every, num(100, "%"))
    assert full.tier is Tier.ACHIEVED and "100%" in full.reason
    short = assess(every, num(96.5, "%"))
    assert not short.decided and "96.5%" in short.reason and "完成档次" in short.reason
    sound = Target(raw="健全", kind=TargetKind.QUALITATIVE, expectation="健全")
    assert not assess(sound, num(100, "%")).decided  # 健全 is not a share of anything


def test_as_incurred_accepts_a_reported_amount() -> None:
    paid = Target(raw="按实发放", kind=TargetKind.AS_INCURRED, expectation="按实发放")
    got = assess(paid, num(125000, "元"))
    assert got.tier is Tier.ACHIEVED and got.direction is Direction.QUALITATIVE


def test_missing_and_unreadable() -> None:
    assert assess(cmp(Op.GE, 1), EMPTY).reason == "未填写实际完成值"
    assert assess(Target(raw="健全", kind=TargetKind.QUALITATIVE), EMPTY).decided is False
    garbled = assess(cmp(Op.GE, 1), Actual(raw="约莫", kind=ActualKind.UNREADABLE, reason="不是数字"))
    assert not garbled.decided and "约莫" in garbled.reason and "不是数字" in garbled.reason
    unread = assess(Target(raw="@@", kind=TargetKind.UNREADABLE, reason="无法识别"), num(1))
    assert not unread.decided and "@@" in unread.reason
    assert not assess(cmp(Op.GE, 1), words("完成")).decided


def test_unit_mismatch_names_both_units() -> None:
    got = assess(cmp(Op.GE, 3000, "人次"), num(2800, "人"))
    assert not got.decided and "unit_mismatch" in got.flags
    assert "人次" in got.reason and "「人」" in got.reason


def test_impossible_values_are_flagged_not_clamped() -> None:
    neg = assess(cmp(Op.GE, 10, "场"), num(-3))
    assert not neg.decided and "impossible_value" in neg.flags and "-3" in neg.reason
    rate = assess_many([cmp(Op.GE, 90, "%")], [num(105)], None, ["服务对象满意度"])[0]
    assert not rate.decided and "impossible_value" in rate.flags and "105" in rate.reason
    growth = assess_many([cmp(Op.GE, 10, "%")], [num(150)], None, ["会员增长率提高"])[0]
    assert growth.decided and growth.met


def test_one_registry_question_per_unit_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = compare.conversion_factor

    def counting(a: str, b: str) -> float:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(compare, "conversion_factor", counting)
    targets = [cmp(Op.GE, 100, "人次"), cmp(Op.GE, 100, "人")] * 5000
    actuals = [num(90, "人"), num(110, "人")] * 5000
    out = assess_many(targets, actuals)
    assert len(out) == 10000
    assert sorted(set(calls)) == [("人", "人次")] and len(calls) == 1
    assert sum("unit_mismatch" in a.flags for a in out) == 5000


finite = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(t=positive, a=finite, extra=finite)
def test_higher_actual_never_lowers_higher_is_better_completion(t: float, a: float, extra: float) -> None:
    lo, hi = assess(cmp(Op.GE, t), num(a)), assess(cmp(Op.GE, t), num(a + extra))
    assert hi.ratio >= lo.ratio
    assert hi.met or not lo.met


@given(t=positive, a=finite, extra=finite)
def test_higher_actual_never_raises_lower_is_better_completion(t: float, a: float, extra: float) -> None:
    lo, hi = assess(cmp(Op.LE, t), num(a)), assess(cmp(Op.LE, t), num(a + extra))
    assert hi.ratio <= lo.ratio + 1e-12
    assert lo.met or not hi.met


@given(st.lists(st.tuples(st.sampled_from(list(Op)), positive, finite), min_size=1, max_size=40))
def test_batch_equals_row_by_row(rows: list[tuple[Op, float, float]]) -> None:
    targets = [cmp(op, t) for op, t, _ in rows]
    actuals = [num(a) for _, _, a in rows]
    assert assess_many(targets, actuals) == [assess(t, a) for t, a in zip(targets, actuals, strict=True)]
