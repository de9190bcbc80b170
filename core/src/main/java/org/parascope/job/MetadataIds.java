package org.parascope.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.parascope.ParascopeException;

/**
 * The metadata ids of a job's groups, to find a repeated id (two tasks writing one output folder)
 * without holding the groups. An exact check in one pass must keep every id, but as a
 * {@code HashSet<String>} a million short ids cost about 100 MB, more than a small JVM has. Here each
 * id is one record (group index, length, UTF-8 bytes) in pages that are never copied, found through an
 * open-addressing table of ints: about the id's own bytes plus 16 bytes. Pages are 256 KB so that the
 * garbage collector sees ordinary objects, not "humongous" ones that each occupy whole heap regions.
 */
final class MetadataIds {

	private static final int PAGE_BITS = 18;
	private static final int PAGE = 1 << PAGE_BITS;
	/** A record's place (page << 18 | position) is an int: 8192 pages, ids of some 100 million tasks. */
	private static final int MAX_PAGES = 1 << (31 - PAGE_BITS);

	private final List<byte[]> pages = new ArrayList<>();
	private int pageUsed = PAGE;
	/** 0 = free; else the place of a record, plus 1. */
	private int[] slots = new int[1 << 10];
	private int size;

	/**
	 * Records {@code id} as the metadata id of group {@code index}.
	 *
	 * @return the index of the earlier group with this id, or -1 if there is none
	 */
	int add(String id, int index) {
		byte[] key = id.getBytes(StandardCharsets.UTF_8);
		int mask = slots.length - 1;
		for (int i = hash(key, 0, key.length) & mask;; i = (i + 1) & mask) {
			if (slots[i] == 0) {
				slots[i] = append(key, index) + 1;
				if (++size * 2 > slots.length) grow();
				return -1;
			}
			int place = slots[i] - 1;
			byte[] page = pages.get(place >>> PAGE_BITS);
			int at = place & (PAGE - 1);
			int length = intAt(page, at + 4);
			if (Arrays.equals(page, at + 8, at + 8 + length, key, 0, key.length)) return intAt(page, at);
		}
	}

	/** Appends the record of {@code key}; returns its place. */
	private int append(byte[] key, int index) {
		int length = 8 + key.length;
		if (pageUsed + length > PAGE) {
			if (pages.size() == MAX_PAGES) throw new ParascopeException("too many tasks: their metadata ids"
				+ " exceed 2 GB");
			// An id longer than a page gets a page of its own.
			pages.add(new byte[Math.max(PAGE, length)]);
			pageUsed = 0;
		}
		byte[] page = pages.get(pages.size() - 1);
		int at = pageUsed;
		putInt(page, at, index);
		putInt(page, at + 4, key.length);
		System.arraycopy(key, 0, page, at + 8, key.length);
		pageUsed += length;
		return (pages.size() - 1) << PAGE_BITS | at;
	}

	private void grow() {
		int[] old = slots;
		slots = new int[old.length * 2];
		int mask = slots.length - 1;
		for (int slot : old) {
			if (slot == 0) continue;
			int place = slot - 1;
			byte[] page = pages.get(place >>> PAGE_BITS);
			int at = place & (PAGE - 1);
			int i = hash(page, at + 8, intAt(page, at + 4)) & mask;
			while (slots[i] != 0) i = (i + 1) & mask;
			slots[i] = slot;
		}
	}

	private static void putInt(byte[] page, int at, int value) {
		for (int shift = 24; shift >= 0; shift -= 8) page[at++] = (byte) (value >>> shift);
	}

	private static int intAt(byte[] page, int at) {
		return (page[at] & 0xff) << 24 | (page[at + 1] & 0xff) << 16 | (page[at + 2] & 0xff) << 8
			| page[at + 3] & 0xff;
	}

	/** The bytes' hash, mixed (MurmurHash3's finalizer) so that similar ids spread over the table. */
	private static int hash(byte[] bytes, int from, int length) {
		int h = 1;
		for (int i = from; i < from + length; i++) h = 31 * h + bytes[i];
		h ^= h >>> 16;
		h *= 0x85ebca6b;
		h ^= h >>> 13;
		h *= 0xc2b2ae35;
		return h ^ h >>> 16;
	}
}
