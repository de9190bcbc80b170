"""Round trip: the tasks the Submit button queued, processed by `parascope worker` with real
CellProfiler, give per-group results in the emulator's S3 that match a local CellProfiler run of
the same pipeline."""

import csv
import io
import os
import subprocess
import sys

import boto3
import pytest

import project
from conftest import LAUNCHER
from test_headless import CELLPROFILER
from test_submit import APP, BUCKETS, create_queue_and_buckets, press, settings, write_config


def table(text, key):
    """An ExportToSpreadsheet CSV as {key value: row}, or rows sorted when key is None."""
    rows = list(csv.DictReader(io.StringIO(text)))
    return sorted(rows, key=lambda r: sorted(r.items())) if key is None else {r[key]: r for r in rows}


def nuclei(rows):
    """What users compare: each nucleus's area and its mean intensity in the Cells image."""
    return sorted((r["AreaShape_Area"], round(float(r["Intensity_MeanIntensity_Cells"]), 6)) for r in rows)


def exported(files, name):
    [path] = [f for f in files if f.endswith(name)]
    return files[path]


def task_logs():
    """Every task log the workers shipped (each try's CellProfiler command line and output)."""
    logs = boto3.client("logs")
    text = []
    for stream in logs.describe_log_streams(logGroupName=APP)["logStreams"]:
        events = logs.get_log_events(logGroupName=APP, logStreamName=stream["logStreamName"], startFromHead=True)
        text += [f"--- {stream['logStreamName']}"] + [e["message"] for e in events["events"]]
    return "\n".join(text)


def test_worker_results_match_a_local_cellprofiler_run(cellprofiler, aws, tmp_path):
    create_queue_and_buckets()
    boto3.client("logs").create_log_group(logGroupName=APP)  # LOG_GROUP_NAME, as 'parascope setup' makes it
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    with open(config, "a") as out:
        out.write("DOWNLOAD_FILES = 'True'\n")
        out.write("RETRY_DELAY = 1\n")  # a failing try is retried at once, not after the default 10 s
    pipeline = project.make_pipeline(images, parascope=settings(config))
    module = pipeline.modules()[-1]
    outcome = press(module, pipeline, module.submit_button)
    assert outcome.ok, outcome.message

    # The workers: real CellProfiler (this environment's) on PATH.
    env = dict(os.environ, PATH=str(CELLPROFILER.parent) + os.pathsep + os.environ.get("PATH", ""))
    worker = subprocess.run([str(LAUNCHER), "--config", str(config), "worker", "--idle-exit", "10"],
                            capture_output=True, text=True, env=env, cwd=config.parent, timeout=1800)
    # Shown by pytest only if the test fails: what the worker said, and each try's task log.
    print(worker.stdout, worker.stderr, task_logs(), sep="\n")
    assert worker.returncode == 0, f"parascope worker exited with {worker.returncode}"

    # The same pipeline run here, without the Parascope module, one group at a time.
    local = project.make_pipeline(images, parascope=None)
    local_file = tmp_path / "local.cppipe"
    with open(local_file, "w") as out:
        local.dump(out, save_image_plane_details=False)
    file_list = tmp_path / "files.txt"
    file_list.write_text("\n".join(str(f) for f in images) + "\n")
    s3 = boto3.client("s3")
    for well in project.WELLS:
        here = tmp_path / "local" / well
        here.mkdir(parents=True)
        run = subprocess.run([str(CELLPROFILER), "-c", "-r", "-p", str(local_file), "--file-list", str(file_list),
                              "-o", str(here), "-g", f"Metadata_Well={well}"], capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr
        local_files = {p.name: p.read_text() for p in here.iterdir()}

        prefix = f"results/plate1/{well}/"
        listing = s3.list_objects_v2(Bucket=BUCKETS["DESTINATION_BUCKET"], Prefix=prefix).get("Contents", [])
        remote_files = {o["Key"][len(prefix):]: s3.get_object(Bucket=BUCKETS["DESTINATION_BUCKET"], Key=o["Key"])[
            "Body"].read().decode() for o in listing}
        assert set(local_files) <= set(remote_files), remote_files.keys()

        local_images = table(exported(local_files, "Image.csv"), "Metadata_Site")
        remote_images = table(exported(remote_files, "Image.csv"), "Metadata_Site")
        assert sorted(remote_images) == sorted(local_images) == ["1", "2"]
        for site in local_images:
            assert remote_images[site]["Count_Nuclei"] == local_images[site]["Count_Nuclei"]
        assert nuclei(table(exported(remote_files, "Nuclei.csv"), None)) == \
            nuclei(table(exported(local_files, "Nuclei.csv"), None))
