/**
 * The object store on S3: the ObjectStore port's adapter and the upload flags (docs/aws.md).
 */
package org.parascope.aws.store;
