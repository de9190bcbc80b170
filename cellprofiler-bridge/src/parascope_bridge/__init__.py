"""The CellProfiler face of Parascope: it runs the `parascope` command line (argv in, text out)."""
