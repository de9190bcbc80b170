package org.parascope.worker;

import org.parascope.store.ObjectStore;

/**
 * The three places a task touches, as COMPAT.md's buckets.
 *
 * @param source      images (SOURCE_BUCKET)
 * @param workspace   macros, scripts, pipelines, data files (WORKSPACE_BUCKET)
 * @param destination results (DESTINATION_BUCKET)
 */
public record Stores(ObjectStore source, ObjectStore workspace, ObjectStore destination) {}
