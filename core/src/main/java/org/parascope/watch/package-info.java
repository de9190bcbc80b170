/**
 * The use cases that watch over a run on AWS until its end, as the facade offers them: monitoring it
 * ({@link org.parascope.watch.RunMonitor}), handing it to a detached monitor and following that one
 * ({@link org.parascope.watch.DetachedMonitoring}), and tearing it down now ({@link org.parascope.watch.Cleanup}).
 * They drive the AWS adapters and speak the core types of {@code run} and {@code monitor} to the facade.
 */
package org.parascope.watch;
