"""tools/devenv.py without Odoo: pip's log summarised, what is left out said
once, and ``make bench`` started with the Odoo that ``ODOO_PATH`` names."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("devenv", ROOT / "tools" / "devenv.py")
devenv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devenv)

PIP_LOG = """\
Collecting python-ldap==3.4.0
  Building wheel for python-ldap (pyproject.toml) ... error
  error: subprocess-exited-with-error
      In file included from Modules/LDAPObject.c:3:
      Modules/common.h:15:10: fatal error: lber.h: No such file or directory
  ERROR: Failed building wheel for python-ldap
  Building wheel for pyusb (pyproject.toml) ... done
Failed to build python-ldap
ERROR: Could not build wheels for python-ldap, which is required to install
Collecting python-ldap==3.4.4
  ERROR: Failed building wheel for python-ldap
  ERROR: Failed building wheel for cbor2
Failed to build python-ldap pyusb
ERROR: Failed to build installable wheels for some pyproject.toml based projects \
(python-ldap, psycopg2)
"""


def odoo_tree(tmp_path, version="18, 0, 0"):
    tree = tmp_path / "odoo18"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text(
        f"version_info = ({version}, 'final', 0, '')\n"
    )
    (tree / "requirements.txt").write_text("Babel==2.10.3\n")
    return tree


@pytest.fixture
def state(tmp_path, monkeypatch):
    """devenv's virtualenv and .odoo folder in a temporary folder."""
    monkeypatch.setattr(devenv, "VENV", tmp_path / "venv")
    monkeypatch.setattr(devenv, "STATE", tmp_path / "state")
    monkeypatch.setattr(devenv, "PIP_LOG", tmp_path / "state" / "pip.log")
    monkeypatch.setattr(devenv, "_PIP_LOG_OPEN", [])
    (tmp_path / "venv").mkdir()
    return tmp_path


def test_failed_builds_names_each_package_once_in_order():
    assert devenv.failed_builds(PIP_LOG) == [
        "python-ldap",
        "cbor2",
        "pyusb",
        "psycopg2",
    ]
    assert devenv.failed_builds("Successfully installed Babel-2.10.3\n") == []


def test_log_tail_gives_the_last_lines(tmp_path):
    log = tmp_path / "pip.log"
    log.write_text("".join(f"line {n}\n" for n in range(100)))
    assert devenv.log_tail(log) == [f"line {n}" for n in range(80, 100)]
    assert devenv.log_tail(tmp_path / "absent.log") == []


def test_left_out_names_the_debian_packages_and_the_command():
    message = devenv.left_out_message("python-ldap", ["libldap2-dev", "libsasl2-dev"])
    assert "`sudo apt-get install libldap2-dev libsasl2-dev`" in message
    assert "auth_ldap" in message
    assert "pip.log" in devenv.left_out_message("cbor2")


def test_missing_build_depends_follows_the_headers():
    assert devenv.missing_build_depends(exists=lambda path: True) == {}
    missing = devenv.missing_build_depends(exists=lambda path: "sasl" in path)
    assert missing == {"python-ldap": ["libldap2-dev"]}


def test_without_packages_drops_every_pin_of_a_package():
    text = (
        "# comment\n"
        "python-ldap==3.4.0 ; python_version < '3.12'\n"
        "python_ldap==3.4.4 ; python_version >= '3.12'\n"
        "python-stdnum==1.19\n"
        "pytz\n"
    )
    assert devenv.without_packages(text, ["python-ldap"]) == (
        "# comment\npython-stdnum==1.19\npytz\n"
    )


def test_pip_failure_shows_the_end_of_the_log(state, capsys):
    devenv.PIP_LOG.parent.mkdir(parents=True)
    devenv.PIP_LOG.write_text("".join(f"pip says {n}\n" for n in range(50)))
    with pytest.raises(devenv.SetupError, match="full log: .*pip.log"):
        devenv.pip_failure("installing requirements.txt failed")
    err = capsys.readouterr().err
    assert "pip says 49" in err and "pip says 30" in err
    assert "pip says 29" not in err


def test_pip_output_goes_to_the_log_not_the_terminal(state, monkeypatch, capfd):
    calls = []

    def fake_run(cmd, check=True, stdout=None, **kwargs):
        calls.append(cmd)
        stdout.write("Collecting Babel==2.10.3\n" * 500)
        return subprocess.CompletedProcess(cmd, 1 if "bad" in cmd else 0)

    monkeypatch.setattr(devenv, "run", fake_run)
    assert devenv.pip_install(["Babel==2.10.3"]) == 0
    assert devenv.pip_install(["bad"]) == 1
    assert capfd.readouterr().out == ""
    log = devenv.PIP_LOG.read_text()
    assert log.count("Collecting") == 1000  # both runs, one log
    assert "[exit status 1]" in log
    assert calls[0][:4] == [str(devenv.venv_python()), "-m", "pip", "install"]


def test_a_package_that_cannot_build_is_left_out_and_said_once(
    state, monkeypatch, capsys
):
    """Not root, no LDAP headers: python-ldap is not even tried, the rest is
    installed in one pip run, and one line says which command to run."""
    tree = odoo_tree(state)
    (tree / "requirements.txt").write_text(
        "Babel==2.10.3\npython-ldap==3.4.0 ; sys_platform != 'win32'\n"
    )
    installed = []

    def fake_pip(args, env=None):
        installed.append(Path(args[1]).read_text() if args[0] == "-r" else args)
        return 0

    monkeypatch.setattr(devenv, "pip_install", fake_pip)
    monkeypatch.setattr(devenv, "is_root", lambda: False)
    monkeypatch.setattr(
        devenv, "missing_build_depends", lambda: {"python-ldap": ["libldap2-dev"]}
    )
    devenv.ensure_odoo_requirements(tree)
    assert installed == ["Babel==2.10.3\n"]
    out = capsys.readouterr().out
    assert out.count("python-ldap was left out") == 1
    assert "sudo apt-get install libldap2-dev" in out
    assert len(out.splitlines()) == 2
    # done: a second run installs nothing and says nothing
    devenv.ensure_odoo_requirements(tree)
    assert len(installed) == 1
    assert capsys.readouterr().out == ""


def test_as_root_the_build_dependencies_are_installed_first(state, monkeypatch):
    headers = set()
    commands = []

    def fake_run(cmd, check=True, **kwargs):
        commands.append(cmd)
        if cmd[:2] == ["apt-get", "install"]:
            headers.update(devenv.BUILD_DEPENDS["python-ldap"].values())
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(devenv, "run", fake_run)
    monkeypatch.setattr(devenv, "is_root", lambda: True)
    monkeypatch.setattr(devenv.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(devenv.os.path, "exists", lambda path: path in headers)
    assert devenv.ensure_build_depends() == {}
    assert commands == [
        ["apt-get", "install", "-y", "-qq", "libldap2-dev", "libsasl2-dev"]
    ]


def test_bench_runs_with_the_odoo_of_odoo_path(state, monkeypatch):
    tree = odoo_tree(state)
    monkeypatch.setenv("ODOO_PATH", str(tree))
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    monkeypatch.setattr(devenv, "ensure_odoo_requirements", lambda tree: None)
    odoo = devenv.require_odoo()
    cmd, env = devenv.bench_command(odoo, ["--only", "data", "--cases", "10"])
    assert cmd == [
        str(state / "venv" / "bin" / "python"),
        str(ROOT / "bench" / "run_all.py"),
        "--only",
        "data",
        "--cases",
        "10",
    ]
    assert env["PYTHONPATH"].split(":") == [str(tree.resolve()), "/elsewhere"]
    assert env["ODOO_PATH"] == str(tree)


def test_bench_refuses_another_major_version(state, monkeypatch):
    monkeypatch.setenv("ODOO_PATH", str(odoo_tree(state, version="17, 0, 0")))
    with pytest.raises(devenv.SetupError, match="Odoo 17.0 found"):
        devenv.require_odoo()


def test_bench_passes_every_argument_through(monkeypatch):
    seen = []
    monkeypatch.setattr(devenv, "cmd_bench", lambda args: seen.append(args) or 0)
    assert devenv.main(["bench", "--only", "data", "--help"]) == 0
    assert seen[0].bench_args == ["--only", "data", "--help"]


def test_make_bench_goes_through_devenv():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nbench:\n", 1)[1].splitlines()[0]
    assert "tools/devenv.py bench" in recipe
    assert ".venv" not in recipe


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_shown_paths_are_relative_to_the_checkout():
    assert devenv._shown(devenv.ROOT / ".odoo" / "pip.log") == ".odoo/pip.log"
    assert devenv._shown("/var/log/x.log") == "/var/log/x.log"
