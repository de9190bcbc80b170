/**
 * The object store port and its local adapter (a folder); the S3 adapter is in {@code org.parascope.aws}.
 */
package org.parascope.store;
