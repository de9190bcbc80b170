package org.parascope.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy to an HTTP endpoint, for tests and the benchmark: it can delay every chunk of
 * data by a fixed time in each direction (a request-response round trip gains twice that, as from a
 * laptop to a distant region, without limiting bandwidth), and it can go away ({@link #close()}): no
 * more connections, and those open are cut.
 */
public final class TcpProxy implements AutoCloseable {

	private record Chunk(byte[] data, long due) {}

	private static final Chunk END = new Chunk(new byte[0], 0);

	private final ServerSocket server;
	private final URI target;
	private final long delayNanos;
	private final Set<Socket> open = ConcurrentHashMap.newKeySet();
	private volatile boolean closed;

	public TcpProxy(URI target, Duration delayEachWay) throws IOException {
		this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
		this.target = target;
		this.delayNanos = delayEachWay.toNanos();
		daemon("tcp-proxy-accept", this::accept);
	}

	/** Where clients connect instead of the target. */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + server.getLocalPort());
	}

	private void accept() {
		while (!closed) {
			try {
				Socket client = server.accept();
				Socket upstream = new Socket(target.getHost(), target.getPort());
				for (Socket s : new Socket[] { client, upstream }) {
					s.setTcpNoDelay(true);
					open.add(s);
				}
				if (closed) close(client, upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException e) {
				// Closed, or the target refused: the client sees its connection end.
			}
		}
	}

	/** Copies one direction: a reader stamps each chunk with its due time, a writer sends it then. */
	private void pipe(Socket from, Socket to) {
		BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
		daemon("tcp-proxy-read", () -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream()) {
				for (int n; (n = in.read(buffer)) > 0;) chunks.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
			}
			catch (IOException e) {
				// The connection ended.
			}
			chunks.add(END);
		});
		daemon("tcp-proxy-write", () -> {
			try {
				OutputStream out = to.getOutputStream();
				for (Chunk c = chunks.take(); c != END; c = chunks.take()) {
					for (long wait; (wait = c.due - System.nanoTime()) > 0;) LockSupport.parkNanos(wait);
					out.write(c.data);
					out.flush();
				}
				to.shutdownOutput();
			}
			catch (IOException | InterruptedException e) {
				close(from, to);
			}
		});
	}

	/** Goes away: refuses new connections and cuts the open ones. */
	@Override
	public void close() {
		closed = true;
		try {
			server.close();
		}
		catch (IOException e) {
			// Closing anyway.
		}
		open.forEach(TcpProxy::close);
	}

	private static void close(Socket... sockets) {
		for (Socket s : sockets) {
			try {
				s.close();
			}
			catch (IOException e) {
				// Already closed.
			}
		}
	}

	private static void daemon(String name, Runnable r) {
		Thread t = new Thread(r, name);
		t.setDaemon(true);
		t.start();
	}
}
