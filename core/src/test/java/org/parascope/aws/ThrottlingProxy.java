package org.parascope.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of the emulator that answers a service's throttling error to the
 * first {@code throttled} requests and forwards every later one. It stands in for what moto cannot
 * do: moto never throttles, and real S3 and SQS do under load, with exactly these answers. It can
 * answer other faults the same way ({@link #failNext}): a server error, a connection dropped
 * without an answer ({@link #DROP}), as a flaky network or a VPN going down does, a server that
 * never answers ({@link #FREEZE}), or one that does the work and then never answers
 * ({@link #PROCESS_THEN_FREEZE}: a timeout after the server processed the request). The
 * forwarded request reaches the emulator under another Host than it was signed for; the emulator
 * does not check signatures, so nothing is re-signed.
 */
public final class ThrottlingProxy implements AutoCloseable {

	/** A throttling answer, as the service sends it. */
	public record Throttle(int status, Map<String, String> headers, String body) {}

	/** S3's: 503 SlowDown. */
	public static final Throttle S3_SLOW_DOWN = new Throttle(503, Map.of("Content-Type", "application/xml"), """
		<?xml version="1.0" encoding="UTF-8"?>
		<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>T1</RequestId></Error>""");

	/** SQS's, in its JSON protocol: RequestThrottled, with the code its query-compatible header carries. */
	public static final Throttle SQS_REQUEST_THROTTLED = new Throttle(400,
		Map.of("Content-Type", "application/x-amz-json-1.0", "x-amzn-query-error", "RequestThrottled;Sender"),
		"{\"__type\":\"com.amazonaws.sqs#RequestThrottled\",\"message\":\"Request is throttled.\"}");

	/** EC2's, in its query protocol: 503 RequestLimitExceeded. */
	public static final Throttle EC2_REQUEST_LIMIT_EXCEEDED = new Throttle(503, Map.of("Content-Type", "text/xml"), """
		<?xml version="1.0" encoding="UTF-8"?>
		<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>\
		<RequestID>T1</RequestID></Response>""");

	/** Any service's bad day: HTTP 500 with a body no protocol parses, so the SDK knows only the status. */
	public static final Throttle SERVER_ERROR = new Throttle(500, Map.of("Content-Type", "text/plain"), "Internal Server Error");

	/** Not an answer: the connection is closed without one. */
	public static final Throttle DROP = new Throttle(0, Map.of(), "");

	/** No answer at all: the request is held (not forwarded) until the proxy closes, as by a frozen server. */
	public static final Throttle FREEZE = new Throttle(-1, Map.of(), "");

	/** The request is forwarded and done, but its answer is held until the proxy closes: the client times out. */
	public static final Throttle PROCESS_THEN_FREEZE = new Throttle(-2, Map.of(), "");

	private static final String ANY = "";

	/** Headers the JDK client sets itself, and hop-by-hop ones. */
	private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
		"transfer-encoding", "keep-alive", "date");

	private final HttpServer server;
	private final URI target;
	private final Throttle throttle;
	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	/** An answer to give instead of forwarding, to how many more requests, after how many more are forwarded. */
	private record Fault(Throttle answer, AtomicInteger left, AtomicInteger pass) {}

	/** Requests still to answer so, by operation; {@link #ANY} for requests of any operation. */
	private final Map<String, Fault> toThrottle = new ConcurrentHashMap<>();
	private final AtomicInteger throttled = new AtomicInteger();
	private final AtomicInteger forwarded = new AtomicInteger();
	private final CountDownLatch closing = new CountDownLatch(1);
	// Not a fixed pool: frozen requests hold their threads until the proxy closes.
	private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "throttling-proxy");
		t.setDaemon(true);
		return t;
	});

	/** A proxy to {@code target} that answers {@code throttle} to the first {@code count} requests. */
	public ThrottlingProxy(URI target, Throttle throttle, int count) throws IOException {
		this.target = target;
		this.throttle = throttle;
		throttleNext(count);
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		server.setExecutor(pool);
		server.createContext("/", this::handle);
		server.start();
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
	}

	/** Throttles the next {@code n} requests. */
	public void throttleNext(int n) {
		throttleNext(n, ANY);
	}

	/**
	 * Throttles the next {@code n} requests for one operation: of a JSON-protocol service by its
	 * target (SQS's "AmazonSQS.DeleteMessage"), of a query-protocol one (EC2) by its Action
	 * ("DescribeSpotFleetRequests").
	 */
	public void throttleNext(int n, String operation) {
		failNext(n, operation, throttle);
	}

	/** Answers {@code answer} to the next {@code n} requests, whatever their operation. */
	public void failNext(int n, Throttle answer) {
		failNext(n, ANY, answer);
	}

	/** Answers {@code answer} to the next {@code n} requests for {@code operation} (as {@link #throttleNext(int, String)}). */
	public void failNext(int n, String operation, Throttle answer) {
		failAfter(0, n, operation, answer);
	}

	/** Forwards the next {@code pass} requests for {@code operation}, then answers {@code answer} to {@code n} more. */
	public void failAfter(int pass, int n, String operation, Throttle answer) {
		toThrottle.put(operation, new Fault(answer, new AtomicInteger(n), new AtomicInteger(pass)));
	}

	/** Requests throttled so far. */
	public int throttled() {
		return throttled.get();
	}

	/** Requests passed on to the emulator so far. */
	public int forwarded() {
		return forwarded.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readAllBytes();
			String operation = operation(exchange, body);
			Throttle answer = operation != null ? take(operation) : null;
			if (answer == null) answer = take(ANY);
			if (answer != null) {
				throttled.incrementAndGet();
				if (answer.status() == PROCESS_THEN_FREEZE.status()) forward(exchange, body);
				if (answer.status() < 0) {
					closing.await();
					return;
				}
				// Closed unanswered: the JDK's server closes the connection, and the client sees it cut.
				if (answer.status() == 0) return;
				answer.headers().forEach(exchange.getResponseHeaders()::set);
				respond(exchange, answer.status(), answer.body().getBytes(StandardCharsets.UTF_8), List.of());
				return;
			}
			HttpResponse<byte[]> response = forward(exchange, body);
			// A HEAD answer's length is the object's, in its header: that one is kept.
			boolean head = "HEAD".equals(exchange.getRequestMethod());
			respond(exchange, response.statusCode(), response.body(), response.headers().map().entrySet().stream()
				.filter(e -> !NOT_FORWARDED.contains(e.getKey().toLowerCase(Locale.ROOT))
					|| head && e.getKey().equalsIgnoreCase("content-length"))
				.toList());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
		forwarded.incrementAndGet();
		HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
			.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> request.header(name, v));
		});
		return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	/** A JSON protocol's X-Amz-Target, or a query protocol's Action parameter. */
	private static String operation(HttpExchange exchange, byte[] body) {
		String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
		if (target != null) return target;
		for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
			if (pair.startsWith("Action=")) return pair.substring("Action=".length());
		}
		return null;
	}

	/** Counts one request off {@code operation}'s allowance: the answer it gets, or null if none is left. */
	private Throttle take(String operation) {
		Fault fault = toThrottle.get(operation);
		if (fault == null || fault.pass().getAndUpdate(n -> Math.max(0, n - 1)) > 0) return null;
		return fault.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? fault.answer() : null;
	}

	private static void respond(HttpExchange exchange, int status, byte[] body,
		List<Map.Entry<String, List<String>>> headers) throws IOException
	{
		headers.forEach(h -> exchange.getResponseHeaders().put(h.getKey(), h.getValue()));
		boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
		exchange.sendResponseHeaders(status, empty ? -1 : body.length);
		if (!empty) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		closing.countDown();
		server.stop(0);
		pool.shutdownNow();
	}
}
