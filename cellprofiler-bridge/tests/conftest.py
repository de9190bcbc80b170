"""Shared parts of the bridge's tests: a real headless CellProfiler with the Parascope module loaded
by CellProfiler's own plugin loader (from this checkout's source), the real parascope command line,
and a real AWS API emulator (moto server) on a loopback port."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "parascope"
MODULE_SOURCE = ROOT / "cellprofiler-bridge" / "src" / "parascope_bridge" / "parascope.py"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def plugins_dir(tmp_path_factory):
    """A CellProfiler plugins folder holding a copy of the module, as a user would make it."""
    folder = tmp_path_factory.mktemp("plugins")
    shutil.copy(MODULE_SOURCE, folder)
    return folder


@pytest.fixture(scope="session")
def cellprofiler(plugins_dir):
    """CellProfiler's modules and the Parascope plugin; returns the plugin's Python module."""
    try:
        import cellprofiler_core.preferences as prefs
        import cellprofiler.modules  # noqa: F401  (the analysis modules the pipelines use)
    except ImportError as e:
        pytest.fail(f"CellProfiler is not installed in {sys.prefix} ({e}): run ./run-tests, which installs it")
    prefs.set_headless()
    prefs.set_plugin_directory(str(plugins_dir), globally=False)
    from cellprofiler_core.utilities.core import modules

    try:
        from cellprofiler_core.utilities.core.plugins import load_plugins  # CellProfiler 5
    except ImportError:  # CellProfiler 4.2: fill_modules loads the plugins folder's modules itself
        load_plugins = None
    modules.fill_modules()
    if load_plugins:
        load_plugins(modules_only=True)
    assert "Parascope" in modules.get_module_names(), "CellProfiler's plugin loader did not load the module"
    try:
        # CellProfiler 4.2's Images module lists files in Java: start it as CellProfiler does at start.
        from cellprofiler_core.utilities.java import start_java, stop_java
        import javabridge  # noqa: F401  (4.2's; CellProfiler 5 has none)
    except ImportError:
        start_java = stop_java = None
    if start_java:
        start_java()
    yield sys.modules["parascope"]
    if stop_java:
        stop_java()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    """A moto server for this session; yields the environment that points AWS clients at it. The server is
    PARASCOPE_MOTO_SERVER, else the one next to this Python (moto does not run on CellProfiler 4.2's Python 3.8)."""
    server = Path(os.environ.get("PARASCOPE_MOTO_SERVER") or Path(sys.executable).parent / "moto_server")
    if not server.is_file():
        pytest.fail(f"moto_server not found at {server}: install requirements-test.txt (./run-tests does)")
    port = _free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    # AWS's managed policies, which init-account attaches to the roles it makes (as core's tests run moto).
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    process = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                               env=env)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"moto_server did not start on port {port}")
            time.sleep(0.2)
    yield {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture
def aws(moto, monkeypatch):
    """The emulator, emptied, and this process's environment pointing at it (the CLI inherits it)."""
    urllib.request.urlopen(urllib.request.Request(moto["AWS_ENDPOINT_URL"] + "/moto-api/reset", method="POST"))
    for key, value in moto.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PARASCOPE", str(LAUNCHER))
    return moto
