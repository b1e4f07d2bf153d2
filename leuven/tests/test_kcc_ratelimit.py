import datetime as dt

import pytest

from leuven.kcc import ratelimit


@pytest.mark.parametrize(
    "earlier, limit, refused",
    [
        (0, 3, False),  # the first request
        (2, 3, False),  # the third, the limit itself
        (3, 3, True),  # the fourth
        (50, 3, True),
        (0, 0, True),  # a limit of 0 closes the door
        (0, 1, False),
        (1, 1, True),
    ],
)
def test_the_limit_th_request_is_allowed_the_next_refused(earlier, limit, refused):
    assert ratelimit.is_refused(earlier, limit) is refused


@pytest.mark.parametrize(
    "value, expected",
    [("10", 10), (" 7 ", 7), (5, 5), ("", 120), (None, 120), ("veel", 120)],
)
def test_parse_limit_falls_back_to_the_default(value, expected):
    assert ratelimit.parse_limit(value, 120) == expected


def test_negative_limit_refuses_everything():
    limit = ratelimit.parse_limit("-4", 120)
    assert limit == 0
    assert ratelimit.is_refused(0, limit)


def test_window_is_one_hour_back():
    now = dt.datetime(2026, 11, 6, 9, 0)
    assert ratelimit.window_start(now) == dt.datetime(2026, 11, 6, 8, 0)
    assert ratelimit.window_start(now, dt.timedelta(minutes=5)) == dt.datetime(
        2026, 11, 6, 8, 55
    )
