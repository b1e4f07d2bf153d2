"""Shared plumbing of the KCC benchmarks: databases, Odoo in-process and on
loopback, timing and the result table.

Every database a benchmark makes is named ``kcc_bench_*``; only those are
created and dropped here. A template database with the addons installed (no
demo data) is made once and reused while the addons' files do not change;
each benchmark works on a ``createdb -T`` copy of it.
"""

import contextlib
import hashlib
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devenv

# another prefix keeps two checkouts' runs apart (e.g. before/after a change)
PREFIX = os.environ.get("KCC_BENCH_PREFIX", "kcc_bench_")
if not PREFIX.startswith("kcc_bench_"):
    raise SystemExit("KCC_BENCH_PREFIX must start with kcc_bench_")
_CONFIGURED = {}


def info(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- machine


def machine():
    """Cores, memory, load average: the context of every figure."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"load average {load}"
    )


def load_now():
    return f"{os.getloadavg()[0]:.2f}"


# ---------------------------------------------------------------- results


@dataclass
class Row:
    measure: str
    scale: str
    result: str
    target: str = ""
    peer: str = ""  # ours / peer, e.g. "0.8x"
    ok: bool | None = None  # None: no target
    key: str = ""  # the same measure on the peer has the same key
    value: float = 0.0  # the figure compared with the peer's

    def cells(self):
        verdict = {True: "met", False: "MISSED", None: ""}[self.ok]
        return [self.measure, self.scale, self.result, self.target, verdict, self.peer]


HEADER = ["measure", "scale", "result", "target", "", "ours/peer"]


def table(rows):
    lines = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(HEADER))]
    out = []
    for index, line in enumerate(lines):
        out.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |"
        )
        if index == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def print_table(rows, title="KCC benchmarks"):
    print(f"\n{title} — {time.strftime('%Y-%m-%d %H:%M')}, {machine()}")
    print(table(rows), flush=True)


def pct(samples, q):
    """The q-th percentile (0..100) of ``samples``, by linear interpolation."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency(samples_ms):
    return pct(samples_ms, 50), pct(samples_ms, 95)


def fmt_latency(samples_ms):
    p50, p95 = latency(samples_ms)
    return f"p95 {p95:.1f} ms, p50 {p50:.1f} ms (n={len(samples_ms)})"


def mean(values):
    return statistics.fmean(values) if values else 0.0


# ---------------------------------------------------------------- databases


def pg():
    return devenv.ensure_postgres()


_ODOO = []


def odoo_home():
    """Odoo as ``tools/devenv.py`` finds it (``ODOO_PATH`` or an importable
    ``odoo``), made importable in this process too; found once per run."""
    if not _ODOO:
        found = devenv.require_odoo()
        if found.source_tree and str(found.source_tree) not in sys.path:
            sys.path.insert(0, str(found.source_tree))
        _ODOO.append(found)
    return _ODOO[0]


def _check_ours(name):
    if not name.startswith("kcc_bench_"):
        raise ValueError(f"{name}: benchmarks only touch databases named kcc_bench_*")


def psql(dbname, sql):
    result = pg().psql(sql, dbname=dbname)
    if result.returncode:
        raise RuntimeError(f"psql on {dbname} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def drop_db(name):
    _check_ours(name)
    with contextlib.suppress(Exception):
        from odoo.modules.registry import Registry

        Registry.delete(name)
    pg().drop_database(name)


def copy_db(template, name):
    _check_ours(name)
    drop_db(name)
    postgres = pg()
    subprocess.run(
        ["createdb", "-h", postgres.host, "-p", str(postgres.port), "-U",
         postgres.user, "-T", template, name],
        check=True,
    )  # fmt: skip
    return name


def _tree_digest(paths):
    digest = hashlib.sha256()
    for root in paths:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _db_comment(name):
    out = psql(
        "postgres",
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
        f"FROM pg_database WHERE datname = '{name}'",
    )
    return out


def config_file(dbname, port=None, extra_addons=(), extra=None):
    """An Odoo configuration for ``dbname`` in a temporary folder."""
    odoo = odoo_home()
    folder = Path(tempfile.gettempdir()) / "kcc_bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"{dbname}.conf"
    devenv.write_config(odoo, pg(), path, dbname, port or devenv.free_port(), extra)
    if extra_addons:
        text = path.read_text()
        text = re.sub(
            r"^addons_path = (.*)$",
            lambda m: (
                "addons_path = " + ",".join([*map(str, extra_addons), m.group(1)])
            ),
            text,
            count=1,
            flags=re.MULTILINE,
        )
        path.write_text(text)
    return path


def ensure_template(name, modules, extra_addons=(), digest_paths=()):
    """A database with ``modules`` installed without demo data, made once.

    It is remade when the files of ``digest_paths`` (the addons) change.
    """
    _check_ours(name)
    paths = list(digest_paths) or [ROOT / "addons" / m for m in modules]
    digest = _tree_digest(paths)
    if pg().database_exists(name) and _db_comment(name) == digest:
        return name
    drop_db(name)
    odoo = odoo_home()
    conf = config_file(name, extra_addons=extra_addons)
    info(f"installing {', '.join(modules)} into template {name} (once)")
    started = time.time()
    result = subprocess.run(
        odoo.command(
            "-c", str(conf), "-d", name, "-i", ",".join(modules),
            "--without-demo=all", "--stop-after-init", "--log-level=warn",
        ),
        env=odoo.env(),
        check=False,
    )  # fmt: skip
    if result.returncode:
        drop_db(name)
        raise RuntimeError(f"installing {modules} into {name} failed")
    psql("postgres", f"COMMENT ON DATABASE {name} IS '{digest}'")
    info(f"template {name} ready in {time.time() - started:.0f}s")
    return name


# ---------------------------------------------------------------- Odoo in-process


def odoo_setup(dbname, extra_addons=()):
    """Configure Odoo in this process (once) for ``dbname``'s addons path."""
    odoo_home()
    import odoo

    if not _CONFIGURED:
        conf = config_file(dbname)
        odoo.tools.config.parse_config(["-c", str(conf), "--log-level=warn"])
        _CONFIGURED["addons_path"] = odoo.tools.config["addons_path"]
    # Odoo's configuration is parsed once per process; other addons folders
    # (the peer's) are added to the path
    paths = [str(p) for p in extra_addons] + [_CONFIGURED["addons_path"]]
    odoo.tools.config["addons_path"] = ",".join(paths)
    from odoo.modules.module import initialize_sys_path

    initialize_sys_path()
    return odoo


@contextlib.contextmanager
def registry(dbname, extra_addons=()):
    odoo = odoo_setup(dbname, extra_addons)
    from odoo.modules.registry import Registry

    reg = Registry(dbname)
    try:
        yield odoo, reg
    finally:
        Registry.delete(dbname)


@contextlib.contextmanager
def environment(dbname, extra_addons=()):
    """(env as superuser, cursor) on ``dbname``; the caller commits."""
    with registry(dbname, extra_addons) as (odoo, reg):
        with reg.cursor() as cr:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


# ---------------------------------------------------------------- Odoo on loopback


class Server:
    """Odoo serving ``dbname`` on 127.0.0.1 (a free port) until stopped."""

    def __init__(self, dbname, workers=2, extra_addons=(), extra=None):
        self.dbname = dbname
        self.port = devenv.free_port()
        options = {
            "workers": str(workers),
            "max_cron_threads": "0",
            "limit_time_real": "120",
            "limit_time_cpu": "60",
            "limit_memory_soft": str(2 * 2**30),
            "limit_memory_hard": str(3 * 2**30),
            **(extra or {}),
        }
        self.conf = config_file(
            dbname, port=self.port, extra_addons=extra_addons, extra=None
        )
        text = self.conf.read_text()
        for key, value in options.items():
            text = re.sub(rf"^{key} = .*\n", "", text, flags=re.MULTILINE)
            text += f"{key} = {value}\n"
        self.conf.write_text(text)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log = Path(tempfile.gettempdir()) / "kcc_bench" / f"{dbname}.log"

    def __enter__(self):
        odoo = odoo_home()
        command = odoo.command(
            "-c", str(self.conf), "-d", self.dbname, f"--logfile={self.log}",
            "--log-level=warn",
        )  # fmt: skip
        script = odoo.package_dir.parent / "odoo-bin"
        if script.exists():  # workers re-run sys.argv: give them a real script
            command = [command[0], str(script), *command[3:]]
        # the websocket worker (gevent) may fail to start: it is not measured
        self.output = open(self.log.with_suffix(".out"), "wb")
        self.proc = subprocess.Popen(
            command,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            env=odoo.env(),
            start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Odoo stopped at start; see {self.log}")
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            time.sleep(0.5)
        else:
            self.stop()
            raise RuntimeError(f"Odoo did not listen within 120 s; see {self.log}")
        import requests

        requests.get(f"{self.url}/web/login", timeout=120)  # load the registry
        return self

    def rss_mb(self):
        """Resident memory of the server and its workers, in MB."""
        if not self.proc:
            return 0.0
        pids = {self.proc.pid}
        out = subprocess.run(
            ["ps", "-o", "pid=,ppid=,rss=", "-e"],
            check=False,
            capture_output=True,
            text=True,
        ).stdout
        rows = [tuple(map(int, line.split())) for line in out.splitlines()]
        total = 0
        changed = True
        while changed:
            changed = False
            for pid, ppid, _rss in rows:
                if ppid in pids and pid not in pids:
                    pids.add(pid)
                    changed = True
        for pid, _ppid, rss in rows:
            if pid in pids:
                total += rss
        return total / 1024

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __exit__(self, *exc):
        self.stop()
        self.output.close()
