/**
 * What an account needs once: setup, IAM roles and their scoped policies, the access check
 * (docs/security.md, docs/aws.md).
 */
package org.parascope.aws.account;
