"""A small CellProfiler project for the tests: generated PNG images whose file names carry metadata,
and a pipeline with real input modules (Images, Metadata, NamesAndTypes, Groups) and an analysis."""

from pathlib import Path

import numpy as np
from PIL import Image

from cellprofiler_core.pipeline import Pipeline
from cellprofiler_core.utilities.core.modules import instantiate_module
from cellprofiler_core.utilities.pathname import pathname2url

PLATE = "P1"
WELLS = ["A01", "A02", "B01"]
SITES = [1, 2]
# Metadata regex of the file names, e.g. P1_A01_s1_w1.png (w1: DNA, w2: Cells).
FILE_REGEX = r"^(?P<Plate>[^_]+)_(?P<Well>[A-P][0-9]{2})_s(?P<Site>[0-9]+)_w(?P<ChannelNumber>[0-9])"


def make_images(folder, sites=SITES):
    """Two channels per site: a few bright nuclei (w1) and larger cells around them (w2)."""
    rng = np.random.default_rng(7)
    files = []
    yy, xx = np.mgrid[:96, :96]
    for well in WELLS:
        for site in sites:
            dna = np.zeros((96, 96), np.uint8)
            cells = np.zeros((96, 96), np.uint8)
            for _ in range(int(rng.integers(3, 7))):
                cy, cx = rng.integers(14, 82, 2)
                cells[(yy - cy) ** 2 + (xx - cx) ** 2 < 120] = 90
                dna[(yy - cy) ** 2 + (xx - cx) ** 2 < int(rng.integers(20, 40))] = 220
            # Wells in two sub-folders, so that the bucket layout keeps folders apart.
            sub = Path(folder) / ("row " + well[0])
            sub.mkdir(parents=True, exist_ok=True)
            for channel, pixels in (("w1", dna), ("w2", cells)):
                path = sub / f"{PLATE}_{well}_s{site}_{channel}.png"
                Image.fromarray(pixels).save(path)
                files.append(path)
    return files


def _add(pipeline, name, **settings):
    module = instantiate_module(name)
    module.set_module_num(len(pipeline.modules()) + 1)
    pipeline.add_module(module)
    for key, value in settings.items():
        getattr(module, key).value = value
    return module


def make_pipeline(image_files, parascope=None, group_by="Well"):
    """The pipeline over `image_files`, ending with the Parascope module if its settings are given."""
    pipeline = Pipeline()
    _add(pipeline, "Images")
    pipeline.add_urls([pathname2url(str(f)) for f in image_files], add_undo=False)
    metadata = _add(pipeline, "Metadata", wants_metadata=True)
    metadata.extraction_methods[0].file_regexp.value = FILE_REGEX
    nat = _add(pipeline, "NamesAndTypes", assignment_method="Images matching rules", matching_choice="Order")
    nat.assignments[0].rule_filter.value = 'and (file does contain "_w1")'
    nat.assignments[0].image_name.value = "DNA"
    nat.add_assignment()
    nat.assignments[1].rule_filter.value = 'and (file does contain "_w2")'
    nat.assignments[1].image_name.value = "Cells"
    groups = _add(pipeline, "Groups", wants_groups=bool(group_by))
    if group_by:
        groups.grouping_metadata[0].metadata_choice.value = group_by
    _add(pipeline, "IdentifyPrimaryObjects", x_name="DNA", y_name="Nuclei")
    size = _add(pipeline, "MeasureObjectSizeShape")
    size.objects_list.value = "Nuclei"
    intensity = _add(pipeline, "MeasureObjectIntensity")
    intensity.images_list.value = "Cells"
    intensity.objects_list.value = "Nuclei"
    _add(pipeline, "ExportToSpreadsheet")
    if parascope is not None:
        _add(pipeline, "Parascope", **parascope)
    return pipeline
