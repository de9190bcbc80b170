#@ File input
#@ File output
#@ String files
#@ String image
list = split(files, ",");
rows = "file,mean\n";
for (i = 0; i < list.length; i++) {
	open(input + File.separator + list[i]);
	getStatistics(area, mean);
	rows = rows + File.getName(list[i]) + "," + d2s(mean, 3) + "\n";
	close();
}
File.saveString(rows, output + File.separator + image + ".csv");
