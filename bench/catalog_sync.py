#!/usr/bin/env python3
"""Catalogue benchmark: IPDC sync of N products from the local fake IPDC, then an
incremental sync with no change, then knowledge-base search latency.

Runs against a copy of the `leuven` database made by `make run` (created from it
as a template and dropped afterwards); talks to 127.0.0.1 only; prints a table.

    .venv/bin/python bench/catalog_sync.py [--products 5000] [--queries 200]
"""

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devenv


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    found = devenv.require_odoo()  # ODOO_PATH or an importable odoo
    if found.source_tree:
        sys.path.insert(0, str(found.source_tree))
    import odoo
    from odoo.modules.registry import Registry

    from leuven.catalog.client import IpdcClient
    from leuven.testing.fake_ipdc import FakeIpdc, synthetic_members

    pg = devenv.ensure_postgres()
    source, bench_db = devenv.DB_NAME, f"{devenv.DB_NAME}_bench"
    if not pg.database_exists(source):
        sys.exit(f"database {source} does not exist: run `make run` once first")
    pg.drop_database(bench_db)
    subprocess.run(
        ["createdb", "-h", pg.host, "-p", str(pg.port), "-T", source, bench_db],
        check=True,
    )
    odoo.tools.config.parse_config(
        ["-c", str(devenv.STATE / "odoo.conf"), "-d", bench_db]
    )
    fake = FakeIpdc(synthetic_members(args.products), page_size=25)
    feed = fake.start()
    rows = []
    try:
        registry = Registry(bench_db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            Product = env["catalog.product"]

            def client():
                return IpdcClient(feed, api_key="test-key")

            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            log = Product._sync(full=True, client=client())
            full = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rows.append(
                (
                    "full sync",
                    f"{args.products} products",
                    f"{full:.1f} s",
                    f"created {log.created_count}, failed {log.failed_count}",
                )
            )
            started = time.perf_counter()
            log = Product._sync(full=False, client=client())
            rows.append(
                (
                    "incremental sync, no change",
                    "",
                    f"{time.perf_counter() - started:.2f} s",
                    f"created {log.created_count}, updated {log.updated_count}",
                )
            )
            rows.append(
                (
                    "peak memory growth during full sync",
                    "",
                    f"{(rss_after - rss_before) / 1024:.0f} MB",
                    "",
                )
            )
            words = [
                "identiteitskaart",
                "parkeren",
                "afval",
                "huwelijk",
                "subsidie",
                "bouwen vergunning",
                "rijbewijs",
                "evenement fuif",
            ]
            timings = []
            for index in range(args.queries):
                started = time.perf_counter()
                Product._knowledge_search(words[index % len(words)], limit=20)
                timings.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(timings, n=20)[-1]
            rows.append(
                (
                    "knowledge-base search",
                    f"{args.queries} queries",
                    f"p95 {p95:.1f} ms",
                    f"p50 {statistics.median(timings):.1f} ms",
                )
            )
            cr.rollback()
    finally:
        fake.stop()
        Registry.delete(bench_db)
        pg.drop_database(bench_db)
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    )
    print(f"{'measure':40} {'size':16} {'result':14} detail")
    for row in rows:
        print(f"{row[0]:40} {row[1]:16} {row[2]:14} {row[3]}")


if __name__ == "__main__":
    main()
