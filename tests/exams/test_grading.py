"""Grading rules of each question type (plain functions, no HTTP)."""
from decimal import Decimal

import pytest

from exams import grading

SINGLE = {"qtype": "single", "options": [{"key": "1", "text": "a", "correct": False},
                                          {"key": "2", "text": "b", "correct": True}]}
MULTI = {"qtype": "multi", "options": [{"key": "1", "text": "a", "correct": True},
                                        {"key": "2", "text": "b", "correct": False},
                                        {"key": "3", "text": "c", "correct": True},
                                        {"key": "4", "text": "d", "correct": True}]}
TF = {"qtype": "truefalse", "options": [{"key": "T", "text": "正确", "correct": False},
                                         {"key": "F", "text": "错误", "correct": True}]}
LEVELS = [{"order": 1, "name": "轻微", "fine_min": "0", "fine_max": "500"},
          {"order": 2, "name": "一般", "fine_min": "500", "fine_max": "2000"}]
DISC = {"qtype": "discretion", "discretion": {"levels": LEVELS, "correct_level": 2, "amount_min": None,
                                               "amount_max": None}}
CASE = {"qtype": "case", "rubric": [{"key": "1", "text": "事实", "score": "2"}, {"key": "2", "text": "法律", "score": "3"}]}


def test_single():
    """Single choice: the right key scores full points, anything else zero."""
    assert grading.grade(SINGLE, {"choice": "2"}, 2) == (Decimal("2.00"), True)
    assert grading.grade(SINGLE, {"choice": "1"}, 2) == (0, False)
    assert grading.grade(SINGLE, {}, 2) == (0, False)
    assert grading.grade(SINGLE, None, 2) == (0, False)


def test_truefalse():
    assert grading.grade(TF, {"choice": "F"}, 1) == (Decimal("1.00"), True)
    assert grading.grade(TF, {"choice": "T"}, 1)[1] is False


def test_multi_all_or_nothing():
    assert grading.grade(MULTI, {"choices": ["1", "3", "4"]}, 3) == (Decimal("3.00"), True)
    assert grading.grade(MULTI, {"choices": ["1", "3"]}, 3) == (0, False)
    assert grading.grade(MULTI, {"choices": ["1", "2", "3", "4"]}, 3) == (0, False)


def test_multi_partial():
    """Partial: a subset of the right options scores proportionally; any wrong option scores zero."""
    assert grading.grade(MULTI, {"choices": ["1", "3"]}, 3, multi_scoring="partial") == (Decimal("2.00"), False)
    assert grading.grade(MULTI, {"choices": ["4"]}, 3, multi_scoring="partial") == (Decimal("1.00"), False)
    assert grading.grade(MULTI, {"choices": ["1", "2"]}, 3, multi_scoring="partial") == (0, False)
    assert grading.grade(MULTI, {"choices": []}, 3, multi_scoring="partial") == (0, False)
    assert grading.grade(MULTI, {"choices": ["1", "3", "4"]}, 3, multi_scoring="partial") == (Decimal("3.00"), True)


def test_discretion_level_and_band():
    """Discretion: right level and an amount inside the level's band (inclusive)."""
    assert grading.grade(DISC, {"level": 2, "amount": "800"}, 4) == (Decimal("4.00"), True)
    assert grading.grade(DISC, {"level": 2, "amount": "2000"}, 4)[1] is True
    assert grading.grade(DISC, {"level": 2, "amount": "2000.01"}, 4)[1] is False
    assert grading.grade(DISC, {"level": 1, "amount": "800"}, 4)[1] is False
    assert grading.grade(DISC, {"level": 2, "amount": ""}, 4)[1] is False
    assert grading.grade(DISC, {"level": 2, "amount": "abc"}, 4)[1] is False
    assert grading.grade(DISC, {"level": "x"}, 4)[1] is False


def test_discretion_own_band_overrides_level_band():
    content = {"qtype": "discretion", "discretion": dict(DISC["discretion"], amount_min="1000", amount_max="1500")}
    assert grading.grade(content, {"level": 2, "amount": "800"}, 1)[1] is False
    assert grading.grade(content, {"level": 2, "amount": "1,200"}, 1)[1] is True


def test_case_goes_to_marking_and_is_scaled():
    assert grading.grade(CASE, {"text": "..."}, 10) == (None, None)
    marks = {"1": {"score": "2"}, "2": {"score": "1.5"}}
    assert grading.mark_case(CASE, marks, 10) == Decimal("7.00")
    with pytest.raises(ValueError):
        grading.mark_case(CASE, {"1": {"score": "3"}, "2": {"score": "0"}}, 10)
    with pytest.raises(ValueError):
        grading.mark_case(CASE, {"1": {"score": "1"}}, 10)
    with pytest.raises(ValueError):
        grading.mark_case(CASE, {"1": {"score": "-1"}, "2": {"score": "0"}}, 10)


def test_normalise_drops_foreign_keys():
    """Only keys of the paper can be stored."""
    assert grading.normalise_response(SINGLE, {"choice": "9"}) == {"choice": None}
    assert grading.normalise_response(MULTI, {"choices": ["1", "x", "1"]}) == {"choices": ["1"]}
    assert grading.normalise_response(DISC, {"level": "7", "amount": "5"}) == {"level": None, "amount": "5"}
    assert grading.normalise_response(CASE, {"text": "甲" * 30000})["text"] == "甲" * 20000
