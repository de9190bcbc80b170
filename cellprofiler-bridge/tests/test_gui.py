"""The module in CellProfiler's real wx GUI, on a virtual X display (Xvfb): CellProfiler 5 with its
frontend in .venv-gui (Debian's wxPython, see ./run-tests), the module and a driver in its plugins
folder. The driver (gui/parascope_gui_driver.py) presses Submit to AWS, Cancels while the files upload,
submits again, opens Monitor and presses Clean up, screenshotting each step; the emulator shows what
happened. The screenshots are in this test's temporary folder (docs/img has copies, described in
docs/cellprofiler.md)."""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import boto3
import pytest

import project
from conftest import LAUNCHER, MODULE_SOURCE, ROOT
from slow_endpoint import SlowEndpoint, uploads
from test_submit import APP, create_queue_and_buckets, queued_bodies, settings, write_config

GUI_VENV = ROOT / ".venv-gui"
DRIVER = Path(__file__).parent / "gui" / "parascope_gui_driver.py"
DISPLAYS = range(71, 80)
SHOTS = ["cellprofiler-module.png", "cellprofiler-submit-progress.png", "cellprofiler-submit-cancelled.png",
         "cellprofiler-submitted.png", "cellprofiler-next-steps.png", "cellprofiler-monitor.png",
         "cellprofiler-clean-up.png"]


def gui_cellprofiler():
    """CellProfiler's GUI, or a failure naming the missing part."""
    python = GUI_VENV / "bin" / "python"
    if not python.is_file():
        pytest.fail(f"{GUI_VENV} is missing: ./run-tests makes it (Debian's python3-wxgtk4.0 with /usr/bin/python3, "
                    "a venv with --system-site-packages, CellProfiler 5 with its frontend and appose)")
    check = subprocess.run([str(python), "-c", "import wx, appose, cellprofiler.gui.app"], capture_output=True,
                           text=True, timeout=600)
    if check.returncode != 0:
        pytest.fail(f"CellProfiler's GUI cannot be imported in {GUI_VENV} (install python3-wxgtk4.0 from Debian, then "
                    f"run ./run-tests): {check.stderr.strip().splitlines()[-1:]}")
    return GUI_VENV / "bin" / "cellprofiler"


@pytest.fixture
def display(tmp_path):
    """A virtual X display of its own, the first free of :71 to :79, with a window manager."""
    xvfb, openbox, xwd = shutil.which("Xvfb"), shutil.which("openbox"), shutil.which("xwd")
    missing = [package for tool, package in ((xvfb, "xvfb"), (openbox, "openbox"), (xwd, "x11-apps")) if not tool]
    if missing:
        pytest.fail(f"missing Debian packages {', '.join(missing)} (Xvfb, a window manager, xwd for screenshots): "
                    "./run-tests installs them as root")
    for number in DISPLAYS:
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        server = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if accepts_clients(number, server):
            # A window manager, as on a desktop: without one, GTK 3 never paints a dialog (it stays black).
            manager = subprocess.Popen([openbox], env=dict(os.environ, DISPLAY=f":{number}"),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            yield f":{number}"
            manager.terminate()
            manager.wait(timeout=30)
            server.terminate()
            server.wait(timeout=30)
            return
        server.kill()
        server.wait(timeout=30)
    pytest.fail(f"no virtual display could be started on :{DISPLAYS.start} to :{DISPLAYS.stop - 1}")


def accepts_clients(number, server):
    """True once the X server on :number takes connections (its socket answers)."""
    deadline = time.monotonic() + 60
    while server.poll() is None and time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as client:
            try:
                client.connect(f"/tmp/.X11-unix/X{number}")
                return True
            except OSError:
                time.sleep(0.1)
    return False


def test_the_module_in_cellprofilers_gui(cellprofiler, aws, display, tmp_path):
    executable = gui_cellprofiler()
    queue = create_queue_and_buckets()
    images = project.make_images(tmp_path / "my images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config, parascope_command=str(LAUNCHER),
                                                                grouping="Well"))
    pipeline_file = tmp_path / "analysis.cppipe"
    with open(pipeline_file, "w") as out:
        pipeline.dump(out, save_image_plane_details=False)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(MODULE_SOURCE, plugins)
    shutil.copy(DRIVER, plugins)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps({"out": str(shots), "image_urls": [f.as_uri() for f in images]}))
    home = tmp_path / "home"
    home.mkdir()
    # Uploads held 0.5 s each, one at a time, so that Cancel lands while files upload.
    slow = SlowEndpoint(aws["AWS_ENDPOINT_URL"], uploads, 0.5)
    env = dict(os.environ, DISPLAY=display, HOME=str(home), AWS_ENDPOINT_URL=slow.url, PARASCOPE_GUI_DRIVER=str(steps),
               NO_AT_BRIDGE="1")
    try:
        with open(tmp_path / "cellprofiler.log", "w") as log:
            gui = subprocess.run([str(executable), "--plugins-directory", str(plugins), "-p", str(pipeline_file)],
                                 stdout=log, stderr=subprocess.STDOUT, env=env, timeout=900)
    finally:
        slow.close()
    output = (tmp_path / "cellprofiler.log").read_text()
    report_file = shots / "report.json"
    assert report_file.is_file(), f"the driver wrote no report (exit code {gui.returncode}):\n{output[-3000:]}"
    report = json.loads(report_file.read_text())
    assert "error" not in report, report["error"] + "\n" + output[-3000:]
    steps = report["steps"]

    during = next(s for s in steps if "gui_answers_during_upload" in s)
    assert during["phase"] == "upload" and during["progress"].startswith("Uploading: "), during
    outcomes = [s for s in steps if "outcome" in s]
    cancelled, submitted, cleaned = outcomes
    assert not cancelled["ok"] and cancelled["outcome"].startswith(
        "Parascope: cancelled: no task was queued and nothing was recorded ("), cancelled
    assert submitted["ok"] and submitted["outcome"].startswith("Submitted job plate1-"), submitted
    assert ": 3 tasks to queue BridgeTestQueue" in submitted["outcome"]
    monitor = next(s["monitor"] for s in steps if "monitor" in s)
    assert monitor.startswith(f"Queue {APP}Queue: 3 waiting, 0 in flight, 0 dead"), monitor
    assert cleaned["ok"], cleaned
    names = [Path(u).name for u in boto3.client("sqs").list_queues().get("QueueUrls", [])]
    assert f"{APP}Queue" not in names
    for name in SHOTS:
        assert (shots / name).stat().st_size > 10_000, f"{name}: no screenshot"
