package org.parascope.monitor;

/** Receives what a monitor sees and does; each face renders it (terminal lines, a Fiji window). */
public interface MonitorListener {

	/** One reading of queue and fleet, once per interval. */
	void reading(MonitorReading reading);

	/** Something the monitor did or decided, as one line: a scale-down, a teardown step. */
	void note(String line);

	MonitorListener NONE = new MonitorListener() {
		@Override
		public void reading(MonitorReading reading) {}

		@Override
		public void note(String line) {}
	};
}
