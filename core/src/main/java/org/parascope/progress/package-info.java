/**
 * Progress of a job as workers report it, for the faces to render.
 */
package org.parascope.progress;
