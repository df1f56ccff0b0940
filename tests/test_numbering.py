"""Number series never repeat, also with many concurrent writers."""
from concurrent.futures import ThreadPoolExecutor

from casework.adapters.db import transaction
from casework.numbering import next_value


def test_a_series_counts_up_and_series_are_independent(sessions):
    with transaction(sessions) as session:
        assert [next_value(session, "a") for _ in range(3)] == [1, 2, 3]
        assert next_value(session, "b") == 1


def test_a_rolled_back_number_is_not_handed_out_twice(sessions):
    with transaction(sessions) as session:
        assert next_value(session, "s") == 1
    try:
        with transaction(sessions) as session:
            next_value(session, "s")
            raise RuntimeError("later step failed")
    except RuntimeError:
        pass
    with transaction(sessions) as session:
        assert next_value(session, "s") == 2  # nothing was recorded with the rolled-back 2, so 2 is still free


def test_concurrent_writers_get_unique_gapless_numbers(sessions):
    def take(_):
        with transaction(sessions) as session:
            return next_value(session, "concurrent")

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(take, range(100)))
    assert sorted(numbers) == list(range(1, 101))
