/**
 * A run on the cloud as its state records it (docs/aws.md, "The state file"): {@link org.parascope.run.RunState}
 * with its typed reads and its one key set ({@link org.parascope.run.RunKeys}), the
 * {@link org.parascope.run.RunStateStore} port (a local file here, the S3 copy an adapter's), and what the
 * facade's run methods return. Knows no cloud: the adapters and the use cases that drive them depend on it.
 */
package org.parascope.run;
