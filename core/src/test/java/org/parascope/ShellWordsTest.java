package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Quoted words, read back by a real POSIX shell, are the words again: what people paste runs what was meant. */
class ShellWordsTest {

	@Test
	void aShellReadsEveryQuotedWordBackAsItWas() throws Exception {
		List<String> words = List.of("plain", "files/AppSpotFleetRequestId.json", "s3://bucket/a b.json", "with space",
			"it's", "\"double\"", "$HOME", "${PATH}", "`date`", "$(id)", "back\\slash", "trailing\\", "", "'", "''",
			"a;b|c&d>e<f", "*.png", "?x", "[ab]", "~", "~/x", "#comment", "new\nline", "tab\there", "!bang",
			"Zellkern-Ä-é-日本", "--config=x y", "-n", "=", "a=b", "%s", "\\'\\");
		// One script, one printf argument per word, each ended by a NUL so that empty words and newlines survive.
		String script = "printf '%s\\0' " + words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
		Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		sh.getInputStream().transferTo(out);
		assertEquals(0, sh.waitFor(), out.toString(StandardCharsets.UTF_8));

		String text = out.toString(StandardCharsets.UTF_8);
		List<String> back = new ArrayList<>(Arrays.asList(text.split("\0", -1)));
		back.remove(back.size() - 1); // after the last NUL
		assertEquals(words, back);
	}

	@Test
	void plainWordsStayReadable() {
		assertEquals("files/App.json", ShellWords.quote("files/App.json"));
		assertEquals("--interval", ShellWords.quote("--interval"));
		assertEquals("'a b'", ShellWords.quote("a b"));
		assertEquals("''", ShellWords.quote(""));
		assertEquals("'it'\\''s'", ShellWords.quote("it's"));
	}
}
