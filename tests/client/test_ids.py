import pytest

from dialpad_console.dialpad import parse_id, parse_ids


def test_it_accepts_an_int():
    assert parse_id(5835806903417907) == 5835806903417907


def test_it_accepts_an_id_sent_as_a_json_string():
    assert parse_id("5835806903417907") == 5835806903417907


def test_it_accepts_the_largest_int64():
    assert parse_id(str(2**63 - 1)) == 2**63 - 1


def test_it_returns_none_for_a_missing_id():
    assert parse_id(None) is None
    assert parse_id("") is None


@pytest.mark.parametrize(
    "garbage", ["12a", "1e3", "-1", "+1", "1_000", "1.0", "１２", 1.0, True, [1], {"id": 1}]
)
def test_it_rejects_garbage(garbage):
    with pytest.raises(ValueError):
        parse_id(garbage)


@pytest.mark.parametrize("too_big", [2**63, str(2**63), -1])
def test_it_rejects_a_number_outside_int64_ids(too_big):
    with pytest.raises(ValueError):
        parse_id(too_big)


def test_it_parses_a_list_of_ids_and_drops_missing_ones():
    assert parse_ids(["1", 2, None]) == [1, 2]
    assert parse_ids(None) == []


def test_a_single_string_is_not_a_list_of_ids():
    with pytest.raises(ValueError):
        parse_ids("123")
