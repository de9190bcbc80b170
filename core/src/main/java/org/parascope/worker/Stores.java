package org.parascope.worker;

import java.nio.file.Path;

import org.parascope.ParascopeException;
import org.parascope.job.Task;
import org.parascope.store.KeyRule;
import org.parascope.store.ObjectStore;

/**
 * The places a task's files come from and go to, as docs/compatibility.md §6 names the buckets.
 *
 * @param source      images (SOURCE_BUCKET)
 * @param workspace   macros, scripts, pipelines, data files (WORKSPACE_BUCKET)
 * @param destination results (DESTINATION_BUCKET)
 * @param download    the script of tasks that name none (SCRIPT_DOWNLOAD_URL); null when not configured
 */
public record Stores(ObjectStore source, ObjectStore workspace, ObjectStore destination, ScriptDownload download) {

	public Stores(ObjectStore source, ObjectStore workspace, ObjectStore destination) {
		this(source, workspace, destination, null);
	}

	/** The task's script as a local file: its key fetched from the workspace into {@code folder}, or the download. */
	public Path script(Task task, Path folder) {
		if (task.script() != null) {
			KeyRule.require(task.script(), "script key");
			Path script = KeyRule.resolve(folder, ScriptDownload.fileName(task.script()), "script file name");
			workspace.get(task.script(), script);
			return script;
		}
		if (download == null) throw new ParascopeException("the task names no script, and SCRIPT_DOWNLOAD_URL is not set");
		return download.script();
	}
}
