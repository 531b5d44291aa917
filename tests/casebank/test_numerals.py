"""The numeral parser of statute numbers (casebank.numerals), shared by the citation parser,
the statute importers and the search analyser."""
import pytest

from casebank.numerals import parse_number

from .conftest import chinese


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 119, 1000, 1001, 1010, 1057, 1185, 1260])
def test_parse_number_round_trip(n):
    assert parse_number(chinese(n)) == n
    assert parse_number(str(n)) == n


def test_parse_number_unreadable():
    assert parse_number("abc") is None
    assert parse_number("") is None
    assert parse_number("两百") == 200


def test_parse_number_forms():
    assert parse_number("一百零一") == 101
    assert parse_number("十五") == 15
    assert parse_number("三千") == 3000
    assert parse_number("３３") == 33
    assert parse_number("一万零五") == 10005
    assert parse_number("²") is None
