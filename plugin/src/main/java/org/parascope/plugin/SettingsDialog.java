package org.parascope.plugin;

import java.awt.BorderLayout;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;

import org.parascope.AccessFinding;
import org.parascope.ParascopeException;
import org.parascope.config.ConfigKey;

/**
 * Configure's dialog: one field per setting, Read config.py... to fill them from an existing file, and
 * Check, which tries the edited settings against AWS and lists in plain words what works and what is missing.
 */
public final class SettingsDialog extends JDialog {

	private final Map<SettingsField, JTextField> fields = new EnumMap<>(SettingsField.class);
	private final Map<ConfigKey, String> others = new EnumMap<>(ConfigKey.class);
	private final JTextArea findings = new JTextArea(7, 60);
	private boolean saved;

	/**
	 * @param values the saved settings (keys the dialog does not show are kept as they are)
	 * @param check  tries settings against AWS; called off the Swing thread
	 * @param roles  creates the account's roles, one line per resource; called off the Swing thread
	 */
	public SettingsDialog(Map<ConfigKey, String> values, Function<Map<ConfigKey, String>, List<AccessFinding>> check,
		Function<Map<ConfigKey, String>, List<String>> roles)
	{
		super((java.awt.Frame) null, "Parascope: Configure", true);
		others.putAll(values);
		JPanel form = new JPanel(new GridBagLayout());
		GridBagConstraints c = new GridBagConstraints();
		c.insets = new Insets(3, 4, 3, 4);
		c.anchor = GridBagConstraints.WEST;
		c.gridy = 0;
		for (SettingsField field : SettingsField.values()) {
			JTextField text = new JTextField(others.getOrDefault(field.key(), ""), 28);
			text.setName(field.macroName());
			text.setToolTipText(field.key() + " (empty: " + field.key().defaultText().orElse("not set") + ")");
			fields.put(field, text);
			c.gridx = 0;
			c.fill = GridBagConstraints.NONE;
			c.weightx = 0;
			form.add(new JLabel(field.label()), c);
			c.gridx = 1;
			c.fill = GridBagConstraints.HORIZONTAL;
			c.weightx = 1;
			form.add(text, c);
			c.gridy++;
		}
		findings.setEditable(false);
		findings.setLineWrap(true);
		findings.setWrapStyleWord(true);
		findings.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
		findings.setText("Check tries these settings against AWS and says what is missing.");

		JButton read = new JButton("Read config.py...");
		read.addActionListener(e -> readFile());
		JButton checkButton = new JButton("Check");
		checkButton.addActionListener(e -> inBackground(checkButton, () -> report(check.apply(values()))));
		JButton rolesButton = new JButton("Create account roles");
		rolesButton.setToolTipText("Once per AWS account, by someone with IAM rights: the roles machines and workers act as");
		rolesButton.addActionListener(e -> inBackground(rolesButton, () -> String.join("\n", roles.apply(values()))));
		JButton save = new JButton("Save");
		save.addActionListener(e -> {
			saved = true;
			dispose();
		});
		JButton cancel = new JButton("Cancel");
		cancel.addActionListener(e -> dispose());
		JPanel buttons = new JPanel();
		for (JButton b : List.of(read, checkButton, rolesButton, save, cancel)) buttons.add(b);

		JPanel content = new JPanel(new BorderLayout(0, 8));
		content.setBorder(BorderFactory.createEmptyBorder(10, 10, 10, 10));
		content.add(form, BorderLayout.NORTH);
		JScrollPane scroll = new JScrollPane(findings);
		scroll.setBorder(BorderFactory.createTitledBorder("Check"));
		content.add(scroll, BorderLayout.CENTER);
		content.add(buttons, BorderLayout.SOUTH);
		setContentPane(content);
		pack();
	}

	/** Shows the dialog (modal) and returns the settings to save; empty when cancelled. */
	static Optional<Map<ConfigKey, String>> edit(Map<ConfigKey, String> values,
		Function<Map<ConfigKey, String>, List<AccessFinding>> check, Function<Map<ConfigKey, String>, List<String>> roles)
	{
		@SuppressWarnings("unchecked")
		Optional<Map<ConfigKey, String>>[] result = new Optional[] { Optional.empty() };
		Runnable show = () -> {
			SettingsDialog dialog = new SettingsDialog(values, check, roles);
			dialog.setLocationRelativeTo(null);
			dialog.setVisible(true);
			if (dialog.saved) result[0] = Optional.of(dialog.values());
		};
		try {
			if (SwingUtilities.isEventDispatchThread()) show.run();
			else SwingUtilities.invokeAndWait(show);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (InvocationTargetException e) {
			throw new ParascopeException("the Configure dialog failed: " + e.getCause(), e.getCause());
		}
		return result[0];
	}

	/** The settings as edited: the fields (empty ones left out, meaning the default) and the keys not shown. */
	public Map<ConfigKey, String> values() {
		Map<ConfigKey, String> values = new EnumMap<>(others);
		fields.forEach((field, text) -> {
			if (text.getText().isBlank()) values.remove(field.key());
			else values.put(field.key(), text.getText().strip());
		});
		return values;
	}

	/** Runs an AWS action off the Swing thread, its button disabled meanwhile; its text goes to the findings area. */
	private void inBackground(JButton button, Supplier<String> action) {
		button.setEnabled(false);
		findings.setText(button.getText() + "...");
		new SwingWorker<String, Void>() {
			@Override
			protected String doInBackground() {
				return action.get();
			}

			@Override
			protected void done() {
				button.setEnabled(true);
				try {
					findings.setText(get());
				}
				catch (Exception failure) {
					Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
					findings.setText(button.getText() + " failed: " + cause.getMessage());
				}
				findings.setCaretPosition(0);
			}
		}.execute();
	}

	public void showFindings(List<AccessFinding> list) {
		findings.setText(report(list));
		findings.setCaretPosition(0);
	}

	/** The check's findings as the dialog lists them. */
	static String report(List<AccessFinding> list) {
		StringBuilder text = new StringBuilder();
		long missing = list.stream().filter(f -> !f.ok()).count();
		text.append(missing == 0 ? "All set: a run can start with these settings.\n"
			: missing + " thing(s) to fix before a run can start:\n");
		for (AccessFinding f : list) text.append(f.ok() ? "  ok       " : "  MISSING  ").append(f.line()).append('\n');
		return text.toString();
	}

	private void readFile() {
		JFileChooser chooser = new JFileChooser();
		chooser.setDialogTitle("A config.py or parascope.yml");
		if (chooser.showOpenDialog(this) != JFileChooser.APPROVE_OPTION) return;
		File file = chooser.getSelectedFile();
		try {
			Map<ConfigKey, String> read = Settings.read(file.toPath(), line -> {});
			others.putAll(read);
			fields.forEach((field, text) -> {
				if (read.containsKey(field.key())) text.setText(read.get(field.key()));
			});
			findings.setText("read " + read.size() + " setting(s) from " + file);
		}
		catch (RuntimeException e) {
			findings.setText("cannot read " + file + ": " + e.getMessage());
		}
	}
}
