"""The CellProfiler face of Parascope: the Parascope module (parascope.py, one self-contained file that
CellProfiler loads from its plugins folder) runs the `parascope` command line (argv in, JSON out)."""
