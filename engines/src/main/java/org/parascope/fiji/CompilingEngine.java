package org.parascope.fiji;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;

/**
 * A warm engine that compiles each script text once and runs the compiled code thereafter. A worker
 * runs the same script for every task of a job; compiling it again per task was most of a warm
 * task's cost (about 4 ms in Jython for a ten-line script, against 0.1 ms to run it). Everything but
 * evaluation goes straight to the engine, so each task still gets its own bindings.
 */
final class CompilingEngine implements ScriptEngine {

	/** Scripts kept per engine; a worker's tasks use one or a few. */
	private static final int KEPT = 16;

	private final ScriptEngine engine;
	private final Map<String, CompiledScript> compiled = new LinkedHashMap<>(KEPT, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, CompiledScript> eldest) {
			return size() > KEPT;
		}
	};

	CompilingEngine(ScriptEngine engine) {
		this.engine = engine;
	}

	/** The engine itself, for what only it offers (closing, a language's own API). */
	ScriptEngine engine() {
		return engine;
	}

	@Override
	public Object eval(String script, ScriptContext context) throws ScriptException {
		if (!(engine instanceof Compilable compilable)) return engine.eval(script, context);
		// The file name is compiled into the code (tracebacks name it), so it is part of the key.
		String key = context.getAttribute(FILENAME) + "\n" + script;
		CompiledScript code;
		synchronized (compiled) {
			code = compiled.get(key);
		}
		if (code == null) {
			ScriptContext saved = engine.getContext();
			engine.setContext(context);
			try {
				code = compilable.compile(script);
			}
			finally {
				engine.setContext(saved);
			}
			synchronized (compiled) {
				compiled.put(key, code);
			}
		}
		return code.eval(context);
	}

	@Override
	public Object eval(Reader reader, ScriptContext context) throws ScriptException {
		return eval(read(reader), context);
	}

	@Override
	public Object eval(String script) throws ScriptException {
		return eval(script, engine.getContext());
	}

	@Override
	public Object eval(Reader reader) throws ScriptException {
		return eval(read(reader), engine.getContext());
	}

	@Override
	public Object eval(String script, Bindings bindings) throws ScriptException {
		return engine.eval(script, bindings);
	}

	@Override
	public Object eval(Reader reader, Bindings bindings) throws ScriptException {
		return engine.eval(reader, bindings);
	}

	@Override
	public void put(String key, Object value) {
		engine.put(key, value);
	}

	@Override
	public Object get(String key) {
		return engine.get(key);
	}

	@Override
	public Bindings getBindings(int scope) {
		return engine.getBindings(scope);
	}

	@Override
	public void setBindings(Bindings bindings, int scope) {
		engine.setBindings(bindings, scope);
	}

	@Override
	public Bindings createBindings() {
		return engine.createBindings();
	}

	@Override
	public ScriptContext getContext() {
		return engine.getContext();
	}

	@Override
	public void setContext(ScriptContext context) {
		engine.setContext(context);
	}

	@Override
	public ScriptEngineFactory getFactory() {
		return engine.getFactory();
	}

	private static String read(Reader reader) throws ScriptException {
		try (reader) {
			StringWriter text = new StringWriter();
			reader.transferTo(text);
			return text.toString();
		}
		catch (IOException e) {
			throw new ScriptException(e);
		}
	}
}
