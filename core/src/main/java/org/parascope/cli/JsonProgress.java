package org.parascope.cli;

import java.io.PrintWriter;
import java.time.Duration;

import org.parascope.store.TransferListener;
import org.parascope.submit.Submitter;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A submit's progress for programs (submit --json-progress): one JSON object per line, so that a GUI (the
 * CellProfiler module) can show files, bytes and tasks as they go and knows when sending has begun.
 */
final class JsonProgress implements Submitter.Listener, TransferListener {

	private static final JsonMapper JSON = new JsonMapper();

	private final PrintWriter out;
	private long lastSent = -1;

	JsonProgress(PrintWriter out) {
		this.out = out;
	}

	/** Before the files are stored: how many there are and their bytes. */
	synchronized void uploading(int files, long bytes) {
		print(JSON.createObjectNode().put("phase", "upload").put("files", files).put("bytes", bytes));
	}

	/** Before the first task is sent: from here on, stopping leaves part of the job queued. */
	synchronized void sending(long taskCount) {
		print(JSON.createObjectNode().put("phase", "send").put("taskCount", taskCount));
	}

	@Override
	public synchronized void transferred(String key, long bytes) {
		print(JSON.createObjectNode().put("stored", key).put("bytes", bytes));
	}

	@Override
	public synchronized void progress(long sent, long total, Duration elapsed) {
		if (sent == lastSent) return;
		lastSent = sent;
		print(JSON.createObjectNode().put("sent", sent).put("taskCount", total));
	}

	@Override
	public synchronized void stopped(String message) {
		print(JSON.createObjectNode().put("stopped", message));
	}

	private void print(ObjectNode line) {
		out.println(line.toString());
		out.flush();
	}
}
