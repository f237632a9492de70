"""The run pauses Python's collector and must hand the caller's setting back unchanged."""

from __future__ import annotations

import gc

import pytest

from evaluator.common.collector import collector_paused, release_cycles


@pytest.fixture(autouse=True)
def _restore_gc():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_paused_inside_and_restored_after() -> None:
    gc.unfreeze()
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_restores_even_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_caller_that_had_it_off_keeps_it_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_freeze_moves_survivors_to_the_permanent_generation() -> None:
    gc.unfreeze()
    gc.enable()
    kept = [[i] for i in range(1000)]
    with collector_paused(freeze=True):
        pass
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()


def test_release_cycles_frees_a_cycle_while_paused() -> None:
    class Node:
        pass

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        marker = id(a)
        del a, b
        release_cycles()
        assert all(id(obj) != marker for obj in gc.get_objects() if isinstance(obj, Node))


def test_api_score_leaves_the_collector_as_it_found_it() -> None:
    from evaluator.api import score
    from evaluator.common.resources import sample_inputs_dir

    base = sample_inputs_dir()
    gc.unfreeze()
    gc.enable()
    evaluation = score(base / "shanghai_ftu_2024_targets.txt", base / "实际完成值_样例.xlsx")
    assert evaluation.run.projects
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
