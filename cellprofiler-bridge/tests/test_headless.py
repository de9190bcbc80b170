"""`cellprofiler -c -r -p pipeline.cppipe` with the Parascope module in the pipeline: the real
CellProfiler command, loading the module from a plugins folder, submits instead of running."""

import os
import subprocess
import sys
from pathlib import Path

import project
from test_submit import create_queue_and_buckets, queued_bodies, settings, write_config

CELLPROFILER = Path(sys.executable).parent / "cellprofiler"


def headless_run(pipeline_file, plugins_dir, files, output):
    file_list = output.parent / "files.txt"
    file_list.write_text("\n".join(str(f) for f in files) + "\n")
    # The file list is given as DCP's workers give it: this nightly does not read back a list saved
    # inside the .cppipe when run headless (it finds no image sets).
    return subprocess.run(
        [str(CELLPROFILER), "-c", "-r", "-p", str(pipeline_file), "--plugins-directory", str(plugins_dir),
         "-o", str(output), "--file-list", str(file_list)],
        capture_output=True, text=True, timeout=900, env=dict(os.environ))


def run_headless_with_module(plugins_dir, tmp_path):
    """Saves a pipeline ending in the Parascope module (config in tmp_path/project) and runs it headless;
    returns the finished run and its output folder."""
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config, job_name="headless"))
    pipeline_file = tmp_path / "analysis.cppipe"
    with open(pipeline_file, "w") as out:
        pipeline.dump(out, save_image_plane_details=False)
    output = tmp_path / "local results"
    output.mkdir()
    return headless_run(pipeline_file, plugins_dir, images, output), output


def test_a_headless_run_submits_the_job_and_stops_saying_so(cellprofiler, plugins_dir, aws, tmp_path):
    queue = create_queue_and_buckets()

    run, output = run_headless_with_module(plugins_dir, tmp_path)

    assert "Submitted job headless-" in run.stdout and ": 3 tasks to queue BridgeTestQueue" in run.stdout, run.stderr
    assert "The pipeline was sent to Parascope instead of running here; the local run stops." in run.stdout
    # CellProfiler ends a run stopped before its first image set with exit code 1 (as after CreateBatchFiles).
    assert run.returncode == 1
    assert list(output.iterdir()) == [], "nothing ran here: ExportToSpreadsheet wrote no files"
    assert sorted(b["metadata"]["Metadata_Well"] for b in queued_bodies(queue)) == project.WELLS


def test_a_headless_run_that_cannot_submit_says_nothing_was_sent(cellprofiler, plugins_dir, aws, tmp_path):
    run, _ = run_headless_with_module(plugins_dir, tmp_path)

    assert ("Parascope: queue BridgeTestQueue does not exist in us-east-1: run 'parascope setup' first\n"
            "Nothing was sent to Parascope; the local run stops.") in run.stdout, run.stdout + run.stderr
    assert run.returncode == 1
