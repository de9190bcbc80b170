"""The bridge drives the real parascope command line (built by ./run-tests before pytest runs)."""

from pathlib import Path

import pytest

from parascope_bridge import cli

LAUNCHER = Path(__file__).resolve().parents[2] / "parascope"


def test_runs_the_real_command_line():
    result = cli.run(["--version"], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("parascope ")


def test_errors_come_back_verbatim_with_their_exit_code(tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{"parascope_job": 1, "engine": "fiji", "script": "m.ijm", "output": "o", "tasks": [}')
    result = cli.run(["run", "--local", str(job)], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 2
    assert str(job.name) in result.stderr and "line 1" in result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_argument_with_spaces_stays_one_argument(tmp_path):
    missing = tmp_path / "a folder with spaces" / "job.json"
    result = cli.run(["run", "--local", str(missing)], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 2
    assert f"{missing}: no such job file" in result.stderr


def test_a_missing_launcher_is_explained(monkeypatch):
    monkeypatch.delenv("PARASCOPE", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(FileNotFoundError, match="PARASCOPE environment variable"):
        cli.find_parascope()
