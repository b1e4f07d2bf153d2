"""One rule for every limit on requests per connection within a time window.

The addons count what a connection asked within the window (forms sent,
assistant sessions started, questions handed off); this module decides.
"""

import datetime as dt

WINDOW = dt.timedelta(hours=1)


def parse_limit(value, default):
    """The limit an administrator set (a system parameter, text), as a number.

    An empty or unreadable value falls back to ``default``; a negative one
    counts as 0 (every request refused).
    """
    try:
        limit = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(limit, 0)


def window_start(now, window=WINDOW):
    """The oldest moment a request still counts at ``now``."""
    return now - window


def is_refused(earlier, limit):
    """Whether a new request is refused when ``earlier`` requests of the same
    connection fall within the window and ``limit`` are allowed in it.

    ``earlier`` counts the requests before this one, refused ones included:
    with a limit of N the N-th request within the window is allowed, the
    N+1-th refused; a limit of 0 refuses every request.
    """
    return earlier >= limit
