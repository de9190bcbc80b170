package org.parascope.job.make;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task of a run_batch_general job: the message that script sends to SQS for it.
 *
 * @param metadata        Metadata_Plate, then Metadata_Well, then Metadata_Site, as far as the step goes
 * @param outputStructure null for the steps whose messages have none
 */
public record BatchMessage(Map<String, String> metadata, String pipeline, String output, String outputStructure,
	String input, String dataFile)
{
	/** The body run_batch_general sends, byte for byte: json.dumps of its dict, keys in its order. */
	public String body() {
		Map<String, String> message = new LinkedHashMap<>();
		StringBuilder text = new StringBuilder();
		metadata.forEach((k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
		message.put("Metadata", text.toString());
		message.put("pipeline", pipeline);
		message.put("output", output);
		if (outputStructure != null) message.put("output_structure", outputStructure);
		message.put("input", input);
		message.put("data_file", dataFile);
		return PythonText.jsonDumps(message);
	}
}
