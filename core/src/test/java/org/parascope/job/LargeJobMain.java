package org.parascope.job;

import java.nio.file.Path;

/** Run by {@link LargeJobTest} in a small JVM: reads a job and says what it found. */
public final class LargeJobMain {

	private LargeJobMain() {}

	public static void main(String[] args) {
		Job job = Job.read(Path.of(args[0]));
		long[] streamed = { 0 };
		Task[] last = { null };
		job.forEachTask(task -> {
			streamed[0]++;
			last[0] = task;
		});
		System.out.println("taskCount " + job.taskCount());
		System.out.println("streamed " + streamed[0]);
		System.out.println("last " + String.join("-", last[0].metadata().values()) + " " + last[0].output());
	}
}
