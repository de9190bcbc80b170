package org.parascope.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.QueueStatus;
import org.parascope.queue.QueueCounts;
import org.parascope.submit.JobManifest;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
	description = { "Shows the tasks of the config's queue: waiting, in flight (being worked on), and dead (failed "
		+ "JOB_RETRIES times, in the dead-letter queue; 'parascope retry-failed' moves them back). SQS counts are "
		+ "approximate: they settle within about a minute.",
		"Also lists the jobs submitted from this folder (files/<APP_NAME>Jobs).",
		"--json prints one JSON object for scripts: {\"app\", \"region\", \"queue\": {\"name\", \"deadLetterQueue\", "
			+ "\"waiting\", \"inFlight\", \"dead\", \"maxReceives\", \"visibilitySeconds\"}, \"jobs\": [{\"jobId\", "
			+ "\"jobFile\", \"sha256\", \"queue\", \"region\", \"taskCount\", \"tasksSent\", \"tasksUnconfirmed\", "
			+ "\"state\", \"error\"?, \"startedAt\", \"updatedAt\"}]}." },
	footer = { "", "Examples:", "  parascope status", "  parascope --config config.py status --json" })
final class StatusCommand implements Callable<Integer> {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@ParentCommand
	Main main;

	@Option(names = "--json", description = "Print JSON (described above) instead of text.")
	boolean json;

	@Override
	public Integer call() throws Exception {
		QueueStatus s;
		try (Parascope parascope = main.parascope()) {
			s = parascope.status(main.workDir());
		}
		if (json) System.out.println(JSON.writeValueAsString(json(s)));
		else print(s);
		return Main.OK;
	}

	static ObjectNode json(QueueStatus s) {
		ObjectNode root = JSON.createObjectNode().put("app", s.app()).put("region", s.region());
		QueueCounts c = s.counts();
		root.putObject("queue").put("name", s.queue()).put("deadLetterQueue", s.deadLetterQueue())
			.put("waiting", c.waiting()).put("inFlight", c.inFlight()).put("dead", c.dead())
			.put("maxReceives", s.maxReceives()).put("visibilitySeconds", s.visibility().toSeconds());
		ArrayNode jobs = root.putArray("jobs");
		for (JobManifest m : s.jobs()) jobs.add(m.toJson().without("parascopeJobManifest"));
		return root;
	}

	private static void print(QueueStatus s) {
		QueueCounts c = s.counts();
		System.out.printf("Queue %s (%s): %d waiting, %d in flight, %d dead (in %s)%n", s.queue(), s.region(), c.waiting(),
			c.inFlight(), c.dead(), s.deadLetterQueue());
		if (c.dead() > 0) System.out.println("  'parascope retry-failed' moves the dead tasks back to the queue.");
		if (s.jobs().isEmpty()) return;
		System.out.println("Jobs submitted from this folder:");
		for (JobManifest m : s.jobs()) {
			System.out.printf("  %s  %s  %d/%d tasks sent  %s  %s%s%n", m.jobId(), m.startedAt(), m.tasksSent(), m.taskCount(),
				m.state().id(), m.jobFile(), m.error() == null ? "" : "  (" + m.error() + ")");
		}
	}
}
