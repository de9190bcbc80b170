// Counts and measures the nuclei in one image; writes one CSV row per nucleus.
// Parascope fills in the parameters from the task, as Fiji's --run would.
#@ File input
#@ File output
#@ String image

open(input + File.separator + "images" + File.separator + image + ".png");
rename("raw");
run("Duplicate...", "title=mask");
run("Gaussian Blur...", "sigma=1");
setAutoThreshold("Otsu dark");
setOption("BlackBackground", true);
run("Convert to Mask");
// Measure intensity on the raw image, shape on the mask.
run("Set Measurements...", "area mean centroid shape redirect=raw decimal=3");
run("Analyze Particles...", "size=20-Infinity display clear");
saveAs("Results", output + File.separator + image + ".csv");
print(image + ": " + nResults + " nuclei");
