"""Parascope's warm CellProfiler: one long-lived CellProfiler that runs task after task.

Started by the worker with CellProfiler's own Python (docs/worker.md, "Warm CellProfiler"). Each line
on standard input is a JSON request {"argv": [...], "cwd": folder}: exactly the arguments the worker
would give the cellprofiler program for the task, and the folder it would run it in. The request is parsed by CellProfiler's own parse_args and run by
its own run_pipeline_headless, after the same settings CellProfiler's main() makes, so a task's
outputs are those of a fresh `cellprofiler` process; only Python's imports, the JVM and the modules'
loading are paid once. Whatever the run prints goes to standard output, which the worker copies into
the task's log; the answer is one line starting with the marker the worker chose
(PARASCOPE_WARM_MARKER), followed by JSON: {"exit": code}, the exit code a fresh process would have had.
A request {"rows": {"pipeline", "csv", "groups", "plugins"}} asks group_rows.py's question (the rows of
a LoadData CSV that a -g group runs, for DOWNLOAD_FILES) and is answered with its JSON, or {"error"}.
"""
import gc
import inspect
import json
import os
import sys
import traceback

MARKER = os.environ["PARASCOPE_WARM_MARKER"]

# The preferences main() sets from a run's arguments (cellprofiler_core.preferences' globals, the same
# names in CellProfiler 4.2 and 5).
RUN_SETTINGS = ("__data_file", "__default_image_directory", "__default_output_directory", "__plugin_directory",
                "__conserve_memory", "__always_continue", "__allow_schema_write")


def answer(**fields):
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stdout.write(MARKER + json.dumps(fields) + "\n")
    sys.stdout.flush()


def main():
    # What CellProfiler's main() does before it reads the arguments of a headless run.
    import cellprofiler.__main__ as cp
    from cellprofiler_core import preferences as prefs

    prefs.set_awt_headless(True)
    prefs.set_headless()
    version_4 = len(inspect.signature(cp.run_pipeline_headless).parameters) == 2
    if version_4:
        # CellProfiler 4 starts its JVM (Bio-Formats) before a headless run; 5 starts it only when a
        # reader needs it, and finds its image readers once, after the last set_headless().
        cp.start_java()
    else:
        cp.fill_readers(check_config=True)
    # The settings a run may change, exactly as they are before any run (the module's own globals,
    # None where unset): each task starts from them, as a fresh process would.
    initial = {name: vars(prefs)[name] for name in RUN_SETTINGS}
    # Everything loaded so far lives as long as the process: keep it out of the collections after each
    # task, which then look only at what tasks made (a full collection over CellProfiler's imports
    # costs a quarter of a second).
    gc.collect()
    gc.freeze()
    answer(ready=True, pid=os.getpid())
    for line in sys.stdin:
        request = json.loads(line)
        if "rows" in request:
            rows(request["rows"], prefs, initial, version_4)
            continue
        try:
            os.chdir(request["cwd"])
            code = run(cp, prefs, version_4, request["argv"])
        except SystemExit as e:  # argument errors: parse_args exits, as the program would
            code = e.code if isinstance(e.code, int) else 2
        except BaseException:  # the program would have died with this traceback and exit code 1
            traceback.print_exc()
            code = 1
        finally:
            forget(prefs, initial, version_4)
        answer(exit=code & 0xFF)
    # The worker closed our input: leave as CellProfiler's main() does (its JVM would keep us alive).
    cp.stop_cellprofiler()


def rows(request, prefs, initial, version_4):
    """DOWNLOAD_FILES: the CSV rows CellProfiler runs for a group, as group_rows.py answers, in this process."""
    from group_rows import group_rows

    try:
        found = group_rows(request["pipeline"], request["csv"], request["groups"], request.get("plugins"))
    except Exception as e:  # any problem is the answer, as group_rows.py's own last line
        answer(error=("%s: %s" % (type(e).__name__, e)).replace("\n", " "))
    else:
        answer(**found)
    finally:
        forget(prefs, initial, version_4)


def run(cp, prefs, version_4, argv):
    """One task, as CellProfiler's main() runs a headless pipeline (both 4.2 and 5)."""
    if version_4:
        options, args = cp.parse_args(["cellprofiler"] + argv)
        cp.set_log_level(options)
    else:
        sys.argv = ["cellprofiler"] + argv
        options, args = cp.parse_args(), None
        cp.set_log_level(options.log_level)
    if options.plugins_directory is not None:
        prefs.set_plugin_directory(options.plugins_directory, globally=False)
    if options.conserve_memory is not None:
        prefs.set_conserve_memory(options.conserve_memory, globally=False)
    if options.always_continue is not None:
        prefs.set_always_continue(options.always_continue, globally=False)
    if not options.allow_schema_write:
        prefs.set_allow_schema_write(False)
    if options.output_directory:
        os.makedirs(options.output_directory, exist_ok=True)
        prefs.set_default_output_directory(options.output_directory)
    if options.image_directory:
        prefs.set_default_image_directory(options.image_directory)
    if options.data_file is not None:
        prefs.set_data_file(os.path.abspath(options.data_file))
    if version_4:
        return cp.run_pipeline_headless(options, args)
    return cp.run_pipeline_headless(options)


def forget(prefs, initial, version_4):
    """Nothing of one task reaches the next: settings back as they were, caches of files emptied."""
    vars(prefs).update(initial)
    import cellprofiler_core.modules.loaddata as loaddata

    loaddata.header_cache.clear()  # CSV headers by path; a later task may reuse a path
    if version_4:
        import bioformats.formatreader

        bioformats.formatreader.clear_image_reader_cache()
    else:
        from cellprofiler_core.constants.reader import ALL_READERS

        for reader in ALL_READERS.values():
            reader.clear_cached_readers()
    gc.collect()


if __name__ == "__main__":
    main()
