"""`python -m parascope_bridge install-plugin [FOLDER]`: copies the Parascope module into CellProfiler's
plugins folder (FOLDER, else the one set in CellProfiler's preferences), where CellProfiler loads it."""

import argparse
import shutil
import sys
from pathlib import Path

MODULE = Path(__file__).with_name("parascope.py")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m parascope_bridge")
    commands = parser.add_subparsers(dest="command", required=True)
    install = commands.add_parser("install-plugin", help="copy the Parascope module into CellProfiler's plugins folder")
    install.add_argument("folder", nargs="?", help="the plugins folder (default: CellProfiler's preference)")
    args = parser.parse_args(argv)
    folder = args.folder or configured_plugins_folder()
    if not folder:
        print("parascope_bridge: CellProfiler has no plugins folder set: name one "
              "(and set it in CellProfiler's preferences, or pass --plugins-directory)", file=sys.stderr)
        return 2
    target = Path(folder).expanduser()
    if not target.is_dir():
        print(f"parascope_bridge: no such folder: {target}", file=sys.stderr)
        return 2
    shutil.copy(MODULE, target / MODULE.name)
    print(f"Copied the Parascope module to {target / MODULE.name}; CellProfiler loads it at its next start.")
    return 0


def configured_plugins_folder():
    try:
        import cellprofiler_core.preferences as prefs
    except ImportError:
        return None
    prefs.set_headless()
    return prefs.get_plugin_directory()


if __name__ == "__main__":
    sys.exit(main())
