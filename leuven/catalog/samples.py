"""The hand-written Leuven products (IPDC instance snapshots).

Demo data of the catalogue: ``leuven_catalog`` loads them without a network
call, and the local fake IPDC (``leuven.testing.fake_ipdc``) serves them.
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "leuven-instancesnapshots.json"


def sample_members():
    """The sample Leuven products, as the feed publishes them."""
    return json.loads(DATA.read_text(encoding="utf-8"))
