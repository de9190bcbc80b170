package org.parascope.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.QueueStatus;
import org.parascope.queue.QueueCounts;
import org.parascope.submit.JobManifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
	description = { "Shows the tasks of the config's queue: waiting, in flight (being worked on), and dead (failed "
		+ "JOB_RETRIES times, in the dead-letter queue; 'parascope retry-failed' moves them back). SQS counts are "
		+ "approximate: they settle within about a minute.",
		"Also lists the jobs submitted from this folder (files/<APP_NAME>Jobs), and the detached monitor of the run "
			+ "started from here (an ECS service of one task, which ECS restarts if its container dies).",
		"--json prints one JSON object for scripts (on failure {\"error\"}): {\"app\", \"region\", \"queue\": {\"name\", \"deadLetterQueue\", "
			+ "\"waiting\", \"inFlight\", \"dead\", \"maxReceives\", \"visibilitySeconds\"}, \"jobs\": [{\"jobId\", "
			+ "\"jobFile\", \"sha256\", \"queue\", \"region\", \"taskCount\", \"tasksSent\", \"tasksUnconfirmed\", "
			+ "\"tasksPossiblyDuplicated\", \"sendsUnanswered\", \"state\", \"error\"?, \"startedAt\", \"updatedAt\", "
			+ "\"confirmedTasks\", \"unansweredTasks\", \"possiblyDuplicatedTasks\"}], \"monitor\"?: {\"service\", \"cluster\", "
			+ "\"state\", \"status\": \"ACTIVE\"|\"DRAINING\"|\"INACTIVE\"|\"gone\", \"running\", \"desired\"}} (task numbers as "
			+ "[[first, last], ...]; a job recorded by an older Parascope has the counts only; docs/queue.md)." },
	footer = { "", "Examples:", "  parascope status", "  parascope --config config.py status --json" })
final class StatusCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		QueueStatus s;
		try (Parascope parascope = main.cloud(output)) {
			s = parascope.status(main.workDir());
		}
		if (output.json()) output.json(json(s));
		else print(s);
		return Main.OK;
	}

	static ObjectNode json(QueueStatus s) {
		ObjectNode root = Output.JSON.createObjectNode().put("app", s.app()).put("region", s.region());
		QueueCounts c = s.counts();
		root.putObject("queue").put("name", s.queue()).put("deadLetterQueue", s.deadLetterQueue())
			.put("waiting", c.waiting()).put("inFlight", c.inFlight()).put("dead", c.dead())
			.put("maxReceives", s.maxReceives()).put("visibilitySeconds", s.visibility().toSeconds());
		ArrayNode jobs = root.putArray("jobs");
		for (JobManifest m : s.jobs()) jobs.add(m.toJson().without("parascopeJobManifest"));
		s.monitor().ifPresent(m -> {
			ObjectNode monitor = root.putObject("monitor").put("service", m.service()).put("cluster", m.cluster())
				.put("state", m.state()).put("status", m.ecs().map(QueueStatus.Service::status).orElse("gone"));
			m.ecs().ifPresent(e -> monitor.put("running", e.running()).put("desired", e.desired()));
		});
		return root;
	}

	private void print(QueueStatus s) {
		QueueCounts c = s.counts();
		output.text("Queue %s (%s): %d waiting, %d in flight, %d dead (in %s)", s.queue(), s.region(), c.waiting(),
			c.inFlight(), c.dead(), s.deadLetterQueue());
		if (c.dead() > 0) output.text("  'parascope retry-failed' moves the dead tasks back to the queue.");
		s.monitor().ifPresent(m -> output.text("Detached monitor: ECS service %s (cluster %s): %s; its state: %s", m.service(),
			m.cluster(), m.ecs().map(e -> e.status() + ", " + e.running() + " of " + e.desired() + " task running")
				.orElse("gone ('parascope monitor --detach' starts another)"), m.state()));
		if (s.jobs().isEmpty()) return;
		output.text("Jobs submitted from this folder:");
		for (JobManifest m : s.jobs()) {
			String doubt = (m.tasksUnconfirmed() > 0 ? ", " + m.tasksUnconfirmed() + " unanswered" : "")
				+ (m.tasksPossiblyDuplicated() > 0 ? ", " + m.tasksPossiblyDuplicated() + " possibly twice" : "");
			output.text("  %s  %s  %d/%d tasks confirmed%s  %s  %s%s", m.jobId(), m.startedAt(), m.tasksSent(), m.taskCount(),
				doubt, m.state().id(), m.jobFile(), m.error() == null ? "" : "  (" + m.error() + ")");
		}
	}
}
