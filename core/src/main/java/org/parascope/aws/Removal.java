package org.parascope.aws;

import java.util.Optional;

import org.parascope.ParascopeException;

/**
 * What removing one resource did, from the resource's owner (the class that creates it, checks it and
 * removes it), for the caller to report: the teardown, start-fleet's undo, the fleet. One line,
 * {@code <what happened>: <resource> [(why)]}, e.g. {@code deleted: queue AppQueue} or
 * {@code already gone: dashboard App}; a failure keeps its cause, so that the teardown can tell
 * weather (tried again) from the rest.
 */
public record Removal(Outcome outcome, String line, Optional<RuntimeException> failure) {

	public enum Outcome {
		/** It was there and is removed now (or is being removed, as a fleet's machines terminate). */
		REMOVED,
		/** It was not there: never made, or removed before. Not an error. */
		ABSENT,
		/** It is there and stays, on purpose (the line says why). */
		KEPT,
		/** Removing it failed (the line says why). */
		FAILED
	}

	public static Removal removed(String resource) {
		return removed("deleted", resource, null);
	}

	/** @param verb what removing meant: deleted, cancelled; @param why null when nothing needs saying */
	public static Removal removed(String verb, String resource, String why) {
		return new Removal(Outcome.REMOVED, verb + ": " + resource + (why == null ? "" : " (" + why + ")"), Optional.empty());
	}

	public static Removal absent(String resource) {
		return new Removal(Outcome.ABSENT, "already gone: " + resource, Optional.empty());
	}

	public static Removal kept(String resource, String why) {
		return new Removal(Outcome.KEPT, "kept: " + resource + " (" + why + ")", Optional.empty());
	}

	/** @param doing what failed, e.g. "deleting dashboard App" */
	public static Removal failed(String doing, RuntimeException cause) {
		return new Removal(Outcome.FAILED, doing + ": " + AwsErrors.explain(cause), Optional.of(cause));
	}

	public boolean removed() {
		return outcome == Outcome.REMOVED;
	}

	public boolean isFailed() {
		return outcome == Outcome.FAILED;
	}

	/** This removal, or its failure thrown as it came (an SDK exception stays one, for the retries that judge it). */
	public Removal orThrow() {
		if (failure.isPresent()) throw failure.get();
		return this;
	}

	/** This removal, or its failure as an error that says what failed: for callers that do not retry. */
	public Removal orFail() {
		if (failure.isPresent()) throw new ParascopeException(line, failure.get());
		return this;
	}
}
