"""The rows of a LoadData CSV that CellProfiler runs for one -g group, as CellProfiler itself decides.

    python group_rows.py PIPELINE CSV GROUPS OUT.json [PLUGINS_DIRECTORY]

Run with CellProfiler's own Python (4.2 or 5), it answers what `cellprofiler -c -r -p PIPELINE
--data-file=CSV -g GROUPS` would run, without running it: the pipeline's input modules read the
CSV (LoadData types each column from all its values, so a site '01' is the number 1 and the group
value '1'; it may make a Metadata_Well from row and column, keep only a range of rows, ...), then
CellProfiler's own grouping picks the group's image sets. To tell which CSV rows those are, the CSV
is read through a copy with one more column numbering its rows. OUT.json gets
{"rows": [0-based indices of the CSV's non-blank data rows], "groups": count, "examples": [a few
groups]}. A problem ends the program with CellProfiler's message on its last line.
"""
import csv
import json
import os
import sys
import tempfile

ROW = "Parascope_Row"


def group_rows(pipeline_path, csv_path, groups_text, plugins_directory=None):
    import cellprofiler_core.preferences as preferences

    preferences.set_headless()
    if plugins_directory:
        preferences.set_plugin_directory(plugins_directory, globally=False)
    from cellprofiler_core.constants.measurement import IMAGE
    from cellprofiler_core.image import ImageSetList
    from cellprofiler_core.measurement import Measurements
    from cellprofiler_core.pipeline import Pipeline
    from cellprofiler_core.utilities.core.modules import fill_modules
    from cellprofiler_core.workspace import Workspace

    fill_modules()  # CellProfiler 4.2 loads the plugins folder's modules here, 5 in load_plugins
    try:
        from cellprofiler_core.utilities.core.plugins import load_plugins
    except ImportError:
        pass
    else:
        load_plugins(modules_only=True)
    with tempfile.TemporaryDirectory() as folder:
        numbered = os.path.join(folder, os.path.basename(csv_path))
        # Read as LoadData reads it (open "rt", csv.reader); a blank row stays blank, so that a row
        # range in LoadData's settings counts the same rows.
        with open(csv_path, "rt") as source, open(numbered, "w", newline="") as target:
            writer = csv.writer(target)
            n = -1
            for row in csv.reader(source):
                if len(row) == 0:
                    writer.writerow([])
                elif n < 0:
                    writer.writerow([ROW] + row)
                    n = 0
                else:
                    writer.writerow([str(n)] + row)
                    n += 1
        preferences.set_data_file(numbered)

        pipeline = Pipeline()
        pipeline.load(pipeline_path)
        # The -g value as cellprofiler/__main__.py (4.2 and 5) reads it; none (empty): every image set.
        grouping = dict(x.split("=") for x in groups_text.split(",")) if groups_text else None
        measurements = Measurements()
        workspace = Workspace(pipeline, None, None, None, measurements, ImageSetList())
        # Only the input modules: they make the image sets and their groups; later modules' preparations
        # (output files, databases) are no concern here.
        end = next((m for m in pipeline.modules() if not (m.is_input_module() or m.is_load_module())), None)
        if not pipeline.prepare_run(workspace, end_module=end):
            raise ValueError("the pipeline's input modules made no image sets from the CSV")
        keys, groupings = pipeline.get_groupings(workspace)
        rows = [
            int(measurements[IMAGE, ROW, image_number])
            for _, _, image_number, _ in pipeline.group(grouping, 1, None, measurements, workspace)
            if image_number is not None
        ]
        return {"rows": rows, "groups": len(groupings), "examples": [dict(g) for g, _ in list(groupings)[:3]]}


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    try:
        answer = group_rows(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5] if len(sys.argv) == 6 else None)
    except Exception as e:  # noqa: BLE001 (any problem is the answer, on the last line)
        print(f"{type(e).__name__}: {e}".replace("\n", " "), file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[4], "w") as out:
        json.dump(answer, out)
