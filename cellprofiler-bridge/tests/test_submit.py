"""The Submit button, pressed programmatically on a pipeline with real input modules, against the real
parascope command line and the AWS emulator."""

import csv
import json
from pathlib import Path

import boto3
import pytest

import project

APP = "BridgeTest"
BUCKETS = {"SOURCE_BUCKET": "bridge-images", "WORKSPACE_BUCKET": "bridge-workspace",
           "DESTINATION_BUCKET": "bridge-results"}


def write_config(folder):
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"APP_NAME = '{APP}'", f"SQS_DEAD_LETTER_QUEUE = '{APP}Dead'"]
    lines += [f"{key} = '{bucket}'" for key, bucket in BUCKETS.items()]
    config = folder / "config.py"
    config.write_text("\n".join(lines) + "\n")
    return config


def create_queue_and_buckets():
    """What 'parascope setup' makes for a submit: the buckets, the queue and its dead-letter queue."""
    s3 = boto3.client("s3")
    for bucket in BUCKETS.values():
        s3.create_bucket(Bucket=bucket)
    sqs = boto3.client("sqs")
    dead = sqs.create_queue(QueueName=f"{APP}Dead")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"maxReceiveCount": "3", "deadLetterTargetArn": arn})
    return sqs.create_queue(QueueName=f"{APP}Queue", Attributes={"RedrivePolicy": policy})["QueueUrl"]


def queued_bodies(queue_url):
    sqs = boto3.client("sqs")
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return bodies
        bodies += [json.loads(m["Body"]) for m in got]


def objects(bucket):
    listing = boto3.client("s3").list_objects_v2(Bucket=bucket)
    return {o["Key"] for o in listing.get("Contents", [])}


def body_of(bucket, key):
    return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def settings(config, **more):
    values = {"config_file": str(config), "job_name": "plate1", "output_location": "results/plate1"}
    values.update(more)
    return values


def press(module, pipeline, button):
    """Presses a button as CellProfiler's GUI does: the module was activated with the pipeline."""
    from cellprofiler_core.image import ImageSetList
    from cellprofiler_core.measurement import Measurements
    from cellprofiler_core.workspace import Workspace

    module.on_activated(Workspace(pipeline, module, None, None, Measurements(), ImageSetList()))
    button.on_event_fired()
    return module.last_outcome


def test_submit_sends_a_loaddata_pipeline_its_csv_the_images_and_one_task_per_group(cellprofiler, aws, tmp_path):
    from cellprofiler_core.pipeline import Pipeline

    queue = create_queue_and_buckets()
    images = project.make_images(tmp_path / "my images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(
        config, grouping="Plate,Well", output_structure="Metadata_Plate/Metadata_Well"))
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert outcome.ok, outcome.message
    job_id = outcome.result["jobId"]
    assert job_id.startswith("plate1-")
    assert f"Submitted job {job_id}: 3 tasks to queue {APP}Queue (14 files uploaded)" in outcome.message
    assert f"parascope --config {config} monitor" in outcome.message

    folder = config.parent / "files" / "plate1"
    with open(folder / "load_data.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6
    assert not [c for c in rows[0] if c.startswith("URL_") or c == "Metadata_FileLocation"]
    # Single-image files: no Series_/Frame_ columns, whose all-0 values would make the workers' LoadData
    # hand CellProfiler's PNG reader a float series and get a 1xHxW stack that IdentifyPrimaryObjects rejects.
    assert not [c for c in rows[0] if c.startswith(("Series_", "Frame_"))], list(rows[0])
    first = rows[0]
    assert first["FileName_DNA"] == "P1_A01_s1_w1.png" and first["FileName_Cells"] == "P1_A01_s1_w2.png"
    assert first["PathName_DNA"] == "/home/ubuntu/bucket/plate1/images/row A"
    assert (first["Metadata_Plate"], first["Metadata_Well"], first["Metadata_Site"]) == ("P1", "A01", "1")
    assert {r["PathName_Cells"] for r in rows} == {"/home/ubuntu/bucket/plate1/images/row A",
                                                   "/home/ubuntu/bucket/plate1/images/row B"}

    stripped = Pipeline()
    stripped.load(str(folder / "pipeline.cppipe"))
    names = [m.module_name for m in stripped.modules()]
    assert names == ["LoadData", "IdentifyPrimaryObjects", "MeasureObjectSizeShape", "MeasureObjectIntensity",
                     "ExportToSpreadsheet"]
    load = stripped.modules()[0]
    assert load.wants_image_groupings.value and load.metadata_fields.value == "Plate,Well"

    job = json.loads((config.parent / "files" / "plate1.json").read_text())
    assert job["pipeline"] == "plate1/pipeline.cppipe" and job["data_file"] == "plate1/load_data.csv"
    assert job["output"] == "results/plate1" and job["output_structure"] == "Metadata_Plate/Metadata_Well"
    assert job["groups"] == [{"Metadata": f"Metadata_Plate=P1,Metadata_Well={w}"} for w in project.WELLS]

    assert objects(BUCKETS["WORKSPACE_BUCKET"]) == {"plate1/pipeline.cppipe", "plate1/load_data.csv"}
    assert body_of(BUCKETS["WORKSPACE_BUCKET"], "plate1/load_data.csv") == (folder / "load_data.csv").read_bytes()
    image_keys = objects(BUCKETS["SOURCE_BUCKET"])
    assert len(image_keys) == 12
    assert body_of(BUCKETS["SOURCE_BUCKET"], "plate1/images/row B/P1_B01_s2_w2.png") == \
        (tmp_path / "my images" / "row B" / "P1_B01_s2_w2.png").read_bytes()

    # Parascope's own message body: the task as the job file's group made it.
    bodies = sorted(queued_bodies(queue), key=lambda b: b["metadata"]["Metadata_Well"])
    assert [b["metadata"] for b in bodies] == [{"Metadata_Plate": "P1", "Metadata_Well": w} for w in project.WELLS]
    assert {(b["engine"], b["script"], b["data_file"]) for b in bodies} == {
        ("cellprofiler", "plate1/pipeline.cppipe", "plate1/load_data.csv")}
    assert [b["output"] for b in bodies] == [f"results/plate1/P1/{w}" for w in project.WELLS]


def test_integer_looking_metadata_is_grouped_as_loaddata_reads_it(cellprofiler, aws, tmp_path):
    """LoadData reads a column of whole numbers as numbers (site 01 becomes 1); the task must name the
    value the worker's LoadData sees, or `cellprofiler -g Metadata_Site=01` would match no image set."""
    create_queue_and_buckets()
    images = project.make_images(tmp_path / "images", sites=["01", "02"])
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config, grouping="Site"), group_by=None)
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert outcome.ok, outcome.message
    job = json.loads((config.parent / "files" / "plate1.json").read_text())
    assert job["groups"] == [{"Metadata": "Metadata_Site=1"}, {"Metadata": "Metadata_Site=2"}]


def test_an_error_of_the_command_line_is_shown_verbatim(cellprofiler, aws, tmp_path):
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config))
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert not outcome.ok
    assert outcome.message == f"Parascope: queue {APP}Queue does not exist in us-east-1: run 'parascope setup' first"


def test_a_pipeline_without_grouping_asks_for_grouping_metadata(cellprofiler, tmp_path):
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config), group_by=None)
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert not outcome.ok
    assert outcome.message.startswith("Parascope: the pipeline does not group its image sets: set 'Grouping metadata'")


def test_unknown_grouping_metadata_names_what_there_is(cellprofiler, tmp_path):
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config, grouping="Plate,Row"))
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert outcome.message == ("Parascope: grouping metadata Metadata_Row not found; the image sets have "
                               "Metadata_Frame, Metadata_Plate, Metadata_Series, Metadata_Site, Metadata_Well")


def test_an_output_structure_may_name_only_grouping_metadata(cellprofiler, tmp_path):
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    pipeline = project.make_pipeline(images, parascope=settings(config, output_structure="Metadata_Plate/Metadata_Well"))
    module = pipeline.modules()[-1]

    outcome = press(module, pipeline, module.submit_button)

    assert outcome.message == ("Parascope: output structure 'Metadata_Plate/Metadata_Well' names metadata that is not "
                               "grouping metadata (Metadata_Well); each task's folder is made of its group's values")


def test_the_job_name_is_checked_by_the_command_lines_one_rule_before_anything_is_written(cellprofiler, tmp_path,
                                                                                          monkeypatch):
    from cellprofiler_core.setting import ValidationError
    from conftest import LAUNCHER

    monkeypatch.setenv("PARASCOPE", str(LAUNCHER))
    images = project.make_images(tmp_path / "images")
    config = write_config(tmp_path / "project")
    # 101 characters: the rule's length limit, which only core's rule (`parascope job check --name`) has.
    for name in ("my plate", "p" * 101):
        pipeline = project.make_pipeline(images, parascope=settings(config, job_name=name))
        module = pipeline.modules()[-1]
        rule = (f"job name '{name}': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most "
                "100 characters")

        with pytest.raises(ValidationError) as invalid:
            module.validate_module(pipeline)
        assert invalid.value.message == rule[:1].upper() + rule[1:]
        outcome = press(module, pipeline, module.submit_button)
        assert outcome.message == f"Parascope: {rule}"
    assert not (config.parent / "files").exists(), "nothing is written for a job whose name is refused"
    module.job_name.value = "plate_1.v2-a"
    module.validate_module(pipeline)
