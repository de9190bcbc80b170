"""The module as CellProfiler loads it: from a plugins folder, through CellProfiler's own loader,
and installed there from the pip package."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import MODULE_SOURCE

LOAD = """
import sys
import cellprofiler_core.preferences as prefs
prefs.set_headless()
prefs.set_plugin_directory(sys.argv[1], globally=False)
from cellprofiler_core.utilities.core import modules
try:
    from cellprofiler_core.utilities.core.plugins import load_plugins  # CellProfiler 5
except ImportError:  # CellProfiler 4.2: fill_modules loads the plugins folder's modules itself
    load_plugins = None
modules.fill_modules()
if load_plugins:
    load_plugins(modules_only=True)
module = modules.instantiate_module("Parascope")
print(module.category)
print("|".join(s.text for s in module.visible_settings()))
print("|".join(getattr(s, "label", "") for s in module.visible_settings() if type(s).__name__ == "DoSomething"))
"""


def load_in_fresh_cellprofiler(folder):
    run = subprocess.run([sys.executable, "-c", LOAD, str(folder)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_cellprofiler_loads_the_module_from_a_plugins_folder(plugins_dir):
    category, settings, buttons = load_in_fresh_cellprofiler(plugins_dir)
    assert category == "File Processing"
    assert settings.split("|")[:6] == ["Parascope config file", "Parascope command", "Job name", "Grouping metadata",
                                       "Output location", "Output structure"]
    assert buttons == "Submit to AWS|Run locally"


def test_the_package_installs_the_module_into_a_plugins_folder(tmp_path):
    plugins = tmp_path / "my plugins"
    plugins.mkdir()
    env = dict(os.environ, PYTHONPATH=str(MODULE_SOURCE.parents[1]))
    run = subprocess.run([sys.executable, "-m", "parascope_bridge", "install-plugin", str(plugins)],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert (plugins / "parascope.py").read_bytes() == MODULE_SOURCE.read_bytes()
    assert load_in_fresh_cellprofiler(plugins)[0] == "File Processing"


def test_installing_into_a_missing_folder_is_refused(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(MODULE_SOURCE.parents[1]))
    missing = tmp_path / "nowhere"
    run = subprocess.run([sys.executable, "-m", "parascope_bridge", "install-plugin", str(missing)],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 2
    assert run.stderr.strip() == f"parascope_bridge: no such folder: {missing}"
