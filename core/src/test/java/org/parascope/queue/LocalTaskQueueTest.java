package org.parascope.queue;

import java.time.Duration;

class LocalTaskQueueTest extends TaskQueueContract {

	@Override
	protected TaskQueue newQueue(int maxReceives, Duration visibility) {
		return new LocalTaskQueue(maxReceives, visibility);
	}
}
