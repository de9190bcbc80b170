package org.parascope.plugin;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.parascope.AccessFinding;
import org.parascope.Parascope;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

/**
 * Plugins > Parascope > Configure...: the settings every other command uses, saved in parascope.yml (the
 * command line reads the same file). From the menu it opens {@link SettingsDialog} (with Read config.py
 * and Check); from a macro or script the values given replace the saved ones, e.g.
 * {@code run("Configure...", "bucket=my-lab machines=4 check")}; an empty value restores the default;
 * {@code roles} creates the account's IAM roles (once per account) as 'parascope init-account' does.
 * The inputs are not shown by Fiji's own dialog (invisible) and not remembered by it: the file is the memory.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Configure...", headless = true)
public final class ConfigureParascope extends ParascopeCommand {

	@Parameter(required = false)
	private UIService ui;

	@Parameter(label = "Read settings from (config.py, parascope.yml)", required = false, persist = false,
		visibility = ItemVisibility.INVISIBLE)
	private File config;

	@Parameter(required = false, persist = false, visibility = ItemVisibility.INVISIBLE)
	private String app, profile, region, bucket, source, destination, image, types, machines, price, visibility, retries;

	@Parameter(label = "Check access", persist = false, visibility = ItemVisibility.INVISIBLE)
	private boolean check;

	@Parameter(label = "Create Parascope's account roles (once per AWS account; needs IAM rights)", persist = false,
		visibility = ItemVisibility.INVISIBLE)
	private boolean roles;

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	private String report;

	@Override
	void execute() {
		Settings settings = parascope.settings();
		List<String> warnings = new ArrayList<>();
		Map<ConfigKey, String> values = settings.values(warnings::add);
		if (config != null) values.putAll(Settings.read(config.toPath(), warnings::add));
		Map<SettingsField, String> given = given();
		given.forEach((field, value) -> {
			if (value.isBlank()) values.remove(field.key());
			else values.put(field.key(), value.strip());
		});
		if (given.isEmpty() && config == null && !check && !roles && !headless()) {
			Optional<Map<ConfigKey, String>> edited = SettingsDialog.edit(values, this::check, this::createRoles);
			if (edited.isEmpty()) {
				report = "nothing changed";
				return;
			}
			values.clear();
			values.putAll(edited.get());
		}
		settings.save(values);
		List<String> lines = new ArrayList<>(warnings);
		lines.add("saved " + values.size() + " setting(s) to " + settings.file());
		if (roles) lines.addAll(createRoles(values));
		if (check) check(values).forEach(f -> lines.add((f.ok() ? "ok: " : "MISSING: ") + f.line()));
		report = String.join("\n", lines);
		try (Progress progress = progress("Parascope: configure")) {
			lines.forEach(progress::say);
		}
	}

	/** What the settings' credentials may do: against the values as edited, before they are saved. */
	private List<AccessFinding> check(Map<ConfigKey, String> values) {
		try (Parascope facade = open(values)) {
			return facade.checkAccess();
		}
	}

	/** The account's IAM roles and instance profile, as 'parascope init-account' creates them; one line each. */
	private List<String> createRoles(Map<ConfigKey, String> values) {
		try (Parascope facade = open(values)) {
			return facade.initAccount();
		}
	}

	private Parascope open(Map<ConfigKey, String> values) {
		Config edited = Config.defaults();
		for (Map.Entry<ConfigKey, String> e : values.entrySet()) edited = edited.with(e.getKey(), e.getValue());
		return new Parascope(edited, null, null, parascope.environment());
	}

	private Map<SettingsField, String> given() {
		Map<SettingsField, String> given = new EnumMap<>(SettingsField.class);
		String[] fields = { app, profile, region, bucket, source, destination, image, types, machines, price, visibility, retries };
		for (SettingsField field : SettingsField.values()) {
			String value = fields[field.ordinal()];
			if (value != null) given.put(field, value);
		}
		return given;
	}

	private boolean headless() {
		return ui != null ? ui.isHeadless() : GraphicsEnvironment.isHeadless();
	}
}
