package org.parascope.trace;

/**
 * Where a worker process runs, as its trace records say.
 *
 * @param process      unique within a run: the machine, the process id and its start time
 * @param machine      the EC2 instance id (IMDSv2), else the host name
 * @param instanceType null where unknown
 * @param zone         null where unknown
 */
public record Machine(String process, String machine, String instanceType, String zone) {

	/** This process on a machine known by name only (a local run). */
	public static Machine local(String machine) {
		ProcessHandle self = ProcessHandle.current();
		return new Machine(machine + "-" + self.pid(), machine, null, null);
	}
}
