"""
Parascope
=========

**Parascope** sends this pipeline to Parascope, which runs it on AWS (or on this computer) one group
of image sets per task, the way Distributed-CellProfiler does.

Put it last in a pipeline whose input modules (Images, Metadata, NamesAndTypes, Groups) see the
images. **Submit to AWS** then writes a LoadData CSV of the image sets (paths as the workers see the
source bucket), a copy of the pipeline that loads them with LoadData instead of the input modules
and this module, and a Distributed-CellProfiler job file with one task per group; it uploads the
pipeline and CSV to WORKSPACE_BUCKET and the images to SOURCE_BUCKET, and runs ``parascope submit``.
**Run locally** runs the same job with ``parascope run --local``.

Run headless (``cellprofiler -c -r -p pipeline.cppipe``), the module submits the job instead of
running the pipeline here, and says so.

The ``parascope`` command is the module's setting if given, else the PARASCOPE environment variable,
else ``parascope`` on the PATH. Files of a job go to ``files/<job name>/`` next to the config file.
"""

import csv
import json
import math
import os
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cellprofiler_core.image import ImageSetList
from cellprofiler_core.measurement import Measurements
from cellprofiler_core.module import Module
from cellprofiler_core.preferences import get_default_output_directory, get_headless
from cellprofiler_core.setting import ValidationError
from cellprofiler_core.setting.do_something import DoSomething
from cellprofiler_core.setting.text import Text
from cellprofiler_core.utilities.core.modules import instantiate_module
from cellprofiler_core.workspace import Workspace

# Where Distributed-CellProfiler's workers mount SOURCE_BUCKET; Parascope's workers read LoadData
# paths below it as keys of that bucket (docs/compatibility.md §6).
BUCKET_MOUNT = "/home/ubuntu/bucket"
JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*$")
# LoadData reads these per-image columns (for images, and with "Objects" in front, for objects).
IMAGE_COLUMN = re.compile(r"(Objects)?(FileName|PathName|URL|Series|Frame)_(.+)$")


class ParascopeError(Exception):
    """A problem the user can fix; its message is shown as it is."""


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def find_parascope(setting=None):
    """The parascope launcher: the module's setting, else $PARASCOPE, else `parascope` on PATH."""
    for candidate in (setting, os.environ.get("PARASCOPE"), shutil.which("parascope")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise ParascopeError(
        "parascope not found: set the module's 'Parascope command' setting, "
        "the PARASCOPE environment variable, or put parascope on PATH"
    )


def run_cli(args, parascope=None, cwd=None, timeout=None):
    """Runs parascope with `args`, an argv list (never a shell string); its output comes back verbatim."""
    completed = subprocess.run(
        [find_parascope(parascope), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


class BucketLayout:
    """Where a job's files go: its workspace files under `<job>/`, its images under `<job>/images/`
    with their folders below the images' common folder."""

    def __init__(self, job_name, image_files):
        self.job_name = job_name
        folders = {str(Path(f).parent) for f in image_files}
        self.image_root = Path(os.path.commonpath(sorted(folders))) if folders else None

    @property
    def pipeline_key(self):
        return f"{self.job_name}/pipeline.cppipe"

    @property
    def data_file_key(self):
        return f"{self.job_name}/load_data.csv"

    @property
    def images_prefix(self):
        return f"{self.job_name}/images"

    def image_key(self, local_file):
        relative = Path(local_file).relative_to(self.image_root)
        return str(PurePosixPath(self.images_prefix, *relative.parts))

    @staticmethod
    def mounted(key):
        """A key's path as the workers read it from a LoadData CSV."""
        return f"{BUCKET_MOUNT}/{key}"


class ImageSets:
    """The image sets the input modules made, as measurements of a prepared run."""

    def __init__(self, measurements):
        self.measurements = measurements
        self.numbers = list(measurements.get_image_numbers())
        if not self.numbers:
            raise ParascopeError("the pipeline's input modules found no image sets")
        self.features = measurements.get_feature_names("Image")

    def column(self, feature):
        return list(self.measurements.get_measurement("Image", feature, self.numbers))

    def channels(self):
        """(prefix, channel) of every image and objects name, e.g. ("", "DNA")."""
        found = []
        for feature in self.features:
            match = IMAGE_COLUMN.match(feature)
            if match and match.group(2) == "FileName":
                found.append((match.group(1) or "", match.group(3)))
        return found

    def local_files(self, prefix, channel):
        """Each image set's file of one channel, from its URL (or path and file name)."""
        urls = self.column(f"{prefix}URL_{channel}") if f"{prefix}URL_{channel}" in self.features else None
        names = self.column(f"{prefix}FileName_{channel}")
        paths = self.column(f"{prefix}PathName_{channel}")
        files = []
        for i, name in enumerate(names):
            url = urls[i] if urls else None
            if url and not str(url).startswith("file:"):
                raise ParascopeError(f"image {name} of {channel} is not a local file ({url}): Parascope uploads local images")
            files.append(Path(file_path(url)) if url else Path(paths[i], name))
        return files


def file_path(url):
    return urllib.request.url2pathname(urllib.parse.urlparse(url).path)


def text(value):
    """A measurement as LoadData text: missing values empty, whole numbers without a decimal point."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class LoadDataTable:
    """The LoadData CSV of the image sets: file and folder names as the workers see the source bucket
    (no URL_ columns, which LoadData would read first), the Series and Frame of multi-image files, and
    the metadata. Remembers which local file goes to which key."""

    def __init__(self, image_sets, job_name):
        channels = image_sets.channels()
        files = {c: image_sets.local_files(*c) for c in channels}
        for channel_files in files.values():
            for f in channel_files:
                if not f.is_file():
                    raise ParascopeError(f"image not found: {f}")
        self.layout = BucketLayout(job_name, [f for fs in files.values() for f in fs])
        self.uploads = {}
        self.header = []
        columns = []
        for prefix, channel in channels:
            keys = [self.layout.image_key(f) for f in files[(prefix, channel)]]
            self.uploads.update({k: str(f) for k, f in zip(keys, files[(prefix, channel)])})
            self.header += [f"{prefix}FileName_{channel}", f"{prefix}PathName_{channel}"]
            columns += [[PurePosixPath(k).name for k in keys], [self.layout.mounted(str(PurePosixPath(k).parent)) for k in keys]]
            for what in ("Series", "Frame"):
                feature = f"{prefix}{what}_{channel}"
                # Left out when missing or all 0 (single-image files): LoadData then reads the first. An
                # all-0 column would hurt: LoadData passes it on as a float, with which CellProfiler 5's
                # ImageIO reader (PNG, JPEG) returns a 1xHxW stack that object identification rejects.
                values = [text(v) for v in image_sets.column(feature)] if feature in image_sets.features else []
                if values and all(v != "" for v in values) and any(v != "0" for v in values):
                    self.header.append(feature)
                    columns.append(values)
        for feature in sorted(f for f in image_sets.features if f.startswith("Metadata_")):
            values = [text(v) for v in image_sets.column(feature)]
            # FileLocation is a local URL, useless to a worker; metadata no image set has is dropped.
            if feature != "Metadata_FileLocation" and any(values):
                self.header.append(feature)
                columns.append(values)
        self.rows = [list(row) for row in zip(*columns)]

    def metadata_keys(self):
        return [h for h in self.header if h.startswith("Metadata_")]

    def write(self, path):
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(self.header)
            writer.writerows(self.rows)


def group_keys(setting, pipeline, workspace, table):
    """The metadata that make one task per group: the setting, else the pipeline's own grouping."""
    if setting.strip():
        keys = [k.strip() for k in setting.split(",") if k.strip()]
        keys = [k if k.startswith("Metadata_") else "Metadata_" + k for k in keys]
    else:
        groupings = pipeline.get_groupings(workspace)
        if groupings is None or not groupings[0]:
            raise ParascopeError(
                "the pipeline does not group its image sets: set 'Grouping metadata' (e.g. Plate,Well) "
                "or group them in the Groups module; each group becomes one task"
            )
        keys = list(groupings[0])
    missing = [k for k in keys if k not in table.metadata_keys()]
    if missing:
        raise ParascopeError(
            f"grouping metadata {', '.join(missing)} not found; the image sets have "
            f"{', '.join(table.metadata_keys()) or 'no metadata'}"
        )
    return keys


def check_structure(structure, keys):
    """Each task's folder is made of its own group's values: the structure may name only those."""
    rest = structure
    for key in sorted(keys, key=len, reverse=True):
        rest = rest.replace(key, "")
    if "Metadata_" in rest:
        raise ParascopeError(
            f"output structure {structure!r} names metadata that is not grouping metadata "
            f"({', '.join(keys)}); each task's folder is made of its group's values"
        )


def loaddata_pipeline(pipeline, module, csv_folder, csv_name, keys):
    """A copy of `pipeline` whose input modules (and LoadData, and `module`) are replaced by one
    LoadData of the CSV, grouping by `keys` as the original pipeline grouped its image sets."""
    copy = pipeline.copy(save_image_plane_details=False)
    for m in reversed(copy.modules()):
        if m.is_input_module() or m.module_name in ("LoadData", module.module_name):
            copy.remove_module(m.module_num)
    load = instantiate_module("LoadData")
    load.set_module_num(1)
    copy.add_module(load)
    load.csv_directory.value = f"Elsewhere...|{csv_folder}"
    load.csv_file_name.value = csv_name
    load.wants_image_groupings.value = True
    load.metadata_fields.value = ",".join(k[len("Metadata_"):] for k in keys)
    return copy


def loaddata_groups(copy):
    """The groups as the workers' LoadData will make them from the CSV: it reads integer-looking
    columns as numbers (01 becomes 1), and `cellprofiler -g` must name the values it sees."""
    workspace = Workspace(copy, None, None, None, Measurements(), ImageSetList())
    end = copy.modules()[1] if len(copy.modules()) > 1 else None
    if not copy.prepare_run(workspace, end_module=end):
        raise ParascopeError("LoadData could not read the image sets back from the CSV")
    _, groups = copy.get_groupings(workspace)
    return [values for values, _ in groups]


def dcp_job(layout, groups, output, structure):
    """A Distributed-CellProfiler job: one task per group."""
    metadata = []
    for values in groups:
        for k, v in values.items():
            if "," in v or "=" in k:
                raise ParascopeError(f"metadata value {k}={v!r} holds a comma: a task's metadata cannot carry it")
        metadata.append({"Metadata": ",".join(f"{k}={v}" for k, v in values.items())})
    job = {
        "_comment": "written by CellProfiler's Parascope module",
        "pipeline": layout.pipeline_key,
        "data_file": layout.data_file_key,
        "input": layout.images_prefix,
        "output": output,
    }
    if structure:
        job["output_structure"] = structure
    job["groups"] = metadata
    return job


@dataclass(frozen=True)
class Outcome:
    """What a button press did: a message for people, and the CLI's JSON when there is one."""

    ok: bool
    message: str
    result: dict = None


class PreparedJob:
    """A job's files in `files/<job name>/` next to the config file: the job file (Distributed-CellProfiler
    format), the LoadData-only pipeline, the CSV and the upload list."""

    def __init__(self, folder, job_file, table, pipeline_file, data_file, task_count):
        self.folder = folder
        self.job_file = job_file
        self.table = table
        self.pipeline_file = pipeline_file
        self.data_file = data_file
        self.task_count = task_count

    @classmethod
    def write(cls, settings, pipeline, workspace):
        name = settings.job_name
        if not JOB_NAME.match(name):
            raise ParascopeError(f"job name {name!r}: use letters, digits, '.', '_' and '-'")
        table = LoadDataTable(ImageSets(workspace.measurements), name)
        keys = group_keys(settings.grouping, pipeline, workspace, table)
        check_structure(settings.structure, keys)
        folder = settings.config_file.parent / "files" / name
        folder.mkdir(parents=True, exist_ok=True)
        data_file = folder / "load_data.csv"
        table.write(data_file)
        copy = loaddata_pipeline(pipeline, settings.module, folder, data_file.name, keys)
        groups = loaddata_groups(copy)
        # On the workers `--data-file` names the CSV; in the file it is found next to the pipeline.
        copy.modules()[0].csv_directory.value = "Default Input Folder|"
        pipeline_file = folder / "pipeline.cppipe"
        with open(pipeline_file, "w", encoding="utf-8") as out:
            copy.dump(out, save_image_plane_details=False)
        job_file = folder.parent / f"{name}.json"
        job_file.write_text(json.dumps(dcp_job(table.layout, groups, settings.output, settings.structure), indent=1))
        uploads = {
            "workspace": {table.layout.pipeline_key: str(pipeline_file), table.layout.data_file_key: str(data_file)},
            "source": table.uploads,
        }
        (folder / "upload.json").write_text(json.dumps(uploads, indent=1))
        return cls(folder, job_file, table, pipeline_file, data_file, len(groups))

    def stage_images(self):
        """For a local run: the images at their keys below the job file's folder, as links."""
        for key, local in self.table.uploads.items():
            link = self.job_file.parent / key
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(local)


@dataclass(frozen=True)
class Settings:
    """The module's settings as plain values, checked."""

    module: object
    config_file: Path
    parascope: str
    job_name: str
    grouping: str
    output: str
    structure: str

    @classmethod
    def of(cls, module):
        config = module.config_file.value.strip()
        if not config:
            raise ParascopeError("set 'Parascope config file' (config.py or parascope.yml)")
        config_file = Path(config).expanduser().absolute()
        if not config_file.is_file():
            raise ParascopeError(f"Parascope config file not found: {config_file}")
        output = module.output_location.value.strip()
        if not output:
            raise ParascopeError("set 'Output location' (the prefix of the results in DESTINATION_BUCKET)")
        return cls(module, config_file, module.parascope_command.value.strip() or None, module.job_name.value.strip(),
                   module.grouping.value, output, module.output_structure.value.strip())


def prepared_run(pipeline, module):
    """The image sets as a run would see them: the input modules' prepare_run, up to `module`."""
    workspace = Workspace(pipeline, module, None, None, Measurements(), ImageSetList())
    if not pipeline.prepare_run(workspace, end_module=module):
        raise ParascopeError("the pipeline's input modules found no image sets (see the errors above)")
    return workspace


def submit(module, pipeline, workspace):
    """Writes the job's files, then `parascope submit --json --upload`: the files go to the buckets
    and the tasks to the queue."""
    settings = Settings.of(module)
    job = PreparedJob.write(settings, pipeline, workspace)
    args = ["--config", str(settings.config_file), "submit", str(job.job_file), "--upload",
            str(job.folder / "upload.json"), "--json"]
    result = run_cli(args, settings.parascope, cwd=settings.config_file.parent)
    answer = json_answer(result)
    if result.exit_code != 0 or "jobId" not in answer:
        raise ParascopeError(answer.get("error") or result.stderr.strip() or result.stdout.strip()
                             or f"parascope submit ended with exit code {result.exit_code}")
    message = (f"Submitted job {answer['jobId']}: {answer['taskCount']} tasks to queue {answer['queue']} "
               f"({answer['uploaded']} files uploaded).\nJob file: {job.job_file}\n"
               f"Start machines with 'parascope start-fleet', then watch with: {answer['monitor']}")
    return Outcome(True, message, answer)


def run_locally(module, pipeline, workspace):
    """The same job on this computer: `parascope run --local`, results in the default output folder."""
    settings = Settings.of(module)
    job = PreparedJob.write(settings, pipeline, workspace)
    job.stage_images()
    results = get_default_output_directory()
    args = ["--config", str(settings.config_file), "run", "--local", str(job.job_file), "--output", results]
    result = run_cli(args, settings.parascope, cwd=settings.config_file.parent)
    if result.exit_code != 0:
        raise ParascopeError(result.stderr.strip() or result.stdout.strip()
                             or f"parascope run ended with exit code {result.exit_code}")
    return Outcome(True, f"Ran job {settings.job_name} ({job.task_count} tasks) here; results in {results}.\n"
                   + result.stdout.strip())


def json_answer(result):
    try:
        answer = json.loads(result.stdout)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


class Parascope(Module):
    module_name = "Parascope"
    category = "File Processing"
    variable_revision_number = 1

    def create_settings(self):
        self.config_file = Text(
            "Parascope config file", "",
            doc="The config.py (Distributed-CellProfiler's) or parascope.yml that names the queue and the "
                "buckets. The job's files are written to files/<job name>/ next to it.")
        self.parascope_command = Text(
            "Parascope command", "",
            doc="The parascope launcher. Leave empty to use the PARASCOPE environment variable, "
                "else parascope on the PATH.")
        self.job_name = Text(
            "Job name", "cellprofiler-job",
            doc="Names the job's files and their folder in the buckets (letters, digits, '.', '_', '-').")
        self.grouping = Text(
            "Grouping metadata", "",
            doc="Metadata whose values make one task each, e.g. Plate,Well. Leave empty to use the "
                "pipeline's grouping (the Groups module).")
        self.output_location = Text(
            "Output location", "",
            doc="Where results go in DESTINATION_BUCKET: each task writes below this prefix.")
        self.output_structure = Text(
            "Output structure", "",
            doc="Each task's folder below the output location, e.g. Metadata_Plate/Metadata_Well. "
                "Leave empty for the group's values joined with '-'.")
        self.submit_button = DoSomething("", "Submit to AWS", self.on_submit,
                                         doc="Send the pipeline and its image sets to Parascope's queue.")
        self.run_locally_button = DoSomething("", "Run locally", self.on_run_locally,
                                              doc="Run the same job on this computer with parascope run --local.")
        self.workspace = None
        self.last_outcome = None

    def settings(self):
        return [self.config_file, self.parascope_command, self.job_name, self.grouping, self.output_location,
                self.output_structure]

    def visible_settings(self):
        return self.settings() + [self.submit_button, self.run_locally_button]

    def validate_module(self, pipeline):
        if not JOB_NAME.match(self.job_name.value.strip()):
            raise ValidationError("Use letters, digits, '.', '_' and '-' in the job name", self.job_name)

    def on_activated(self, workspace):
        # The buttons need the pipeline, which only the GUI's activation hands over.
        self.workspace = workspace

    def on_deactivated(self):
        self.workspace = None

    def on_submit(self, pipeline=None):
        return self._press(submit, pipeline)

    def on_run_locally(self, pipeline=None):
        return self._press(run_locally, pipeline)

    def _press(self, action, pipeline):
        pipeline = pipeline or (self.workspace.pipeline if self.workspace else None)
        try:
            if pipeline is None:
                raise ParascopeError("select the Parascope module in the pipeline first")
            outcome = action(self, pipeline, prepared_run(pipeline, self))
        except ParascopeError as e:
            outcome = Outcome(False, f"Parascope: {e}")
        self.last_outcome = outcome
        self._show(outcome)
        return outcome

    def _show(self, outcome):
        if get_headless():
            print(outcome.message)
            return
        import wx

        wx.MessageBox(outcome.message, caption="Parascope",
                      style=wx.OK | (wx.ICON_INFORMATION if outcome.ok else wx.ICON_ERROR))

    def prepare_run(self, workspace):
        """A run of this pipeline submits it instead (test mode runs here, as usual)."""
        pipeline = workspace.pipeline
        if pipeline.test_mode:
            return True
        try:
            outcome = submit(self, pipeline, workspace)
        except ParascopeError as e:
            outcome = Outcome(False, f"Parascope: {e}")
        self.last_outcome = outcome
        stop = ("The pipeline was sent to Parascope instead of running here" if outcome.ok
                else "Nothing was sent to Parascope") + "; the local run stops."
        self._show(Outcome(outcome.ok, outcome.message + "\n" + stop))
        return False

    def run(self, workspace):
        # Reached only in test mode: the work is done by Parascope's workers.
        pass

    def volumetric(self):
        return False
