"""portal.params.id_param: the one reading of a database id from a query parameter."""
import pytest

from portal.params import id_param


@pytest.mark.parametrize("value, expected", [
    ("12", 12), ("007", 7), ("9" * 18, int("9" * 18)),
    ("", None), (None, None), ("-1", None), ("+1", None), ("1.0", None), ("1e3", None), (" 1", None),
    ("²", None), ("١٢", None), ("9" * 19, None), ("<script>", None),
])
def test_id_param(value, expected):
    assert id_param(value) == expected
