"""The module's buttons as the GUI runs them, headless: each command runs in the background (a CliRun),
with submit's progress in files, bytes and tasks, and a Cancel that leaves nothing half-submitted; then
Monitor, Clean up and Start fleet; Run locally with real CellProfiler. Real parascope, real moto."""

import csv
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pytest

import project
from conftest import LAUNCHER
from slow_endpoint import SlowEndpoint, task_sends, uploads
from test_headless import CELLPROFILER
from test_submit import APP, BUCKETS, create_queue_and_buckets, objects, press, queued_bodies, settings, write_config


def wait_until(condition, what, timeout=600):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def job_records(config):
    folder = config.parent / "files" / f"{APP}Jobs"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.fixture
def slow_uploads(aws, monkeypatch):
    """Every S3 upload held 0.5 s, one at a time: 14 files take about 7 s, time to press Cancel."""
    slow = SlowEndpoint(aws["AWS_ENDPOINT_URL"], uploads, 0.5)
    monkeypatch.setenv("AWS_ENDPOINT_URL", slow.url)
    yield slow
    slow.close()


def test_cancel_while_uploading_queues_and_records_nothing_and_the_next_submit_sends_it_all(
        cellprofiler, aws, slow_uploads, tmp_path, monkeypatch):
    queue = create_queue_and_buckets()
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config))
    module = pipeline.modules()[-1]

    background = cellprofiler.start_submit(module, pipeline, cellprofiler.prepared_run(pipeline, module))
    run = background.run
    wait_until(lambda: run.progress.files_stored >= 1 or run.done(), "the first file stored")
    progress = run.progress
    assert progress.phase == "upload", progress
    total_bytes = sum(f.stat().st_size for f in images) + sum(
        (config.parent / "files" / "plate1" / n).stat().st_size for n in ("pipeline.cppipe", "load_data.csv"))
    assert (progress.files, progress.bytes) == (14, total_bytes)
    assert progress.text().startswith(f"Uploading: {progress.files_stored} of 14 files, ")
    assert run.cancel(), "Cancel is honoured while files upload"
    with pytest.raises(cellprofiler.ParascopeError) as cancelled:
        background.outcome()

    assert str(cancelled.value).startswith("cancelled: no task was queued and nothing was recorded (")
    assert "of 14 files had been stored in the buckets; the next submit skips them)" in str(cancelled.value)
    assert queued_bodies(queue) == []
    assert job_records(config) == [], "no record: the same job can be submitted again without --force"

    monkeypatch.setenv("AWS_ENDPOINT_URL", aws["AWS_ENDPOINT_URL"])
    outcome = press(module, pipeline, module.submit_button)
    assert outcome.ok, outcome.message
    assert outcome.result["tasksSent"] == 3 and outcome.result["uploaded"] < 14, outcome.result
    assert len(objects(BUCKETS["SOURCE_BUCKET"])) == 12
    assert len(queued_bodies(queue)) == 3


def test_cancel_is_refused_once_tasks_are_being_sent_and_the_whole_job_is_queued(cellprofiler, aws, tmp_path,
                                                                                    monkeypatch):
    queue = create_queue_and_buckets()
    slow = SlowEndpoint(aws["AWS_ENDPOINT_URL"], task_sends, 0.3)
    monkeypatch.setenv("AWS_ENDPOINT_URL", slow.url)
    config = write_config(tmp_path / "project")
    job = config.parent / "job.json"
    job.write_text(json.dumps({"pipeline": "p/pipeline.cppipe", "data_file": "p/load_data.csv", "input": "p/images",
                               "output": "results", "groups": [{"Metadata": f"Metadata_Well=W{i:02d}"} for i in range(40)]}))
    cli = cellprofiler.Cli(config, str(LAUNCHER))
    try:
        run = cli.start("submit", str(job), "--json", "--json-progress", can_cancel=lambda p: p.phase != "send")
        wait_until(lambda: run.progress.phase == "send" or run.done(), "the send phase")
        assert not run.cancel(), "stopping now would leave part of the job queued"
        result = run.wait()
    finally:
        slow.close()
        monkeypatch.setenv("AWS_ENDPOINT_URL", aws["AWS_ENDPOINT_URL"])
    assert result.exit_code == 0, result.stderr
    assert run.progress.sent == 40 and run.progress.text() == "Queueing tasks: 40 of 40 sent"
    assert len(queued_bodies(queue)) == 40
    [record] = job_records(config)
    assert json.loads(record.read_text())["state"] == "complete"


def test_after_a_submit_the_module_offers_start_fleet_monitor_and_clean_up(cellprofiler, aws, tmp_path):
    create_queue_and_buckets()
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config))
    module = pipeline.modules()[-1]
    labels = lambda: [s.label for s in module.visible_settings() if type(s).__name__ == "DoSomething"]  # noqa: E731
    assert labels() == ["Submit to AWS", "Run locally"]

    outcome = press(module, pipeline, module.submit_button)
    assert outcome.ok, outcome.message
    assert labels() == ["Submit to AWS", "Run locally", "Start fleet", "Monitor", "Clean up"]

    monitor = module.on_monitor()
    try:
        wait_until(lambda: monitor.polls >= 1, "a status poll")
    finally:
        monitor.stop()
    text = monitor.latest.text()
    assert text.startswith(f"Queue {APP}Queue: 3 waiting, 0 in flight, 0 dead\n"), text
    assert f"Job {outcome.result['jobId']}: 3 of 3 tasks sent (complete)" in text

    # Without 'parascope setup' there is no fleet to start: the command line's reason, as it says it.
    started = press(module, pipeline, module.start_fleet_button)
    assert not started.ok and started.message.startswith("Parascope: "), started.message
    assert "exit code" not in started.message and "Traceback" not in started.message, started.message

    cleaned = press(module, pipeline, module.clean_up_button)
    assert cleaned.ok, cleaned.message
    names = [Path(u).name for u in boto3.client("sqs").list_queues().get("QueueUrls", [])]
    assert f"{APP}Queue" not in names, cleaned.message


def test_a_missing_fleet_file_is_named(cellprofiler, tmp_path):
    config = write_config(tmp_path / "project")
    images = project.make_images(tmp_path / "images")
    pipeline = project.make_pipeline(images, parascope=settings(config, fleet_file=str(tmp_path / "fleet.json")))
    module = pipeline.modules()[-1]
    outcome = press(module, pipeline, module.start_fleet_button)
    assert outcome.message == f"Parascope: fleet file not found: {tmp_path / 'fleet.json'}"


def test_run_locally_runs_the_job_with_cellprofiler_into_the_default_output_folder(cellprofiler, tmp_path,
                                                                                     monkeypatch):
    import cellprofiler_core.preferences as prefs

    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    results = tmp_path / "results"
    results.mkdir()
    prefs.set_default_output_directory(str(results))
    monkeypatch.setenv("PATH", str(CELLPROFILER.parent) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("PARASCOPE", str(LAUNCHER))
    # One task (the plate) keeps it to one CellProfiler run; Submit's tests cover one task per well.
    pipeline = project.make_pipeline(images, parascope=settings(config, grouping="Plate"))
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.run_locally_button)

    assert outcome.ok, outcome.message
    assert outcome.message.startswith(f"Ran job plate1 (1 tasks) here; results in {results}."), outcome.message
    # The run's HTML report, where the user sees it: the line after the first.
    report = outcome.message.splitlines()[1]
    assert report.startswith("Report: ") and report.endswith(" (open it in a web browser)"), outcome.message
    assert "<html" in Path(report[len("Report: "):-len(" (open it in a web browser)")]).read_text().lower()
    [image_table] = (results / "results" / "plate1").glob("*/*Image.csv")
    rows = list(csv.DictReader(image_table.open()))
    assert sorted(r["Metadata_Well"] for r in rows) == sorted(project.WELLS * len(project.SITES)), image_table
    # The nuclei of each image are those this CellProfiler finds itself, run on the same images without the module.
    local = project.make_pipeline(images, parascope=None)
    local_file = tmp_path / "local.cppipe"
    with open(local_file, "w") as out:
        local.dump(out, save_image_plane_details=False)
    file_list = tmp_path / "files.txt"
    file_list.write_text("\n".join(str(f) for f in images) + "\n")
    here = tmp_path / "local"
    here.mkdir()
    run = subprocess.run([str(CELLPROFILER), "-c", "-r", "-p", str(local_file), "--file-list", str(file_list),
                          "-o", str(here)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    [local_table] = here.glob("*Image.csv")
    counted = {(r["Metadata_Well"], r["Metadata_Site"]): r["Count_Nuclei"] for r in csv.DictReader(local_table.open())}
    assert {(r["Metadata_Well"], r["Metadata_Site"]): r["Count_Nuclei"] for r in rows} == counted, rows


def tools_without_java(folder):
    """A short PATH, as a desktop gives CellProfiler: the tools the launcher uses, and no java."""
    folder.mkdir()
    for tool in ("bash", "dirname", "find", "mktemp", "rm", "mv", "cat"):
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def test_a_missing_java_is_named_instead_of_exit_code_127(cellprofiler, tmp_path, monkeypatch):

    path = str(tools_without_java(tmp_path / "bin"))
    monkeypatch.setenv("PATH", path)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(cellprofiler, "JAVA_HOMES", [])  # this machine has JDKs in /usr/lib/jvm
    # What users saw before: the launcher itself cannot find java.
    bare = subprocess.run([str(LAUNCHER), "--version"], capture_output=True, text=True, timeout=600,
                          env={"PATH": path, "HOME": os.environ["HOME"]})
    assert bare.returncode == 127, bare.stderr

    config = write_config(tmp_path / "project")
    images = project.make_images(tmp_path / "images")
    pipeline = project.make_pipeline(images, parascope=settings(config, parascope_command=str(LAUNCHER)))
    module = pipeline.modules()[-1]
    outcome = press(module, pipeline, module.submit_button)

    assert outcome.message.startswith("Parascope: Java not found: parascope needs Java 17 or newer. Install a JDK"), \
        outcome.message
    assert "JAVA_HOME" in outcome.message and "127" not in outcome.message


def test_java_is_found_in_its_usual_folder_when_the_desktop_gives_a_short_path(cellprofiler, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tools_without_java(tmp_path / "bin")))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = cellprofiler.run_cli(["--version"], parascope=str(LAUNCHER), timeout=600)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("parascope ")


def test_a_java_too_old_is_named(cellprofiler, tmp_path, monkeypatch):
    # An old JDK's folder as it is laid out (bin/java and the release file); not run, only read.
    old = tmp_path / "jdk8"
    (old / "bin").mkdir(parents=True)
    (old / "bin" / "java").write_text("")
    (old / "release").write_text('JAVA_VERSION="1.8.0_392"\n')
    monkeypatch.setenv("JAVA_HOME", str(old))
    monkeypatch.setenv("PATH", str(tools_without_java(tmp_path / "bin")))
    monkeypatch.setattr(cellprofiler, "JAVA_HOMES", [])
    with pytest.raises(cellprofiler.ParascopeError, match=r"found only older ones: .*jdk8 \(Java 8\)"):
        cellprofiler.find_java()


def test_a_parascope_command_setting_that_is_not_a_file_is_named(cellprofiler, tmp_path):
    with pytest.raises(cellprofiler.ParascopeError, match="parascope not found at /nowhere/parascope"):
        cellprofiler.find_parascope("/nowhere/parascope")
