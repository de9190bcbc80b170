"""
Parascope
=========

**Parascope** sends this pipeline to Parascope, which runs it on AWS (or on this computer) one group
of image sets per task, the way Distributed-CellProfiler does.

Put it last in a pipeline whose input modules (Images, Metadata, NamesAndTypes, Groups) see the
images. **Submit to AWS** then writes a LoadData CSV of the image sets (paths as the workers see the
source bucket), a copy of the pipeline that loads them with LoadData instead of the input modules
and this module, and a Distributed-CellProfiler job file with one task per group (made by ``parascope job
from-loaddata``, which groups the CSV as the workers' LoadData will); it uploads the pipeline and CSV to
WORKSPACE_BUCKET and the images to SOURCE_BUCKET, and runs ``parascope submit``.
**Run locally** runs the same job with ``parascope run --local``. Commands run in the background with
a progress dialog (files, bytes, tasks) and Cancel; after a submit, **Start fleet**, **Monitor** and
**Clean up** follow.

Run headless (``cellprofiler -c -r -p pipeline.cppipe``), the module submits the job instead of
running the pipeline here, and says so.

The ``parascope`` command is the module's setting if given, else the PARASCOPE environment variable,
else ``parascope`` on the PATH; Java is JAVA_HOME's, the PATH's or one in a usual JDK folder
(docs/cellprofiler.md). Files of a job go to ``files/<job name>/`` next to the config file.
"""

import csv
import glob
import json
import math
import os
import re
import shutil
import signal
import subprocess
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
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
    if setting and not Path(setting).is_file():
        raise ParascopeError(f"parascope not found at {setting} (the module's 'Parascope command' setting)")
    for candidate in (setting, os.environ.get("PARASCOPE"), shutil.which("parascope")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise ParascopeError(
        "parascope not found: set the module's 'Parascope command' setting, "
        "the PARASCOPE environment variable, or put parascope on PATH"
    )


# Where Java is installed when a desktop's launcher gives CellProfiler a short PATH (macOS apps, Windows
# shortcuts, .desktop files): the usual JDK folders, newest first.
JAVA_HOMES = [
    "/usr/lib/jvm/*",
    "/Library/Java/JavaVirtualMachines/*/Contents/Home",
    "/opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home",
    "/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home",
    "C:/Program Files/*/jdk-*",
    "C:/Program Files/Java/*",
]
JAVA_VERSION = re.compile(r'JAVA_VERSION="(1\.)?(\d+)')


def find_java(environ=None):
    """The Java home parascope will run on: JAVA_HOME, else the java on PATH, else a usual JDK folder.
    Java 17 or newer (read from the home's `release` file where there is one)."""
    environ = os.environ if environ is None else environ
    exe = "java.exe" if os.name == "nt" else "java"
    candidates = []
    if environ.get("JAVA_HOME"):
        candidates.append(Path(environ["JAVA_HOME"]))
    on_path = shutil.which(exe, path=environ.get("PATH", ""))
    if on_path:
        candidates.append(Path(on_path).resolve().parent.parent)
    for pattern in JAVA_HOMES:
        candidates += sorted((Path(p) for p in glob.glob(pattern)), reverse=True)
    too_old = []
    for home in candidates:
        if not (home / "bin" / exe).is_file():
            continue
        version = java_version(home)
        if version is not None and version < 17:
            too_old.append(f"{home} (Java {version})")
            continue
        return home
    raise ParascopeError(
        "Java not found: parascope needs Java 17 or newer. Install a JDK (e.g. from https://adoptium.net) and "
        "set JAVA_HOME to it, or put its bin folder on the PATH CellProfiler starts with"
        + (f"; found only older ones: {', '.join(too_old)}" if too_old else ""))


def java_version(home):
    try:
        match = JAVA_VERSION.search((home / "release").read_text(errors="replace"))
    except OSError:
        return None
    return int(match.group(2)) if match else None


def cli_environment():
    """CellProfiler's environment with the Java found first on PATH, as the launcher runs `java`."""
    java_home = find_java()
    env = dict(os.environ)
    env["JAVA_HOME"] = str(java_home)
    env["PATH"] = str(java_home / "bin") + os.pathsep + env.get("PATH", "")
    return env


def cli_command(args, parascope=None):
    """The argv and environment of one parascope command; plain errors when parascope or Java is missing."""
    return [find_parascope(parascope), *args], cli_environment()


def run_cli(args, parascope=None, cwd=None, timeout=None):
    """Runs parascope with `args`, an argv list (never a shell string); its output comes back verbatim."""
    argv, env = cli_command(args, parascope)
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout, check=False)
    except OSError as e:
        raise ParascopeError(f"cannot start {argv[0]}: {e.strerror or e}") from e
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


# Answers of `parascope job check --name`, by (name, parascope command): CellProfiler validates the module
# on every edit, and a name's validity does not change.
_job_names = {}


def job_name_problem(name, parascope=None):
    """None when `name` follows the one job-name rule, which is core's (`parascope job check --name`), else
    the rule's message. Raises ParascopeError when parascope cannot be run."""
    key = (name, parascope)
    if key not in _job_names:
        result = run_cli(["job", "check", "--name", name], parascope, timeout=600)
        if result.exit_code not in (0, 2):
            raise ParascopeError(failure(result, "parascope job check"))
        _job_names[key] = None if result.exit_code == 0 else strip_prefix(result.stderr.strip())
    return _job_names[key]


def strip_prefix(message):
    """The command line's error without its "parascope: " (the module shows its own)."""
    return message[len("parascope: "):] if message.startswith("parascope: ") else message


@dataclass(frozen=True)
class Progress:
    """How far a command got, from submit's JSON progress lines: files and bytes stored, tasks sent."""

    phase: str = "start"  # start (a submit checks the job and the queue), upload, send
    files: int = 0
    bytes: int = 0
    files_stored: int = 0
    bytes_stored: int = 0
    tasks: int = 0
    sent: int = 0
    stopped: str = None

    def text(self):
        if self.phase == "upload":
            return (f"Uploading: {self.files_stored} of {self.files} files, {size(self.bytes_stored)} of "
                    f"{size(self.bytes)} (files already in the bucket are skipped)")
        if self.phase == "send":
            return f"Queueing tasks: {self.sent} of {self.tasks} sent"
        return None  # no progress lines (yet): the dialog shows what the command is doing

    def fraction(self):
        """0..1 of the current phase, None when unknown."""
        if self.phase == "upload" and self.bytes:
            return min(1.0, self.bytes_stored / self.bytes)
        if self.phase == "send" and self.tasks:
            return self.sent / self.tasks
        return None


def size(n):
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


class CliRun:
    """One parascope command running in the background, so that CellProfiler's window stays responsive:
    its output lines as they come, submit's JSON progress lines read into a Progress, and a Cancel
    that stops the command only while `can_cancel(progress)` (for a submit: before its first task is
    sent, when nothing was queued or recorded; files already stored stay, and the next submit skips them)."""

    def __init__(self, args, parascope=None, cwd=None, can_cancel=lambda progress: True, settings=None):
        argv, env = cli_command(args, parascope)
        env.update(settings or {})  # config keys as environment variables override the config file
        self.can_cancel = can_cancel
        self._lock = threading.Lock()
        self._progress = Progress()
        self._out, self._err = [], []
        self.cancelled = False
        # Its own process group: a Cancel stops the launcher and the JVM it started together.
        new_group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"start_new_session": True}
        try:
            self._process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                                             **new_group)
        except OSError as e:
            raise ParascopeError(f"cannot start {argv[0]}: {e.strerror or e}") from e
        self._readers = [threading.Thread(target=self._read, args=(self._process.stdout, self._out), daemon=True),
                         threading.Thread(target=self._read, args=(self._process.stderr, self._err), daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream, lines):
        for line in stream:
            line = line.rstrip("\n")
            event = json_line(line) if stream is self._process.stderr else None
            with self._lock:
                if event is None:
                    lines.append(line)
                else:
                    self._progress = progressed(self._progress, event)

    @property
    def progress(self):
        with self._lock:
            return self._progress

    def output(self):
        """The command's stdout so far."""
        with self._lock:
            return list(self._out)

    def done(self):
        return self._process.poll() is not None and not any(r.is_alive() for r in self._readers)

    def cancel(self):
        """Stops the command if that leaves nothing half-done; False once a submit is sending its tasks."""
        with self._lock:
            if self.done() or not self.can_cancel(self._progress):
                return False
            self.cancelled = True
            stop_group(self._process)
            return True

    def wait(self, timeout=None):
        self._process.wait(timeout)
        for reader in self._readers:
            reader.join()
        with self._lock:
            return CliResult(self._process.returncode, "\n".join(self._out), "\n".join(self._err))


def stop_group(process):
    """SIGTERM to the command's process group (the JVM's shutdown hooks run, as on Ctrl-C)."""
    if os.name == "nt":
        # Windows has no SIGTERM for console programs; the whole tree goes, which before sending is harmless.
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def json_line(line):
    if not line.startswith("{"):
        return None
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def progressed(p, event):
    """The Progress after one of submit's JSON progress lines (docs: `parascope submit --help`)."""
    if event.get("phase") == "upload":
        return replace(p, phase="upload", files=event.get("files", 0), bytes=event.get("bytes", 0))
    if event.get("phase") == "send":
        return replace(p, phase="send", tasks=event.get("taskCount", 0))
    if "stored" in event:
        return replace(p, files_stored=p.files_stored + 1, bytes_stored=p.bytes_stored + event.get("bytes", 0))
    if "sent" in event:
        return replace(p, sent=event["sent"], tasks=event.get("taskCount", p.tasks))
    if "stopped" in event:
        return replace(p, stopped=event["stopped"])
    return p


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


def loaddata_pipeline(pipeline, module, csv_name, keys):
    """A copy of `pipeline` whose input modules (and LoadData, and `module`) are replaced by one
    LoadData of the CSV, grouping by `keys` as the original pipeline grouped its image sets. On the
    workers `--data-file` names the CSV; in the file it is found next to the pipeline."""
    copy = pipeline.copy(save_image_plane_details=False)
    for m in reversed(copy.modules()):
        if m.is_input_module() or m.module_name in ("LoadData", module.module_name):
            copy.remove_module(m.module_num)
    load = instantiate_module("LoadData")
    load.set_module_num(1)
    copy.add_module(load)
    load.csv_directory.value = "Default Input Folder|"
    load.csv_file_name.value = csv_name
    load.wants_image_groupings.value = True
    load.metadata_fields.value = ",".join(k[len("Metadata_"):] for k in keys)
    return copy


def loaddata_job(settings, layout, data_file, keys, job_file):
    """Writes the job file with `parascope job from-loaddata`: one task per group the workers' LoadData will
    form from the CSV, named as `cellprofiler -g` must name it (docs/jobs.md); returns the number of tasks."""
    args = ["job", "from-loaddata", str(data_file), "--group-by", ",".join(keys), "--pipeline", layout.pipeline_key,
            "--data-file", layout.data_file_key, "--input", layout.images_prefix, "--output", settings.output]
    if settings.structure:
        args += ["--output-structure", settings.structure]
    result = settings.cli.run(*args, "-o", str(job_file), timeout=600)
    if result.exit_code != 0:
        raise ParascopeError(failure(result, "parascope job from-loaddata"))
    return len(json.loads(job_file.read_text(encoding="utf-8"))["groups"])


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
        problem = job_name_problem(name, settings.cli.parascope)
        if problem:
            raise ParascopeError(problem)
        table = LoadDataTable(ImageSets(workspace.measurements), name)
        keys = group_keys(settings.grouping, pipeline, workspace, table)
        check_structure(settings.structure, keys)
        folder = settings.config_file.parent / "files" / name
        folder.mkdir(parents=True, exist_ok=True)
        data_file = folder / "load_data.csv"
        table.write(data_file)
        copy = loaddata_pipeline(pipeline, settings.module, data_file.name, keys)
        pipeline_file = folder / "pipeline.cppipe"
        with open(pipeline_file, "w", encoding="utf-8") as out:
            copy.dump(out, save_image_plane_details=False)
        job_file = folder.parent / f"{name}.json"
        task_count = loaddata_job(settings, table.layout, data_file, keys, job_file)
        uploads = {
            "workspace": {table.layout.pipeline_key: str(pipeline_file), table.layout.data_file_key: str(data_file)},
            "source": table.uploads,
        }
        (folder / "upload.json").write_text(json.dumps(uploads, indent=1))
        return cls(folder, job_file, table, pipeline_file, data_file, task_count)



@dataclass(frozen=True)
class Cli:
    """The parascope command line of one config: every command runs with `--config CONFIG` in the
    config file's folder, where `files/` (job records, fleet state) is."""

    config_file: Path
    parascope: str = None

    @classmethod
    def of(cls, module):
        config = module.config_file.value.strip()
        if not config:
            raise ParascopeError("set 'Parascope config file' (config.py or parascope.yml)")
        config_file = Path(config).expanduser().absolute()
        if not config_file.is_file():
            raise ParascopeError(f"Parascope config file not found: {config_file}")
        return cls(config_file, module.parascope_command.value.strip() or None)

    def start(self, *args, can_cancel=lambda progress: True, settings=None):
        return CliRun(["--config", str(self.config_file), *args], self.parascope, cwd=self.config_file.parent,
                      can_cancel=can_cancel, settings=settings)

    def run(self, *args, timeout=None):
        return run_cli(["--config", str(self.config_file), *args], self.parascope, cwd=self.config_file.parent,
                       timeout=timeout)


@dataclass(frozen=True)
class Settings:
    """The module's settings as plain values, checked."""

    module: object
    cli: Cli
    job_name: str
    grouping: str
    output: str
    structure: str

    @property
    def config_file(self):
        return self.cli.config_file

    @classmethod
    def of(cls, module):
        cli = Cli.of(module)
        output = module.output_location.value.strip()
        if not output:
            raise ParascopeError("set 'Output location' (the prefix of the results in DESTINATION_BUCKET)")
        return cls(module, cli, module.job_name.value.strip(), module.grouping.value, output,
                   module.output_structure.value.strip())


def prepared_run(pipeline, module):
    """The image sets as a run would see them: the input modules' prepare_run, up to `module`."""
    workspace = Workspace(pipeline, module, None, None, Measurements(), ImageSetList())
    if not pipeline.prepare_run(workspace, end_module=module):
        raise ParascopeError("the pipeline's input modules found no image sets (see the errors above)")
    return workspace


@dataclass
class Background:
    """A command started for a button: what it is called, the running command, and how its result
    becomes the Outcome shown (`finish(run, result)`)."""

    title: str
    run: CliRun
    finish: object

    def outcome(self):
        return self.finish(self.run, self.run.wait())


def start_submit(module, pipeline, workspace):
    """Writes the job's files, then starts `parascope submit --upload --json --json-progress`: the files
    go to the buckets and the tasks to the queue. Cancel works until the first task is sent."""
    settings = Settings.of(module)
    job = PreparedJob.write(settings, pipeline, workspace)
    run = settings.cli.start("submit", str(job.job_file), "--upload", str(job.folder / "upload.json"), "--json",
                             "--json-progress", can_cancel=lambda progress: progress.phase != "send")

    def finish(run, result):
        answer = json_answer(result)
        progress = run.progress
        if result.exit_code == 0 and "jobId" in answer:
            return Outcome(True, (
                f"Submitted job {answer['jobId']}: {answer['taskCount']} tasks to queue {answer['queue']} "
                f"({answer['uploaded']} files uploaded).\nJob file: {job.job_file}\n"
                f"Next: Start fleet starts the machines, Monitor shows the progress, Clean up removes the "
                f"machines and the queue when the job is done (command line: {answer['monitor']})."), answer)
        if run.cancelled and progress.stopped:
            raise ParascopeError(f"cancelled while queueing tasks: {progress.stopped}")
        if run.cancelled:
            raise ParascopeError(
                f"cancelled: no task was queued and nothing was recorded ({progress.files_stored} of "
                f"{progress.files} files had been stored in the buckets; the next submit skips them)")
        raise ParascopeError(answer.get("error") or failure(result, "parascope submit"))

    return Background(f"Submitting job {settings.job_name}", run, finish)


def submit(module, pipeline, workspace):
    """Submit to AWS, waiting for the command (headless)."""
    return start_submit(module, pipeline, workspace).outcome()


def start_run_locally(module, pipeline, workspace):
    """The same job on this computer: `parascope run --local`, results in the default output folder.
    Cancel stops the local workers."""
    settings = Settings.of(module)
    job = PreparedJob.write(settings, pipeline, workspace)
    results = get_default_output_directory()
    # The CSV's paths are the bucket's mount on AWS; here `--upload` links the images below the job file's folder,
    # the local run's source, and each task fetches its own (DOWNLOAD_FILES), as a worker without the mount does.
    run = settings.cli.start("run", "--local", str(job.job_file), "--upload", str(job.folder / "upload.json"),
                             "--output", results, settings={"DOWNLOAD_FILES": "True"})

    def finish(run, result):
        if run.cancelled:
            raise ParascopeError(f"cancelled: the local run of job {settings.job_name} was stopped")
        if result.exit_code != 0:
            raise ParascopeError(failure(result, "parascope run"))
        return Outcome(True, f"Ran job {settings.job_name} ({job.task_count} tasks) here; results in {results}.\n"
                       + with_report(result.stdout))

    return Background(f"Running job {settings.job_name} here", run, finish)


def run_locally(module, pipeline, workspace):
    return start_run_locally(module, pipeline, workspace).outcome()


def start_fleet(module):
    """`parascope start-fleet [FLEET]`: it waits for the machines, and cancels the fleet itself if none
    starts; so it is not cancelled from here (a half-started fleet would cost money)."""
    cli = Cli.of(module)
    fleet = module.fleet_file.value.strip()
    if fleet and not Path(fleet).expanduser().is_file():
        raise ParascopeError(f"fleet file not found: {Path(fleet).expanduser().absolute()}")
    args = ["start-fleet", "--json"] + ([str(Path(fleet).expanduser().absolute())] if fleet else [])
    return Background("Starting the fleet", cli.start(*args, can_cancel=lambda progress: False), fleet_started(cli))


def fleet_started(cli):
    """What start-fleet did, from its --json answer: its warnings first (e.g. what an unwatched fleet costs),
    the machines, then with AUTO_MONITOR that the monitor runs unattended and the `monitor --follow` command
    that follows it, else the command that monitors it from here; then what it said doing it (where the
    detached monitor runs). Exit code 3, the fleet runs but its monitor could not be started, is an error
    that gives the commands to watch the run or tear it down."""
    def finish(run, result):
        answer = json_answer(result)
        if result.exit_code not in (0, 3) or "fleetId" not in answer:
            raise ParascopeError(answer.get("error") or failure(result, "parascope start-fleet"))
        said = [line[len("parascope: "):] for line in result.stderr.splitlines() if line.startswith("parascope: ")]
        lines = [f"Warning: {line[len('warning: '):]}" for line in said if line.startswith("warning: ")]
        lines.append(f"Fleet {answer['fleetId']}: {answer['running']} of {answer['target']} machines running.")
        monitor = answer.get("monitor")
        if monitor == "detached":
            lines += ["The monitor runs unattended on AWS (AUTO_MONITOR) and tears the run down when the work is done; "
                      "this computer may be switched off.", f"Follow it: {answer['next']}"]
        elif monitor == "failed":
            lines += [f"The fleet runs, but its monitor could not be started (AUTO_MONITOR): {answer.get('error')}",
                      f"To watch it from here: {answer['next']}", f"To tear it down now: {answer.get('cleanup')}"]
        else:
            lines += [f"Monitor it (it tears the run down when the work is done): {answer['next']}"]
        lines.append(f"(Run these commands in {cli.config_file.parent}, the config file's folder.)")
        notes = [line for line in said if not line.startswith("warning: ")]
        if notes:
            lines += ["", "What start-fleet did:", *notes]
        if monitor == "failed":
            raise ParascopeError("\n".join(lines))
        return Outcome(True, "\n".join(lines), answer)
    return finish


def clean_up(module):
    """`parascope cleanup`: the fleet, service, queue ... of the config's app, as the monitor removes them at the
    end; not cancelled from here, so that nothing is left half-removed (it can be run again any time)."""
    cli = Cli.of(module)
    return Background("Cleaning up", cli.start("cleanup", can_cancel=lambda progress: False), cleaned_up)


def cleaned_up(run, result):
    """Exit code 1: some resource could not be removed; cleanup's `failed: ...` lines say which (its stderr
    holds only notes), first, above what it did remove."""
    if result.exit_code == 1 and result.stdout.strip():
        lines = result.stdout.strip().splitlines()
        failed = [line for line in lines if line.startswith("failed: ")]
        raise ParascopeError("\n".join(["Clean up is not complete; press it again later.", *failed, "", "What it did:",
                                         *(line for line in lines if not line.startswith("failed: "))]))
    return finished("cleanup")(run, result)


def finished(command):
    def finish(run, result):
        if result.exit_code != 0:
            raise ParascopeError(failure(result, f"parascope {command}"))
        return Outcome(True, with_report(result.stdout) or f"parascope {command} finished")
    return finish


REPORT = "Report: "


def with_report(output):
    """A command's output with its `Report: FILE` line (the run's HTML report) first, where it is seen."""
    lines = output.strip().splitlines()
    reports = [line for line in lines if line.startswith(REPORT)]
    if not reports:
        return "\n".join(lines)
    rest = [line for line in lines if not line.startswith(REPORT)]
    return "\n".join([f"{reports[-1]} (open it in a web browser)", *rest])


def failure(result, command):
    """The command's own words; exit code 127 is a program the launcher could not find."""
    said = result.stderr.strip() or result.stdout.strip()
    if result.exit_code == 127:
        return f"{command} could not start a program it needs (exit code 127): {said}"
    return said or f"{command} ended with exit code {result.exit_code}"


@dataclass(frozen=True)
class QueueStatus:
    """One answer of `parascope status --json`, for the Monitor."""

    queue: str
    waiting: int
    in_flight: int
    dead: int
    jobs: list

    def text(self):
        lines = [f"Queue {self.queue}: {self.waiting} waiting, {self.in_flight} in flight, {self.dead} dead"]
        for job in self.jobs:
            lines.append(f"Job {job.get('jobId')}: {job.get('tasksSent')} of {job.get('taskCount')} tasks sent "
                         f"({job.get('state')})" + (f": {job['error']}" if job.get("error") else ""))
        if self.waiting == 0 and self.in_flight == 0:
            lines.append("The queue is empty: every task was done" + (
                f", or failed (the {self.dead} dead ones: 'parascope retry-failed' queues them again)" if self.dead
                else "") + ". Clean up removes the machines and the queue.")
        return "\n".join(lines)


def queue_status(cli):
    result = cli.run("status", "--json")
    answer = json_answer(result)
    if result.exit_code != 0 or "queue" not in answer:
        raise ParascopeError(failure(result, "parascope status"))
    q = answer["queue"]
    return QueueStatus(q.get("name"), q.get("waiting", 0), q.get("inFlight", 0), q.get("dead", 0), answer.get("jobs", []))


class Monitor:
    """Polls `parascope status --json` in the background every `interval` seconds, one call at a time,
    until stopped; `latest` is the last answer (a QueueStatus) or the last error's message."""

    def __init__(self, cli, interval=10.0):
        self.cli = cli
        self.interval = interval
        self.latest = None
        self.polls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _loop(self):
        while not self._stop.is_set():
            try:
                self.latest = queue_status(self.cli)
            except (ParascopeError, OSError) as e:
                self.latest = f"Parascope: {e}"
            self.polls += 1
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()


def json_answer(result):
    try:
        answer = json.loads(result.stdout)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


class Parascope(Module):
    module_name = "Parascope"
    category = "File Processing"
    variable_revision_number = 2

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
        self.fleet_file = Text(
            "Fleet file", "",
            doc="For Start fleet: a Distributed-CellProfiler fleet file (a Spot Fleet request). Leave empty "
                "to build the fleet from the config (CLUSTER_MACHINES, MACHINE_TYPE, MACHINE_PRICE).")
        self.submit_button = DoSomething("", "Submit to AWS", self.on_submit,
                                         doc="Send the pipeline and its image sets to Parascope's queue.")
        self.run_locally_button = DoSomething("", "Run locally", self.on_run_locally,
                                              doc="Run the same job on this computer with parascope run --local.")
        self.start_fleet_button = DoSomething("", "Start fleet", self.on_start_fleet,
                                              doc="Start the machines that work the queue (parascope start-fleet).")
        self.monitor_button = DoSomething("", "Monitor", self.on_monitor,
                                          doc="Show the queue's progress (parascope status), every 10 seconds.")
        self.clean_up_button = DoSomething("", "Clean up", self.on_clean_up,
                                           doc="Remove the machines, the service and the queue (parascope cleanup).")
        self.workspace = None
        self.last_outcome = None
        self.submitted = None

    def settings(self):
        return [self.config_file, self.parascope_command, self.job_name, self.grouping, self.output_location,
                self.output_structure, self.fleet_file]

    def visible_settings(self):
        visible = self.settings() + [self.submit_button, self.run_locally_button]
        # After a submit, the steps that follow it on AWS.
        if self.submitted is not None:
            visible += [self.start_fleet_button, self.monitor_button, self.clean_up_button]
        return visible

    def upgrade_settings(self, setting_values, variable_revision_number, module_name):
        if variable_revision_number == 1:
            setting_values = setting_values + [""]  # no fleet file
            variable_revision_number = 2
        return setting_values, variable_revision_number

    def validate_module(self, pipeline):
        try:
            problem = job_name_problem(self.job_name.value.strip(), self.parascope_command.value.strip() or None)
        except ParascopeError:
            return  # parascope cannot be run here: the buttons say why when pressed
        if problem:
            raise ValidationError(problem[:1].upper() + problem[1:], self.job_name)

    def on_activated(self, workspace):
        # The buttons need the pipeline, which only the GUI's activation hands over.
        self.workspace = workspace

    def on_deactivated(self):
        self.workspace = None

    def on_submit(self, pipeline=None):
        outcome = self._press(start_submit, pipeline)
        if outcome.ok:
            self.submitted = outcome.result
        return outcome

    def on_run_locally(self, pipeline=None):
        return self._press(start_run_locally, pipeline)

    def on_start_fleet(self):
        return self._follow(lambda: start_fleet(self))

    def on_clean_up(self):
        return self._follow(lambda: clean_up(self))

    def on_monitor(self):
        try:
            monitor = Monitor(Cli.of(self)).start()
        except ParascopeError as e:
            return self._show(Outcome(False, f"Parascope: {e}"))
        if get_headless():
            return monitor
        MonitorDialog(monitor).Show()
        return monitor

    def _press(self, start, pipeline):
        pipeline = pipeline or (self.workspace.pipeline if self.workspace else None)
        if pipeline is None:
            return self._show(Outcome(False, "Parascope: select the Parascope module in the pipeline first"))
        return self._follow(lambda: start(self, pipeline, prepared_run(pipeline, self)))

    def _follow(self, start):
        """Starts a command and shows its outcome: headless by waiting, in the GUI with a progress dialog
        whose event loop keeps CellProfiler's window responsive while the command runs."""
        try:
            background = start()
            if not get_headless():
                CommandDialog(background).ShowModal()
            outcome = background.outcome()
        except ParascopeError as e:
            outcome = Outcome(False, f"Parascope: {e}")
        return self._show(outcome)

    def _show(self, outcome):
        self.last_outcome = outcome
        if get_headless():
            print(outcome.message)
        else:
            OutcomeDialog(outcome).ShowModal()
        return outcome

    def prepare_run(self, workspace):
        """A run of this pipeline submits it instead (test mode runs here, as usual)."""
        pipeline = workspace.pipeline
        if pipeline.test_mode:
            return True
        try:
            outcome = submit(self, pipeline, workspace)
        except ParascopeError as e:
            outcome = Outcome(False, f"Parascope: {e}")
        stop = ("The pipeline was sent to Parascope instead of running here" if outcome.ok
                else "Nothing was sent to Parascope") + "; the local run stops."
        self._show(Outcome(outcome.ok, outcome.message + "\n" + stop, outcome.result))
        return False

    def run(self, workspace):
        # Reached only in test mode: the work is done by Parascope's workers.
        pass

    def volumetric(self):
        return False


# The GUI's part: thin dialogs over the classes above, which do the work and are tested headless.
try:
    import wx
except ImportError:  # a headless CellProfiler without wxPython: no dialogs are shown
    wx = None

if wx is not None:

    class CommandDialog(wx.Dialog):
        """A running command's progress (files, bytes, tasks) and output, with Cancel; closes itself
        when the command ends."""

        def __init__(self, background, parent=None):
            super().__init__(parent or wx.GetApp().GetTopWindow(), title=f"Parascope: {background.title}",
                             style=wx.DEFAULT_DIALOG_STYLE | wx.RESIZE_BORDER)
            self.background = background
            self.run = background.run
            self.status = wx.StaticText(self, label="Starting parascope", size=(560, -1))
            self.gauge = wx.Gauge(self, range=1000, size=(560, -1))
            self.output = wx.TextCtrl(self, style=wx.TE_MULTILINE | wx.TE_READONLY, size=(560, 160))
            self.cancel = wx.Button(self, wx.ID_CANCEL, "Cancel")
            sizer = wx.BoxSizer(wx.VERTICAL)
            for control in (self.status, self.gauge, self.output):
                sizer.Add(control, 0 if control is not self.output else 1, wx.EXPAND | wx.ALL, 8)
            sizer.Add(self.cancel, 0, wx.ALIGN_RIGHT | wx.ALL, 8)
            self.SetSizerAndFit(sizer)
            self.CentreOnParent()
            self.Bind(wx.EVT_BUTTON, self.on_cancel, self.cancel)
            self.Bind(wx.EVT_CLOSE, lambda event: self.on_cancel(None))
            self.timer = wx.Timer(self)
            self.Bind(wx.EVT_TIMER, self.on_tick, self.timer)
            self.timer.Start(200)
            self.shown_lines = 0
            self.note = ""

        def on_tick(self, event):
            progress = self.run.progress
            self.status.SetLabel((progress.text() or self.background.title + "...") + self.note)
            fraction = progress.fraction()
            if fraction is None:
                self.gauge.Pulse()
            else:
                self.gauge.SetValue(int(fraction * 1000))
            lines = self.run.output()
            if len(lines) > self.shown_lines:
                self.output.AppendText("".join(line + "\n" for line in lines[self.shown_lines:]))
                self.shown_lines = len(lines)
            if not self.run.can_cancel(progress):
                self.cancel.Disable()
            if self.run.done():
                self.timer.Stop()
                self.EndModal(wx.ID_OK)

        def on_cancel(self, event):
            if self.run.cancel():
                self.note = "\nCancelling..."
            else:
                self.note = "\nThis step cannot be cancelled without leaving it half-done: it finishes first."
            self.cancel.Disable()

    class OutcomeDialog(wx.Dialog):
        """What a button did, in words; after a submit, the next steps are buttons of the module."""

        def __init__(self, outcome, parent=None):
            super().__init__(parent or wx.GetApp().GetTopWindow(), title="Parascope")
            self.outcome = outcome
            icon = wx.ART_INFORMATION if outcome.ok else wx.ART_ERROR
            row = wx.BoxSizer(wx.HORIZONTAL)
            row.Add(wx.StaticBitmap(self, bitmap=wx.ArtProvider.GetBitmap(icon, wx.ART_MESSAGE_BOX)), 0, wx.ALL, 8)
            message = wx.StaticText(self, label=outcome.message)
            message.Wrap(560)
            row.Add(message, 1, wx.ALL, 8)
            sizer = wx.BoxSizer(wx.VERTICAL)
            sizer.Add(row, 1, wx.EXPAND)
            sizer.Add(self.CreateButtonSizer(wx.OK), 0, wx.ALIGN_RIGHT | wx.ALL, 8)
            self.SetSizerAndFit(sizer)
            self.CentreOnParent()

    class MonitorDialog(wx.Dialog):
        """The queue's progress, polled in the background (Monitor), until closed."""

        def __init__(self, monitor, parent=None):
            super().__init__(parent or wx.GetApp().GetTopWindow(), title="Parascope: Monitor",
                             style=wx.DEFAULT_DIALOG_STYLE | wx.RESIZE_BORDER)
            self.monitor = monitor
            self.status = wx.StaticText(self, label="Asking parascope status...", size=(520, 90))
            close = wx.Button(self, wx.ID_CLOSE, "Close")
            sizer = wx.BoxSizer(wx.VERTICAL)
            sizer.Add(self.status, 1, wx.EXPAND | wx.ALL, 8)
            sizer.Add(close, 0, wx.ALIGN_RIGHT | wx.ALL, 8)
            self.SetSizerAndFit(sizer)
            self.CentreOnParent()
            self.Bind(wx.EVT_BUTTON, lambda event: self.Close(), close)
            self.Bind(wx.EVT_CLOSE, self.on_close)
            self.timer = wx.Timer(self)
            self.Bind(wx.EVT_TIMER, self.on_tick, self.timer)
            self.timer.Start(500)

        def on_tick(self, event):
            latest = self.monitor.latest
            if latest is not None:
                text = latest if isinstance(latest, str) else latest.text()
                if text != self.status.GetLabel():
                    self.status.SetLabel(text)
                    self.status.Wrap(520)
                    self.Fit()

        def on_close(self, event):
            self.timer.Stop()
            self.monitor.stop()
            self.Destroy()
