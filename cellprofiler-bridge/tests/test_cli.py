"""The module drives the real parascope command line (built by ./run-tests before pytest runs)."""

import pytest

from conftest import LAUNCHER


def test_runs_the_real_command_line(cellprofiler):
    result = cellprofiler.run_cli(["--version"], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("parascope ")


def test_errors_come_back_verbatim_with_their_exit_code(cellprofiler, tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{"parascope_job": 1, "engine": "fiji", "script": "m.ijm", "output": "o", "tasks": [}')
    result = cellprofiler.run_cli(["run", "--local", str(job)], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 2
    assert str(job.name) in result.stderr and "line 1" in result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_argument_with_spaces_stays_one_argument(cellprofiler, tmp_path):
    missing = tmp_path / "a folder with spaces" / "job.json"
    result = cellprofiler.run_cli(["run", "--local", str(missing)], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 2
    assert f"{missing}: no such job file" in result.stderr


def test_a_missing_launcher_is_explained(cellprofiler, monkeypatch):
    monkeypatch.delenv("PARASCOPE", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(cellprofiler.ParascopeError, match="PARASCOPE environment variable"):
        cellprofiler.find_parascope()


def test_the_launcher_is_found_through_the_environment(cellprofiler, monkeypatch):
    monkeypatch.setenv("PARASCOPE", str(LAUNCHER))
    monkeypatch.setenv("PATH", "")
    assert cellprofiler.find_parascope() == str(LAUNCHER)
