"""The case-file review scoring rule, without a database."""

from jiandu.supervision.rubric import (
    DEFAULT_RUBRIC,
    EXCELLENT,
    FAIL,
    PASS,
    grade_for,
    lost_points,
    score,
)


def full(**overrides):
    scores = {item["code"]: item["max"] for item in DEFAULT_RUBRIC}
    scores.update(overrides)
    return scores


def test_default_rubric_totals_100_points():
    assert sum(item["max"] for item in DEFAULT_RUBRIC) == 100
    assert len({item["code"] for item in DEFAULT_RUBRIC}) == len(DEFAULT_RUBRIC)


def test_full_marks_are_excellent():
    result = score(DEFAULT_RUBRIC, full())
    assert (result.total, result.grade, result.errors) == (100, EXCELLENT, {})


def test_grade_boundaries():
    assert grade_for(90) == EXCELLENT
    assert grade_for(89) == PASS
    assert grade_for(70) == PASS
    assert grade_for(69) == FAIL


def test_total_adds_the_items_and_grades_it():
    result = score(DEFAULT_RUBRIC, full(facts=12, procedure=8))  # 100 - 8 - 12 = 80
    assert (result.total, result.grade) == (80, PASS)


def test_zero_on_a_veto_item_fails_whatever_the_total():
    result = score(DEFAULT_RUBRIC, full(subject=0))
    assert result.total == 90
    assert result.grade == FAIL
    assert result.vetoed == ("subject",)


def test_missing_and_out_of_range_scores_are_reported_in_chinese():
    scores = full(facts=21, law="abc")
    del scores["records"]
    result = score(DEFAULT_RUBRIC, scores)
    assert set(result.errors) == {"facts", "law", "records"}
    assert "0 至 20" in result.errors["facts"]
    assert "整数" in result.errors["law"]
    assert "打分" in result.errors["records"]


def test_lost_points_name_the_items():
    assert lost_points(DEFAULT_RUBRIC, full(procedure=12)) == [
        "程序合法（告知、听证、法制审核、集体讨论）（扣8分）"
    ]
