package com.orderexport.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.orderexport.testing.FaultProxy.Direction;
import com.orderexport.testing.FaultProxy.Outage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault proxy between a client socket and a small echo server, both real sockets on the loopback. Over 200
 * lines because each fault needs its own sequence of real connections; the echo server is kept here, beside the
 * only tests that use it.
 */
class FaultProxyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private EchoServer echo;
    private FaultProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.to("127.0.0.1", echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBytesBothWaysAndCountsConnectionsAndBytes() throws IOException {
        Socket client = connect();

        assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        assertThat(roundTrip(client, "again")).isEqualTo("again");

        assertThat(proxy.endpoint().toString()).isEqualTo("http://127.0.0.1:" + proxy.port());
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
        assertThat(proxy.bytes(Direction.UPSTREAM)).isEqualTo(10);
        assertThat(proxy.bytes(Direction.DOWNSTREAM)).isEqualTo(10);
        assertThat(proxy.connectionsReset()).isZero();
    }

    @Test
    void passesTheEndOfTheStreamOnAndClosesOnceBothSidesAreDone() throws IOException {
        Socket client = connect();
        client.getOutputStream().write("last words".getBytes(StandardCharsets.UTF_8));
        client.shutdownOutput();

        // The echo server answers, sees the end of the stream, and closes: so does the proxy.
        assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("last words");
        await().atMost(PATIENCE).until(() -> proxy.openConnections() == 0);
    }

    @Test
    void latency_delaysEachChunkInTheChosenDirectionOnly() throws IOException {
        Socket client = connect();
        roundTrip(client, "warm");

        proxy.latency(Direction.DOWNSTREAM, Duration.ofMillis(400));
        long slow = timed(() -> roundTrip(client, "slow"));
        proxy.latency(Direction.DOWNSTREAM, Duration.ZERO).latency(Direction.UPSTREAM, Duration.ofMillis(400));
        long slowUp = timed(() -> roundTrip(client, "up"));
        proxy.heal();
        long fast = timed(() -> roundTrip(client, "fast"));

        assertThat(slow).isGreaterThanOrEqualTo(400);
        assertThat(slowUp).isGreaterThanOrEqualTo(400);
        assertThat(fast).isLessThan(400);
    }

    @Test
    void resetNextConnections_resetsExactlyThatManyNewConnectionsThenForwardsAgain() throws IOException {
        proxy.resetNextConnections(2);

        assertNewConnectionIsReset();
        assertNewConnectionIsReset();
        assertThat(roundTrip(connect(), "third")).isEqualTo("third");
        assertThat(proxy.connectionsReset()).isEqualTo(2);
        assertThat(proxy.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void resetEveryNewConnection_resetsEachNewConnectionButNotTheOpenOnes() throws IOException {
        Socket open = connect();
        roundTrip(open, "before");

        proxy.resetEveryNewConnection(true);
        assertNewConnectionIsReset();
        assertNewConnectionIsReset();
        assertThat(roundTrip(open, "still here")).isEqualTo("still here");

        proxy.resetEveryNewConnection(false);
        assertThat(roundTrip(connect(), "after")).isEqualTo("after");
        assertThat(proxy.connectionsReset()).isEqualTo(2);
    }

    @Test
    void resetOpenConnections_resetsEveryOpenConnectionAndLeavesNewOnesAlone() throws IOException {
        Socket first = connect();
        Socket second = connect();
        roundTrip(first, "1");
        roundTrip(second, "2");

        assertThat(proxy.resetOpenConnections()).isEqualTo(2);

        assertReset(first);
        assertReset(second);
        assertThat(proxy.openConnections()).isZero();
        assertThat(roundTrip(connect(), "new")).isEqualTo("new");
    }

    @Test
    void refusingOutage_killsOpenConnectionsAndRefusesNewOnesUntilHealedOnTheSamePort() throws IOException {
        Socket open = connect();
        roundTrip(open, "before");
        int port = proxy.port();

        proxy.outage(Outage.REFUSE);

        assertThat(proxy.inOutage()).isTrue();
        assertReset(open);
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        proxy.heal();
        assertThat(proxy.inOutage()).isFalse();
        assertThat(proxy.port()).isEqualTo(port);
        assertThat(roundTrip(connect(), "after")).isEqualTo("after");
    }

    @Test
    void blackHoleOutage_acceptsNewConnectionsButNeverAnswersThenResetsThemWhenHealed() throws IOException {
        Socket open = connect();
        roundTrip(open, "before");

        proxy.outage(Outage.BLACK_HOLE);

        assertReset(open);
        Socket swallowed = connect();
        swallowed.setSoTimeout(300);
        swallowed.getOutputStream().write("anyone?".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> swallowed.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        await().atMost(PATIENCE).until(() -> proxy.openConnections() == 1);
        assertThat(proxy.bytes(Direction.UPSTREAM)).isEqualTo("before".length());

        proxy.heal();

        swallowed.setSoTimeout((int) PATIENCE.toMillis());
        assertReset(swallowed);
        assertThat(roundTrip(connect(), "after")).isEqualTo("after");
        assertThat(proxy.connectionsReset()).isEqualTo(2);
    }

    @Test
    void timedOutage_endsByItselfAfterItsDuration() throws IOException {
        long start = System.nanoTime();
        proxy.outage(Outage.REFUSE, Duration.ofMillis(500));

        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        await().atMost(PATIENCE).until(() -> !proxy.inOutage());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(roundTrip(connect(), "back")).isEqualTo("back");
    }

    @Test
    void timedOutage_neverEndsALaterOutage() throws IOException {
        proxy.outage(Outage.REFUSE, Duration.ofMillis(200));
        proxy.outage(Outage.BLACK_HOLE);

        // Well past the first outage's end, the second is still in force.
        await().during(Duration.ofMillis(600)).atMost(PATIENCE).until(proxy::inOutage);
        Socket swallowed = connect();
        swallowed.setSoTimeout(200);
        swallowed.getOutputStream().write(1);
        assertThatThrownBy(() -> swallowed.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aTargetThatIsDown_resetsTheClientsConnection() throws IOException {
        echo.close();

        assertNewConnectionIsReset();
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void manyConnectionsAtOnce_eachGetsExactlyItsOwnBytesBack() throws Exception {
        int clientsAtOnce = 12;
        int size = 256 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(clientsAtOnce);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < clientsAtOnce; i++) {
                byte[] payload = new byte[size];
                new Random(i).nextBytes(payload);
                results.add(pool.submit(echoes(payload)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(proxy.bytes(Direction.UPSTREAM)).isEqualTo((long) clientsAtOnce * size);
        assertThat(proxy.bytes(Direction.DOWNSTREAM)).isEqualTo((long) clientsAtOnce * size);
        assertThat(proxy.connectionsAccepted()).isEqualTo(clientsAtOnce);
    }

    @Test
    void close_stopsListeningResetsOpenConnectionsAndEndsEveryThreadItStarted() throws IOException {
        Socket open = connect();
        roundTrip(open, "hi");
        String prefix = "fault-proxy-" + proxy.port() + "-";
        assertThat(threadsNamed(prefix)).isNotEmpty().allMatch(Thread::isDaemon);

        proxy.close();
        proxy.close();

        assertReset(open);
        assertThat(somethingListensOn(proxy.port())).isFalse();
        assertThatThrownBy(() -> proxy.outage(Outage.REFUSE)).isInstanceOf(IllegalStateException.class);
        await().atMost(PATIENCE).until(() -> threadsNamed(prefix).isEmpty());
    }

    // ---- helpers

    private Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 5_000);
        client.setSoTimeout((int) PATIENCE.toMillis());
        return client;
    }

    /**
     * Whether a connect to {@code port} is answered by a listener. With nothing listening, the kernel may pick that
     * very port as the connect's own and join the socket to itself (TCP simultaneous open); that is no listener.
     */
    private boolean somethingListensOn(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return socket.getLocalPort() != port;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(sent);
        byte[] received = client.getInputStream().readNBytes(sent.length);
        return new String(received, StandardCharsets.UTF_8);
    }

    /** A reset shows as "Connection reset" on the next read (after a write, if the reset came first). */
    private static void assertReset(Socket client) {
        assertThatThrownBy(() -> {
            client.getOutputStream().write(1);
            client.getInputStream().read();
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }

    /** A connection reset on arrival: the reset may meet the client's connect, first write or first read. */
    private void assertNewConnectionIsReset() {
        assertThatThrownBy(() -> {
            Socket client = connect();
            client.getOutputStream().write(1);
            client.getInputStream().read();
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }

    private Callable<Boolean> echoes(byte[] payload) {
        return () -> {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
            try (client) {
                client.setSoTimeout((int) PATIENCE.toMillis());
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        for (int from = 0; from < payload.length; from += 1000) {
                            out.write(payload, from, Math.min(1000, payload.length - from));
                        }
                    } catch (IOException e) {
                        // The reader then fails the comparison.
                    }
                });
                writer.start();
                byte[] back = client.getInputStream().readNBytes(payload.length);
                writer.join();
                return java.util.Arrays.equals(back, payload);
            }
        };
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static long timed(IoAction action) throws IOException {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix))
                .filter(Thread::isAlive).toList();
    }

    /** Echoes every byte back on each connection until the client ends its stream, then closes. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor = new Thread(this::acceptLoop, "echo-accept");

        EchoServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                    Thread echo = new Thread(() -> echo(socket), "echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // The proxy reset the connection.
            }
        }

        /** Closes the port and every connection; once it returns, connecting is refused. */
        @Override
        public void close() throws IOException {
            server.close();
            try {
                // The kernel keeps listening until the thread blocked in accept() has left it.
                acceptor.join(PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}
