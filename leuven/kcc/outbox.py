"""Delivery of outgoing messages to remote services: retry policy and HTTP.

The Odoo outbox records what must be sent; this module decides when to try
again and performs one HTTP attempt, classifying its outcome.
"""

import base64
import datetime as dt

import requests

#: seconds to wait after the n-th failed attempt (1-based); the last value repeats
BACKOFF = (60, 300, 900, 3600, 3 * 3600, 12 * 3600)
MAX_ATTEMPTS = 10
TIMEOUT = (5, 20)  # connect, read (seconds)


class Outcome:
    """The result of one attempt."""

    def __init__(self, ok, retry, status=None, detail=""):
        self.ok = ok
        self.retry = retry
        self.status = status
        self.detail = detail

    def __repr__(self):
        return f"Outcome(ok={self.ok}, retry={self.retry}, status={self.status})"


def next_attempt(now, attempts):
    """When to try again after ``attempts`` failed attempts; None when giving up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    delay = BACKOFF[min(attempts, len(BACKOFF)) - 1] if attempts else 0
    return now + dt.timedelta(seconds=delay)


def classify(status):
    """(ok, retry) for an HTTP status code."""
    if 200 <= status < 300:
        return True, False
    if status in (408, 425, 429) or status >= 500:
        return False, True
    return False, False


def post_json(
    url,
    payload,
    token=None,
    session=None,
    timeout=TIMEOUT,
    idempotency_key=None,
    basic=None,
):
    """POST ``payload`` as JSON; never raises, returns an :class:`Outcome`.

    ``token`` goes out as ``Authorization: Bearer <token>``, ``basic`` (a
    ``(user, password)`` pair) as HTTP Basic authentication.
    ``idempotency_key`` goes out as the ``Idempotency-Key`` header, the same on
    every retry, so the receiver can drop a message it already has.
    """
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif basic:
        user, password = basic
        credentials = f"{user}:{password}".encode()
        headers["Authorization"] = f"Basic {base64.b64encode(credentials).decode()}"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    http = session or requests
    try:
        response = http.post(url, json=payload, headers=headers, timeout=timeout)
    except requests.Timeout:
        return Outcome(False, True, detail="timeout")
    except requests.RequestException as err:
        return Outcome(
            False, True, detail=f"connection failed: {err.__class__.__name__}"
        )
    ok, retry = classify(response.status_code)
    return Outcome(ok, retry, response.status_code, response.text[:2000])
