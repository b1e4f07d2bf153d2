"""IPDC client: reads an instance-snapshot event stream page by page.

Change detection uses the stream itself: full pages never change, the last
page grows. The client remembers the page it reached and which members of it
it already handled (a :class:`Checkpoint`), so an incremental run reads only
what is new; a full run starts again from the first page.
"""

import time

import requests

from . import ldes, mapping

RETRY_STATUSES = {429, 500, 502, 503, 504}


class IpdcError(Exception):
    """The feed could not be read (after retries) or is not an event stream."""


class Checkpoint:
    """Where an incremental sync resumes: a page URL and the members done on it."""

    def __init__(self, page_url=None, done=None):
        self.page_url = page_url
        self.done = set(done or ())

    def to_dict(self):
        return {"page_url": self.page_url, "done": sorted(self.done)}

    @classmethod
    def from_dict(cls, data):
        data = data or {}
        return cls(data.get("page_url"), data.get("done"))


class IpdcClient:
    def __init__(
        self,
        feed_url,
        api_key=None,
        session=None,
        retries=4,
        backoff=1.0,
        timeout=(5, 30),
        sleep=time.sleep,
    ):
        self.feed_url = feed_url
        self.api_key = api_key
        self.session = session or requests.Session()
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep

    def fetch(self, url):
        """GET one page as JSON, retrying timeouts, connection errors and 5xx."""
        headers = {"Accept": "application/ld+json, application/json"}
        if self.api_key:
            headers["X-API-KEY"] = self.api_key
        last_error = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.session.get(url, headers=headers, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as err:
                last_error = f"{err.__class__.__name__}"
                continue
            if response.status_code in RETRY_STATUSES:
                last_error = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise IpdcError(f"{url}: HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as err:
                raise IpdcError(f"{url}: the answer is not JSON") from err
        raise IpdcError(
            f"{url}: gave up after {self.retries + 1} attempts ({last_error})"
        )

    def changes(self, checkpoint=None, authority_ids=()):
        """Yield ``(page, member, checkpoint)`` for every member not handled yet.

        The yielded checkpoint already includes the member, so saving it after
        handling a batch makes the sync resumable.
        """
        checkpoint = checkpoint or Checkpoint()
        url = checkpoint.page_url or self.feed_url
        done = set(checkpoint.done) if checkpoint.page_url else set()
        while url:
            try:
                page = ldes.parse_page(self.fetch(url))
            except ValueError as err:
                raise IpdcError(f"{url}: {err}") from err
            for member in page.members:
                key = member.get("@id") if isinstance(member, dict) else None
                if key in done:
                    continue
                done.add(key)
                current = Checkpoint(url, done)
                if isinstance(member, dict) and not mapping.concerns(
                    member, authority_ids
                ):
                    yield page, None, current
                    continue
                yield page, member, current
            if page.is_last:
                return
            url, done = page.next_url, set()
