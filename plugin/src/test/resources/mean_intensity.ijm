// Measures the mean intensity of each of the task's files; one CSV per task.
// Parascope gives: input (the task's input folder), output (its output folder), files (the task's
// files below input, comma-separated), image (the grouping value) and the job's parameters (label).
#@ File input
#@ File output
#@ String files
#@ String image
#@ String label

list = split(files, ",");
rows = "file,label,mean\n";
for (i = 0; i < list.length; i++) {
	open(input + File.separator + list[i]);
	getStatistics(area, mean);
	rows = rows + File.getName(list[i]) + "," + label + "," + d2s(mean, 3) + "\n";
	close();
}
File.saveString(rows, output + File.separator + image + ".csv");
