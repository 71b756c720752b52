package com.orderexport.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port that forwards to one target (the emulator) and breaks the network on demand,
 * so integration tests can point the functions' SDK clients at {@link #endpoint()} and watch them meet latency,
 * resets and outages from a real server. One file because the listener, the connections and the fault switches
 * share one lock and one state; split, each piece would need the others' internals.
 *
 * <p>Faults, each switched at any time from any thread while traffic flows:
 * <ul>
 *   <li>{@link #latency}: every chunk read from one side waits this long before it is written to the other.
 *   <li>{@link #resetNextConnections} / {@link #resetEveryNewConnection}: new connections are accepted and at once
 *       closed with a TCP RST; {@link #resetOpenConnections} does that to every open connection now.
 *   <li>{@link #outage}: open connections are reset and new ones are refused ({@link Outage#REFUSE}: nothing
 *       listens on the port) or black-holed ({@link Outage#BLACK_HOLE}: accepted, then never answered), until
 *       {@link #heal()} or for a given duration.
 * </ul>
 * Counters ({@link #connectionsAccepted}, {@link #openConnections}, {@link #connectionsReset}, {@link #bytes}) let
 * a test see that the fault really met traffic. Every thread is a daemon; {@link #close()} resets whatever is open.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(stack.emulator().endpoint())) {
 *     DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(proxy.endpoint())
 *             .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
 *     proxy.outage(FaultProxy.Outage.REFUSE, Duration.ofSeconds(2));
 *     ... // the code under test meets a refused DynamoDB, then a healthy one
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** Which way bytes travel. */
    public enum Direction {
        /** From the client to the target. */
        UPSTREAM,
        /** From the target back to the client. */
        DOWNSTREAM
    }

    /** How the proxy is down during an outage. */
    public enum Outage {
        /** Nothing listens: a connect fails at once (connection refused), as when the service is down. */
        REFUSE,
        /**
         * Connections are accepted and then nothing: what is sent vanishes and no answer comes, as when packets are
         * dropped.
         */
        BLACK_HOLE
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int CHUNK = 16 * 1024;

    private final InetSocketAddress target;
    private final int port;
    private final Object lock = new Object();
    // Taken before lock by whatever opens or closes the listener, since closing it waits on lock and so lets go of it.
    private final Object switching = new Object();
    private final ScheduledExecutorService timer;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<Direction, AtomicLong> latencyNanos = new EnumMap<>(Direction.class);
    private final Map<Direction, AtomicLong> bytes = new EnumMap<>(Direction.class);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicInteger threadNumber = new AtomicInteger();

    // Guarded by lock. While refusing, a bound socket that does not listen keeps the port from being handed out.
    private ServerSocket listener;
    private Socket placeholder;
    private boolean accepting; // the accept thread is inside accept(), which keeps a closed listener alive
    private Outage outage;
    private long outageGeneration;
    private long resetsPending;
    private RuntimeException healFailure;
    private boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        for (Direction direction : Direction.values()) {
            latencyNanos.put(direction, new AtomicLong());
            bytes.put(direction, new AtomicLong());
        }
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = listener.getLocalPort();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "timer"));
        daemon(this::acceptLoop, "accept").start();
    }

    /** Starts a proxy on a free loopback port forwarding to {@code host:port}. */
    public static FaultProxy to(String host, int port) throws IOException {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    /** Starts a proxy forwarding to the host and port of an endpoint, such as the emulator's URL. */
    public static FaultProxy to(URI endpoint) throws IOException {
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        return to(endpoint.getHost(), port);
    }

    /** The loopback port the proxy listens on; it stays the same through outages. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: what an SDK client's {@code endpointOverride} takes. */
    public URI endpoint() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port);
    }

    /** Delays every chunk travelling in {@code direction} by {@code perChunk} (zero: none) from now on. */
    public FaultProxy latency(Direction direction, Duration perChunk) {
        Objects.requireNonNull(direction, "direction");
        if (perChunk.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + perChunk);
        }
        latencyNanos.get(direction).set(perChunk.toNanos());
        return this;
    }

    /** Resets the next {@code count} new connections as soon as they are accepted (on top of any still pending). */
    public FaultProxy resetNextConnections(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        synchronized (lock) {
            resetsPending = resetsPending == Long.MAX_VALUE ? Long.MAX_VALUE : resetsPending + count;
        }
        return this;
    }

    /** Resets every new connection as soon as it is accepted ({@code true}), or no longer ({@code false}). */
    public FaultProxy resetEveryNewConnection(boolean on) {
        synchronized (lock) {
            resetsPending = on ? Long.MAX_VALUE : 0;
        }
        return this;
    }

    /** Resets every connection open now, both its sides; returns how many there were. */
    public int resetOpenConnections() {
        synchronized (lock) {
            return resetAll();
        }
    }

    /** Starts an outage that lasts until {@link #heal()}: open connections are reset, new ones meet {@code kind}. */
    public FaultProxy outage(Outage kind) {
        startOutage(kind);
        return this;
    }

    /** Starts an outage that ends by itself after {@code duration} (unless healed, or replaced by another, first). */
    public FaultProxy outage(Outage kind, Duration duration) {
        long generation = startOutage(kind);
        timer.schedule(() -> endOutageQuietly(generation), duration.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Whether an outage is in force. */
    public boolean inOutage() {
        synchronized (lock) {
            return outage != null;
        }
    }

    /**
     * Clears every fault: ends the outage (the port listens again; black-holed connections are reset), cancels
     * pending resets and sets latency to zero. Connections opened from now on are forwarded normally.
     */
    public FaultProxy heal() {
        synchronized (switching) {
            synchronized (lock) {
                healFailure = null;
                endOutage(outageGeneration);
                resetsPending = 0;
            }
        }
        for (AtomicLong nanos : latencyNanos.values()) {
            nanos.set(0);
        }
        return this;
    }

    /** Every connection the proxy accepted, including those it reset or black-holed. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open now: forwarded ones and black-holed ones. */
    public int openConnections() {
        synchronized (lock) {
            return connections.size();
        }
    }

    /** Connections the faults closed with a reset: on arrival, while open, or at an outage's start or end. */
    public long connectionsReset() {
        return resets.get();
    }

    /** Bytes forwarded in {@code direction} so far (black-holed bytes are not forwarded). */
    public long bytes(Direction direction) {
        return bytes.get(direction).get();
    }

    /** Stops listening and resets every open connection; the proxy's threads then end. Idempotent. */
    @Override
    public void close() {
        synchronized (switching) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                closeQuietly(placeholder);
                placeholder = null;
                closeListener();
                for (Connection connection : List.copyOf(connections)) {
                    connection.reset();
                }
                lock.notifyAll();
            }
        }
        timer.shutdownNow();
    }

    // ---- the listener and outages

    private void acceptLoop() {
        while (true) {
            ServerSocket current;
            synchronized (lock) {
                while (listener == null && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                current = listener;
                accepting = true;
            }
            Socket client;
            try {
                client = current.accept();
            } catch (IOException e) {
                client = null; // the listener was closed for an outage or by close(); the loop looks again
            }
            synchronized (lock) {
                accepting = false;
                lock.notifyAll();
            }
            if (client != null) {
                accepted.incrementAndGet();
                admit(client);
            }
        }
    }

    /** Decides, under the lock so that no fault switched meanwhile is missed, what becomes of a new connection. */
    private void admit(Socket client) {
        Connection connection = new Connection(client);
        synchronized (lock) {
            if (closed) {
                rst(client);
                return;
            }
            if (resetsPending > 0) {
                if (resetsPending != Long.MAX_VALUE) {
                    resetsPending--;
                }
                resets.incrementAndGet();
                rst(client);
                return;
            }
            if (outage == Outage.REFUSE) {
                rst(client); // accepted just before the listener closed: refused all the same
                return;
            }
            connections.add(connection);
            connection.held = outage == Outage.BLACK_HOLE;
        }
        if (connection.held) {
            daemon(connection::drain, "black-hole").start();
        } else {
            daemon(connection::forward, "up").start();
        }
    }

    private long startOutage(Outage kind) {
        Objects.requireNonNull(kind, "kind");
        synchronized (switching) {
            synchronized (lock) {
                throwHealFailure();
                if (closed) {
                    throw new IllegalStateException("the proxy is closed");
                }
                if (kind == Outage.REFUSE && listener != null) {
                    stopListening();
                } else if (kind == Outage.BLACK_HOLE && listener == null) {
                    listen();
                }
                outage = kind;
                resetAll();
                return ++outageGeneration;
            }
        }
    }

    private void endOutageQuietly(long generation) {
        synchronized (switching) {
            synchronized (lock) {
                try {
                    endOutage(generation);
                } catch (RuntimeException e) {
                    healFailure = e;
                }
            }
        }
    }

    /** Ends the outage numbered {@code generation} if it is still the one in force. Holds switching and the lock. */
    private void endOutage(long generation) {
        if (outage == null || generation != outageGeneration || closed) {
            return;
        }
        if (listener == null) {
            listen();
        }
        outage = null;
        resetAll(); // the black-holed ones: what they sent is lost, so their clients must start again
    }

    /** Holds switching and the lock. */
    private void stopListening() {
        closeListener();
        try {
            Socket reserve = new Socket();
            reserve.setReuseAddress(true);
            reserve.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            placeholder = reserve;
        } catch (IOException e) {
            // Without it the port is still refused; it merely might be handed to another socket meanwhile.
            placeholder = null;
        }
    }

    /**
     * Closes the listener and waits until the accept thread has left accept(): until then the kernel keeps the
     * listening socket, and a client could still connect. Holds the lock, which the wait lets go of meanwhile.
     */
    private void closeListener() {
        closeQuietly(listener);
        listener = null;
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        for (long left = CONNECT_TIMEOUT.toNanos(); accepting && left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Holds switching and the lock. */
    private void listen() {
        closeQuietly(placeholder);
        placeholder = null;
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
        lock.notifyAll();
    }

    private void throwHealFailure() {
        if (healFailure != null) {
            throw new IllegalStateException("a timed outage could not end (heal() tries again)", healFailure);
        }
    }

    /** Resets every open connection as a fault; returns how many. Holds the lock. */
    private int resetAll() {
        List<Connection> open = List.copyOf(connections);
        for (Connection connection : open) {
            connection.reset();
        }
        resets.addAndGet(open.size());
        return open.size();
    }

    // ---- connections

    /** One client connection: forwarded to its own connection to the target, or held in a black hole. */
    private final class Connection {

        private final Socket client;
        private Socket upstream; // guarded by lock
        private boolean held; // set under lock before the connection's threads start
        private final AtomicInteger directionsDone = new AtomicInteger();
        // A read blocked in the kernel can still return bytes that arrive after its socket was closed.
        private volatile boolean wasReset;

        Connection(Socket client) {
            this.client = client;
        }

        void forward() {
            Socket socket = new Socket();
            try {
                socket.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException e) {
                closeQuietly(socket);
                reset(); // the target is down: the client sees its connection reset
                return;
            }
            synchronized (lock) {
                if (!connections.contains(this)) {
                    rst(socket); // reset while connecting
                    return;
                }
                upstream = socket;
            }
            daemon(() -> pump(socket, client, Direction.DOWNSTREAM), "down").start();
            pump(client, socket, Direction.UPSTREAM);
        }

        /** Reads and discards what the client sends until it gives up or the connection is reset. */
        void drain() {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = client.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    // Black-holed: nothing is forwarded and nothing answered.
                }
            } catch (IOException e) {
                // Reset by heal(), close() or the client.
            }
            finish();
        }

        private void pump(Socket from, Socket to, Direction direction) {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (wasReset || !delay(latencyNanos.get(direction).get()) || wasReset) {
                        return;
                    }
                    // Counted first, so that a peer holding the bytes already sees them counted.
                    bytes.get(direction).addAndGet(n);
                    out.write(buffer, 0, n);
                }
                to.shutdownOutput(); // pass the end of the stream on, and keep the other direction open
            } catch (IOException e) {
                reset(); // one side failed or was reset: the other side learns of it the same way
                return;
            }
            if (directionsDone.incrementAndGet() == 2) {
                finish();
            }
        }

        /** Closes both sides with a RST and forgets the connection. */
        void reset() {
            wasReset = true;
            Socket other;
            synchronized (lock) {
                connections.remove(this);
                other = upstream;
            }
            rst(client);
            if (other != null) {
                rst(other);
            }
        }

        private void finish() {
            Socket other;
            synchronized (lock) {
                connections.remove(this);
                other = upstream;
            }
            closeQuietly(client);
            closeQuietly(other);
        }
    }

    /** Waits {@code nanos} unless the proxy closes first; false when it closed. */
    private boolean delay(long nanos) {
        if (nanos <= 0) {
            return true;
        }
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            for (long left = nanos; left > 0 && !closed; left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !closed;
        }
    }

    private Thread daemon(Runnable runnable, String role) {
        Thread thread = new Thread(runnable,
                "fault-proxy-" + port + "-" + role + "-" + threadNumber.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** Closes with a TCP RST instead of a FIN: SO_LINGER on with a zero timeout. */
    private static void rst(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed: nothing left to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is best effort: the socket is unusable either way.
        }
    }
}
