"""Runs the `parascope` command line as a process: always an argv list, never a shell string."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


def find_parascope(setting=None):
    """The parascope launcher: the module's setting, else $PARASCOPE, else `parascope` on PATH."""
    for candidate in (setting, os.environ.get("PARASCOPE"), shutil.which("parascope")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise FileNotFoundError(
        "parascope not found: set the module's 'parascope command' setting, "
        "the PARASCOPE environment variable, or put parascope on PATH"
    )


def run(args, parascope=None, timeout=None):
    """Runs parascope with `args`; its errors come back verbatim in `stderr`."""
    completed = subprocess.run(
        [find_parascope(parascope), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)
