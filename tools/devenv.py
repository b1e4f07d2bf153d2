#!/usr/bin/env python3
"""Developer entry point of the Leuven KCC suite: set-up, run, test and lint.

This is the one place that knows how to find Odoo 18, PostgreSQL and the
project's virtualenv. It uses the standard library only, because it is what
creates the virtualenv in the first place.

    setup: virtualenv + requirements
    run: database ``leuven`` + Odoo on 127.0.0.1:8069
    test: pure suite, then the Odoo suite (if Odoo is found)
    lint: ruff + pylint-odoo
    bench: bench/run_all.py with the same Odoo and virtualenv

Every failure the user can fix ends in one line starting with ``ERROR:`` that
says what to do, and a non-zero exit status.
"""

import argparse
import getpass
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("LEUVEN_VENV", ROOT / ".venv"))
STATE = ROOT / ".odoo"
ADDONS = (
    "leuven_kcc",
    "leuven_catalog",
    "leuven_assistant",
    "leuven_burgerprofiel",
    "leuven_guidance",
    "leuven_energy",
    "leuven_helpt",
)
DB_NAME = os.environ.get("LEUVEN_DB", "leuven")
ODOO_MAJOR = 18
DEMO_LOGINS = (
    ("beheerder (admin)", "admin", "admin"),
    ("KCC-medewerker", "kcc.agent", "kcc.agent"),
    ("behandelaar van een dienst", "behandelaar.wegen", "behandelaar.wegen"),
    ("burger (portaal)", "burger", "burger"),
    ("energiecoach (begeleiding)", "energiecoach", "energiecoach"),
)
ODOO_MISSING_HELP = (
    "Odoo 18 was not found. Install Odoo 18.0 from Odoo's official source "
    "(https://github.com/odoo/odoo, branch 18.0, see "
    "https://www.odoo.com/documentation/18.0/administration/on_premise/source.html) "
    "so that `python -c 'import odoo'` works, or point ODOO_PATH at an Odoo 18 "
    "source tree: `ODOO_PATH=/path/to/odoo make run`."
)


class SetupError(Exception):
    """A problem the user can fix; its message says how."""


def info(msg):
    print(f"[leuven] {msg}", flush=True)


def run(cmd, check=True, **kwargs):
    return subprocess.run(cmd, check=check, **kwargs)


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------- virtualenv


def venv_python():
    return VENV / "bin" / "python"


def _file_digest(*paths):
    digest = hashlib.sha256()
    for path in paths:
        if path and Path(path).exists():
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def ensure_venv():
    """Create the virtualenv and install the project's requirements once.

    The virtualenv sees the system site-packages, so an Odoo that the system
    Python can import is importable from the virtualenv too.
    """
    if not venv_python().exists():
        info(f"creating virtualenv {VENV}")
        venv.EnvBuilder(with_pip=True, system_site_packages=True).create(VENV)
    marker = VENV / ".leuven-requirements"
    wanted = _file_digest(ROOT / "requirements.txt", ROOT / "pyproject.toml")
    if marker.exists() and marker.read_text() == wanted:
        return
    info(
        "installing requirements.txt and the `leuven` package into the "
        f"virtualenv (log: {_shown(PIP_LOG)})"
    )
    if pip_install(["-r", str(ROOT / "requirements.txt")]):
        pip_failure(
            "installing requirements.txt failed; check the network access to "
            "PyPI and run the command again"
        )
    if pip_install(["--no-deps", "-e", str(ROOT)]):
        pip_failure("installing the `leuven` package into the virtualenv failed")
    marker.write_text(wanted)


# ---------------------------------------------------------------- pip, quietly

PIP_LOG = STATE / "pip.log"
# Python packages that Odoo's requirements build from source, with the Debian
# packages (and one header of each) they need to build
BUILD_DEPENDS = {
    "python-ldap": {
        "libldap2-dev": "/usr/include/ldap.h",
        "libsasl2-dev": "/usr/include/sasl/sasl.h",
    },
}
BUILD_DEPENDS_USE = {"python-ldap": "the LDAP login (addon auth_ldap)"}
_PIP_LOG_OPEN = []


def _shown(path):
    """``path`` relative to the checkout when it is inside it."""
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def pip_install(args, env=None):
    """``pip install args`` in the virtualenv, its output in ``.odoo/pip.log``.

    The log is started afresh by the first pip run of a command and appended
    to by the others. Returns pip's exit status.
    """
    PIP_LOG.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(venv_python()), "-m", "pip", "install",
        "--disable-pip-version-check", "--no-input", *args,
    ]  # fmt: skip
    mode = "a" if _PIP_LOG_OPEN else "w"
    _PIP_LOG_OPEN.append(True)
    with PIP_LOG.open(mode) as log:
        log.write(f"$ {' '.join(cmd)}\n")
        log.flush()
        result = run(cmd, check=False, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.write(f"[exit status {result.returncode}]\n\n")
    return result.returncode


def log_tail(path, lines=20):
    """The last ``lines`` lines of a log file (empty when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    return path.read_text(errors="replace").splitlines()[-lines:]


def pip_failure(message):
    """Show the end of pip's log and stop with ``message``."""
    print(f"--- last lines of {_shown(PIP_LOG)} ---", file=sys.stderr)
    for line in log_tail(PIP_LOG):
        print(f"    {line}", file=sys.stderr)
    print("---", file=sys.stderr, flush=True)
    raise SetupError(f"{message} (full log: {_shown(PIP_LOG)})")


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


FAILED_BUILD = re.compile(
    r"Failed building wheel for (\S+)"
    r"|Could not build wheels for (.+?), which"
    r"|Failed to build installable wheels for some .* projects \((.+)\)"
    r"|^Failed to build ((?!installable )[^\n]+)$",
    re.MULTILINE,
)


def failed_builds(log_text):
    """The packages pip could not build, once each, in order, from its log."""
    names = []
    for match in FAILED_BUILD.finditer(log_text):
        found = next(group for group in match.groups() if group)
        for name in re.split(r"[,\s]+", found):
            name = _normalise(name.strip())
            if name and name not in names:
                names.append(name)
    return names


def missing_build_depends(exists=None):
    """{python package: [Debian packages it lacks to build]}, for what lacks any."""
    exists = exists or os.path.exists
    missing = {}
    for package, debs in BUILD_DEPENDS.items():
        lacking = [deb for deb, header in debs.items() if not exists(header)]
        if lacking:
            missing[package] = lacking
    return missing


def left_out_message(package, debs=()):
    """One line telling what was left out, why and how to get it."""
    use = BUILD_DEPENDS_USE.get(package)
    what = f"; Odoo works without it except {use}" if use else ""
    if debs:
        return (
            f"{package} was left out: it needs the Debian packages "
            f"{' '.join(debs)} to build (`sudo apt-get install {' '.join(debs)}`, "
            f"then run the command again){what}"
        )
    return f"{package} could not be installed{what} (see {_shown(PIP_LOG)})"


def ensure_build_depends():
    """Install what Odoo's requirements need to build, as root; else report it.

    Returns {python package: [Debian packages still missing]}.
    """
    missing = missing_build_depends()
    if not missing or not is_root() or not shutil.which("apt-get"):
        return missing
    debs = sorted({deb for lacking in missing.values() for deb in lacking})
    info(f"installing {' '.join(debs)} (Debian packages needed to build "
         f"{', '.join(missing)})")  # fmt: skip
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", *debs]
    result = run(install, check=False, env=apt_env, capture_output=True, text=True)
    if result.returncode:  # a fresh machine may not have the package lists yet
        run(["apt-get", "update", "-qq"], check=False, env=apt_env,
            capture_output=True)  # fmt: skip
        result = run(install, check=False, env=apt_env, capture_output=True, text=True)
    if result.returncode:
        for line in (result.stdout + result.stderr).splitlines()[-10:]:
            info(f"  apt-get: {line}")
    return missing_build_depends()


def without_packages(requirements_text, names):
    """``requirements_text`` without the lines of the packages ``names``."""
    names = {_normalise(n) for n in names}
    kept = []
    for line in requirements_text.splitlines():
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match and _normalise(match.group(1)) in names:
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


# ---------------------------------------------------------------- Odoo discovery


class Odoo:
    """Where Odoo 18 lives and how to start it."""

    def __init__(self, package_dir, source_tree=None):
        self.package_dir = Path(package_dir)  # the `odoo` package directory
        self.source_tree = Path(source_tree) if source_tree else None

    @property
    def addons_path(self):
        paths = [self.package_dir / "addons", self.package_dir.parent / "addons"]
        paths = [p for p in paths if p.is_dir()]
        return ",".join(str(p) for p in [ROOT / "addons", *paths])

    def env(self):
        env = dict(os.environ, TZ="UTC")
        if self.source_tree:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.source_tree), env.get("PYTHONPATH")])
            )
        return env

    def command(self, *args):
        return [
            str(venv_python()),
            "-c",
            "import sys, odoo.cli; sys.exit(odoo.cli.main())",
            *args,
        ]


def _read_version_info(release_py):
    text = Path(release_py).read_text()
    match = re.search(r"^version_info\s*=\s*\((\d+)\s*,\s*(\d+)", text, re.MULTILINE)
    if not match:
        raise SetupError(f"cannot read Odoo's version from {release_py}")
    return int(match.group(1)), int(match.group(2))


def _check_major(major, minor, where):
    if major != ODOO_MAJOR:
        raise SetupError(
            f"Odoo {major}.{minor} found at {where}, but this suite needs Odoo "
            f"{ODOO_MAJOR}.0: install Odoo 18.0 or point ODOO_PATH at an Odoo 18 tree"
        )


def find_odoo():
    """Return an :class:`Odoo`, or ``None`` when Odoo is not installed.

    ``ODOO_PATH`` wins over an importable ``odoo``. A wrong version or a
    wrong ``ODOO_PATH`` raises :class:`SetupError`.
    """
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path:
        tree = Path(odoo_path).expanduser().resolve()
        release = tree / "odoo" / "release.py"
        if not release.is_file():
            raise SetupError(
                f"ODOO_PATH={odoo_path} is not an Odoo source tree (no "
                "odoo/release.py); point it at a checkout of Odoo 18.0"
            )
        _check_major(*_read_version_info(release), where=tree)
        ensure_odoo_requirements(tree)
        return Odoo(tree / "odoo", source_tree=tree)
    probe = (
        "import os, odoo.release as r; "
        "print(r.version_info[0], r.version_info[1], "
        "os.path.dirname(os.path.abspath(r.__file__)))"
    )
    result = run(
        [str(venv_python()), "-c", probe], check=False, capture_output=True, text=True
    )
    if result.returncode:
        return None
    major, minor, package_dir = result.stdout.split(maxsplit=2)
    package_dir = package_dir.strip()
    _check_major(int(major), int(minor), where=package_dir)
    return Odoo(package_dir)


def _requirement_lines(tree):
    """The requirements of Odoo's tree that apply to this Python, as (name, pin)."""
    code = (
        "import sys\n"
        "from pip._vendor.packaging.requirements import Requirement\n"
        "for line in open(sys.argv[1]):\n"
        "    line = line.split('#')[0].strip()\n"
        "    if not line: continue\n"
        "    req = Requirement(line)\n"
        "    if req.marker is None or req.marker.evaluate():\n"
        "        print(req.name, str(req.specifier))\n"
    )
    out = run(
        [str(venv_python()), "-c", code, str(tree / "requirements.txt")],
        capture_output=True,
        text=True,
    ).stdout
    return [tuple((line.split(" ", 1) + [""])[:2]) for line in out.splitlines()]


def _available_versions(name):
    result = run(
        [str(venv_python()), "-m", "pip", "index", "versions", name],
        check=False,
        capture_output=True,
        text=True,
    )
    match = re.search(r"Available versions:\s*(.+)", result.stdout)
    return [v.strip() for v in match.group(1).split(",")] if match else []


def _version_key(version):
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", version))


def ensure_odoo_requirements(tree):
    """Install the Python requirements of an Odoo source tree into the venv.

    Pins are honoured; a pin that does not build on this Python is replaced by
    the nearest newer release that installs, and each replacement is reported.
    pip's output goes to ``.odoo/pip.log``; what is left out is reported once.
    A package whose Debian build dependencies are missing (and cannot be
    installed, not being root) is left out up front rather than failing.
    """
    marker = VENV / ".odoo-requirements"
    done = _file_digest(tree / "requirements.txt") + str(tree)
    if marker.exists() and marker.read_text() == done + _without(
        missing_build_depends()
    ):
        return
    missing = ensure_build_depends()
    wanted = done + _without(missing)
    info(
        "installing Odoo's Python requirements into the virtualenv "
        f"(a few minutes the first time; log: {_shown(PIP_LOG)})"
    )
    STATE.mkdir(exist_ok=True)
    build_constraints = STATE / "build-constraints.txt"
    # old sdists still import pkg_resources, which recent setuptools dropped
    build_constraints.write_text("setuptools<81\n")
    env = dict(os.environ, PIP_BUILD_CONSTRAINT=str(build_constraints))
    env.setdefault("PIP_CONSTRAINT", str(build_constraints))
    requirements = STATE / "odoo-requirements.txt"
    requirements.write_text(
        without_packages((tree / "requirements.txt").read_text(), missing)
    )
    if pip_install(["-r", str(requirements)], env=env):
        failed = failed_builds(PIP_LOG.read_text(errors="replace"))
        info(
            f"{', '.join(failed) or 'some pins'} did not build here; "
            "installing the requirements one by one"
        )
        left_out = _install_one_by_one(tree, env, skip=missing)
    else:
        left_out = []
    for name, debs in missing.items():
        info(left_out_message(name, debs))
    for name in left_out:
        info(left_out_message(name))
    marker.write_text(wanted)


def _without(missing):
    return "".join(f" without {name}" for name in sorted(missing))


def _install_one_by_one(tree, env, skip=()):
    """Install each requirement, a newer release when the pin does not build.

    Returns the names of the packages that could not be installed at all.
    """
    left_out = []
    skip = {_normalise(name) for name in skip}
    for name, spec in _requirement_lines(tree):
        if _normalise(name) in skip or not pip_install([f"{name}{spec}"], env=env):
            continue
        pinned = spec.lstrip("=") if spec.startswith("==") else None
        candidates = [
            v
            for v in sorted(_available_versions(name), key=_version_key)
            if pinned is None or _version_key(v) > _version_key(pinned)
        ]
        for version in candidates[:8]:
            if not pip_install([f"{name}=={version}"], env=env):
                info(
                    f"{name}{spec} does not build on this Python; "
                    f"using {name}=={version}"
                )
                break
        else:
            left_out.append(name)
    return left_out


def require_odoo():
    odoo = find_odoo()
    if odoo is None:
        raise SetupError(ODOO_MISSING_HELP)
    return odoo


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    def __init__(self, host, port, user):
        self.host, self.port, self.user = host, port, user

    def psql(self, sql, dbname="postgres", check=False):
        return run(
            [
                "psql",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                dbname,
            ]
            + ["-v", "ON_ERROR_STOP=1", "-Atqc", sql],
            check=check,
            capture_output=True,
            text=True,
        )

    def database_exists(self, name):
        result = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        return result.stdout.strip() == "1"

    def drop_database(self, name):
        run(
            ["dropdb", "-h", self.host, "-p", str(self.port), "-U", self.user]
            + ["--if-exists", "--force", name],
            check=False,
        )


def _clusters():
    out = run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]
    # version, cluster, port, status, owner, data dir, log file
    return sorted(rows, key=lambda r: (r[0] != "15", r[0], r[1]))


def ensure_postgres():
    """Make sure a local PostgreSQL cluster runs and knows our role."""
    if not shutil.which("pg_lsclusters"):
        if not is_root():
            raise SetupError(
                "PostgreSQL is not installed: run `sudo apt-get install postgresql` "
                "and try again"
            )
        info("installing PostgreSQL (Debian package postgresql)")
        run(
            ["apt-get", "install", "-y", "-q", "postgresql"],
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
    clusters = _clusters()
    if not clusters:
        raise SetupError(
            "PostgreSQL is installed but has no cluster: run "
            "`sudo pg_createcluster 15 main --start` and try again"
        )
    version, name, port, status = clusters[0][:4]
    if status != "online":
        if not is_root():
            raise SetupError(
                f"PostgreSQL {version}/{name} is down: run "
                f"`sudo pg_ctlcluster {version} {name} start` and try again"
            )
        info(f"starting PostgreSQL {version}/{name}")
        if run(["pg_ctlcluster", version, name, "start"], check=False).returncode:
            raise SetupError(
                f"PostgreSQL {version}/{name} does not start; see "
                f"/var/log/postgresql/postgresql-{version}-{name}.log"
            )
    user = os.environ.get("LEUVEN_DB_USER", getpass.getuser())
    pg = Postgres("/var/run/postgresql", int(port), user)
    probe = pg.psql("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")
    if probe.returncode == 0 and probe.stdout.strip() == "t":
        return pg
    if user == "postgres":
        raise SetupError(
            "Odoo refuses to use the `postgres` superuser: run the command as "
            "another user or set LEUVEN_DB_USER"
        )
    if not is_root():
        raise SetupError(
            f"PostgreSQL has no role `{user}` that may create databases: run "
            f"`sudo -u postgres createuser --createdb {user}` and try again"
        )
    info(f"creating PostgreSQL role {user}")
    sql = (
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') "
        f'THEN CREATE ROLE "{user}" LOGIN CREATEDB; '
        f'ELSE ALTER ROLE "{user}" LOGIN CREATEDB; END IF; END$$;'
    )
    result = run(
        ["runuser", "-u", "postgres", "--", "psql", "-p", port, "-Atqc", sql],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SetupError(
            f"could not create PostgreSQL role {user}: {result.stderr.strip()}"
        )
    return pg


# ---------------------------------------------------------------- Odoo config


def port_is_free(port, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(odoo, pg, path, dbname, port, extra=None):
    """Render ``config/odoo.conf.template`` into ``path``."""
    STATE.mkdir(exist_ok=True)
    secret_file = STATE / "admin_passwd"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(24))
        secret_file.chmod(0o600)
    values = {
        "addons_path": odoo.addons_path,
        "admin_passwd": secret_file.read_text().strip(),
        "data_dir": str(STATE / "data"),
        "db_host": "" if pg.host.startswith("/") else pg.host,
        "db_port": str(pg.port),
        "db_user": pg.user,
        "db_name": dbname,
        "http_port": str(port),
    }
    text = (ROOT / "config" / "odoo.conf.template").read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    for key, value in (extra or {}).items():
        text += f"{key} = {value}\n"
    Path(path).write_text(text)
    Path(path).chmod(0o600)
    return path


def addons_digest():
    """One digest per addon, over every file in it (to upgrade changed ones)."""
    digests = {}
    for name in ADDONS:
        digest = hashlib.sha256()
        for path in sorted((ROOT / "addons" / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
        digests[name] = digest.hexdigest()
    return digests


# ---------------------------------------------------------------- commands


def cmd_setup(_args):
    ensure_venv()
    ensure_node_projects()
    odoo = find_odoo()
    info(f"Odoo 18: {odoo.package_dir if odoo else 'not found (pure suite only)'}")


def cmd_run(args):
    ensure_venv()
    odoo = require_odoo()
    pg = ensure_postgres()
    port = args.port
    if not port_is_free(port):
        raise SetupError(
            f"port {port} on 127.0.0.1 is already in use: stop what runs there or "
            f"choose another port, e.g. `make run PORT={port + 1}`"
        )
    conf = write_config(odoo, pg, STATE / "odoo.conf", DB_NAME, port)
    state_file = STATE / f"installed-{DB_NAME}.json"
    digests = addons_digest()
    base = odoo.command("-c", str(conf), "-d", DB_NAME, "--stop-after-init")
    if not pg.database_exists(DB_NAME):
        info(f"creating database {DB_NAME} with the four addons and demo data")
        result = run(
            [*base, "-i", ",".join(ADDONS), "--load-language=nl_BE"],
            check=False,
            env=odoo.env(),
        )
        if result.returncode:
            pg.drop_database(DB_NAME)
            raise SetupError(
                f"installing the addons in database {DB_NAME} failed (see the log "
                "above); the half-made database was dropped"
            )
        state_file.write_text(json.dumps(digests))
    else:
        previous = json.loads(state_file.read_text()) if state_file.exists() else {}
        changed = [name for name in ADDONS if previous.get(name) != digests[name]]
        if changed:
            info(f"upgrading changed addons: {', '.join(changed)}")
            result = run([*base, "-u", ",".join(changed)], check=False, env=odoo.env())
            if result.returncode:
                raise SetupError("upgrading the addons failed; see the log above")
            state_file.write_text(json.dumps(digests))
        else:
            info(f"database {DB_NAME} is up to date")
    url = f"http://127.0.0.1:{port}/web/login"
    print("\n" + "=" * 64)
    print(f"  Leuven KCC suite: {url}")
    print("  Demo logins (login / password):")
    for role, login, password in DEMO_LOGINS:
        print(f"    {role:30} {login} / {password}")
    print("=" * 64 + "\n", flush=True)
    cmd = odoo.command("-c", str(conf), "-d", DB_NAME)
    os.execve(cmd[0], cmd, odoo.env())


def _count_pytest(junit_xml):
    import xml.etree.ElementTree as ET

    if not Path(junit_xml).exists():
        return 0, 1, 0
    root = ET.parse(junit_xml).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def run_pure_suite():
    """ruff + pytest over leuven/ and tests/; returns (passed, failed, skipped)."""
    failed_checks = 0
    ruff = [str(venv_python()), "-m", "ruff"]
    info("ruff check")
    failed_checks += bool(
        run([*ruff, "check", "--no-fix", str(ROOT)], check=False, cwd=ROOT).returncode
    )
    info("ruff format --check")
    failed_checks += bool(
        run([*ruff, "format", "--check", str(ROOT)], check=False, cwd=ROOT).returncode
    )
    junit = Path(tempfile.mkdtemp()) / "pure.xml"
    info("pytest leuven/ tests/")
    run(
        [
            str(venv_python()),
            "-m",
            "pytest",
            "-q",
            f"--junitxml={junit}",
            "leuven",
            "tests",
        ],
        check=False,
        cwd=ROOT,
    )
    passed, failed, skipped = _count_pytest(junit)
    return passed, failed + failed_checks, skipped


ODOO_SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
ODOO_SKIP = re.compile(r"\bskipped \S+ : ")


def node_projects():
    """Folders with a package-lock.json: test tools and the web component."""
    return sorted(
        lock.parent
        for lock in ROOT.rglob("package-lock.json")
        if "node_modules" not in lock.parts and ".venv" not in lock.parts
    )


def ensure_node_projects():
    """``npm ci`` where node_modules is missing or older than its lock file.

    Without node the tests that need it skip and say so; a failed install is
    reported and the rest goes on.
    """
    projects = node_projects()
    if not projects:
        return
    if not (shutil.which("node") and shutil.which("npm")):
        info("node/npm not found: tests that need node will be skipped "
             "(sudo apt-get install nodejs npm)")  # fmt: skip
        return
    for folder in projects:
        modules = folder / "node_modules"
        lock = folder / "package-lock.json"
        if modules.is_dir() and modules.stat().st_mtime >= lock.stat().st_mtime:
            continue
        info(f"npm ci in {folder.relative_to(ROOT)}")
        result = run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            check=False,
            cwd=folder,
        )
        if result.returncode:
            info(f"npm ci failed in {folder.relative_to(ROOT)}: its tests will skip")
        else:
            modules.touch()


def ensure_chromium():
    if any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        return
    if not is_root():
        info(
            "Chromium not found: browser tours will be skipped "
            "(sudo apt-get install chromium)"
        )
        return
    info("installing Chromium (Debian package chromium) for the browser tours")
    run(
        ["apt-get", "install", "-y", "-q", "chromium"],
        check=False,
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
    )


def run_odoo_suite(odoo, pg):
    """Install the addons in a throwaway database and run their tests."""
    ensure_chromium()
    dbname = f"leuven_test_{os.getpid()}_{int(time.time())}"
    conf = write_config(odoo, pg, STATE / "odoo-test.conf", dbname, free_port())
    log_file = STATE / "odoo-test.log"
    log_file.unlink(missing_ok=True)
    tags = ",".join(f"/{name}" for name in ADDONS)
    cmd = odoo.command(
        "-c", str(conf), "-d", dbname, "-i", ",".join(ADDONS),
        "--test-enable", f"--test-tags={tags}", "--stop-after-init",
        "--log-level=test", f"--logfile={log_file}",
    )  # fmt: skip
    info(f"Odoo suite: installing {', '.join(ADDONS)} in throwaway database {dbname}")
    started = time.time()
    try:
        proc = subprocess.Popen(cmd, env=odoo.env())
        # mirror the interesting lines of the log while Odoo runs
        _follow(log_file, proc)
    finally:
        pg.drop_database(dbname)
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    matches = list(ODOO_SUMMARY.finditer(text))
    match = matches[-1] if matches else None
    info(f"Odoo suite finished in {time.time() - started:.0f}s, log: {log_file}")
    if not match:
        info("the Odoo suite did not report a result (see the log)")
        return 0, 1, 0, 0
    failures, errors, total = map(int, match.groups())
    skipped = len(ODOO_SKIP.findall(text))
    failed = failures + errors + (1 if proc.returncode and not failures + errors else 0)
    return max(total - failures - errors - skipped, 0), failed, skipped, total


def _follow(log_file, proc):
    interesting = re.compile(
        r" (ERROR|CRITICAL|WARNING) |tests when loading|post-tests in|: Starting "
    )
    position = 0
    while True:
        done = proc.poll() is not None
        if log_file.exists():
            with log_file.open(errors="replace") as handle:
                handle.seek(position)
                for line in handle:
                    if interesting.search(line) or not TIMESTAMP.match(line):
                        print(line.rstrip()[:400], flush=True)
                position = handle.tell()
        if done:
            return
        time.sleep(1)


def cmd_test(_args):
    ensure_venv()
    ensure_node_projects()
    passed, failed, skipped = run_pure_suite()
    info(f"pure suite: {passed} passed, {failed} failed, {skipped} skipped")
    odoo = find_odoo()
    if odoo is None:
        banner = "ODOO SUITE SKIPPED: " + ODOO_MISSING_HELP
        print("\n" + "!" * 72 + "\n" + banner + "\n" + "!" * 72 + "\n", flush=True)
    else:
        pg = ensure_postgres()
        o_passed, o_failed, o_skipped, o_total = run_odoo_suite(odoo, pg)
        info(f"Odoo suite: {o_passed} passed, {o_failed} failed, {o_skipped} skipped")
        if o_total == 0 and not o_failed:
            info("the Odoo suite ran no test: that is a failure")
            o_failed = 1
        passed, failed, skipped = (
            passed + o_passed,
            failed + o_failed,
            skipped + o_skipped,
        )
    print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed or not passed else 0


def bench_command(odoo, bench_args):
    """The command and environment of ``bench/run_all.py`` for this Odoo.

    The benchmarks run with the virtualenv's Python and import Odoo in
    process: with ``ODOO_PATH`` its source tree is on ``PYTHONPATH``, and the
    Odoo servers they start are found by the same :func:`find_odoo`.
    """
    cmd = [str(venv_python()), str(ROOT / "bench" / "run_all.py"), *bench_args]
    return cmd, odoo.env()


def cmd_bench(args):
    ensure_venv()
    odoo = require_odoo()
    cmd, env = bench_command(odoo, args.bench_args)
    info(f"bench/run_all.py {' '.join(args.bench_args)}".rstrip())
    return run(cmd, check=False, env=env, cwd=ROOT).returncode


def cmd_lint(_args):
    ensure_venv()
    py = str(venv_python())
    rc = run(
        [py, "-m", "ruff", "check", "--no-fix", "."], check=False, cwd=ROOT
    ).returncode
    rc |= run(
        [py, "-m", "ruff", "format", "--check", "."], check=False, cwd=ROOT
    ).returncode
    addons = [str(ROOT / "addons" / name) for name in ADDONS]
    rc |= run(
        [py, "-m", "pylint", f"--rcfile={ROOT / '.pylintrc'}", *addons],
        check=False,
        cwd=ROOT,
    ).returncode
    print("lint: clean" if not rc else "lint: problems found (see above)")
    return 1 if rc else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    run_parser = sub.add_parser("run")
    run_parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT") or 8069)
    )
    sub.add_parser("test")
    sub.add_parser("lint")
    bench_parser = sub.add_parser(
        "bench", help="bench/run_all.py; its arguments follow (see --help there)"
    )
    bench_parser.add_argument("bench_args", nargs=argparse.REMAINDER)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # everything after it belongs to run_all.py
        args = argparse.Namespace(command="bench", bench_args=argv[1:])
    else:
        args = parser.parse_args(argv)
    handler = {
        "setup": cmd_setup,
        "run": cmd_run,
        "test": cmd_test,
        "lint": cmd_lint,
        "bench": cmd_bench,
    }
    try:
        return handler[args.command](args) or 0
    except SetupError as exc:
        print(f"ERROR: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
