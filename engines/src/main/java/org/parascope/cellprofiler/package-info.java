/**
 * The CellProfiler engine: one {@code cellprofiler} process per task, DOWNLOAD_FILES, and DCP's plugin
 * steps (docs/cellprofiler.md, docs/worker.md).
 */
package org.parascope.cellprofiler;
