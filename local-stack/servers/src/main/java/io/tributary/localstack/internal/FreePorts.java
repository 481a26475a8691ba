package io.tributary.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a free TCP port on the loopback interface for servers that must be told their port
 * before they start (a JobManager's REST endpoint, Redis, the registry, the broker).
 *
 * <p>A port from the kernel's ephemeral range (what {@code new ServerSocket(0)} returns) can be
 * taken between the check and the server's bind by any outgoing connection on the machine, and
 * a test suite makes thousands: CI saw a JobManager fail with "Could not start rest endpoint on
 * any port" that way. Ports are therefore picked below that range, where only a server binding
 * that very port can take them, and never handed out twice by one JVM. That also keeps a port
 * free while its server is down, for tests that kill a server and start it again on the same port.
 */
public final class FreePorts {

    /** Lowest port handed out: above the registered ports most local services listen on. */
    private static final int LOWEST = 20_000;
    /** The range Linux uses when no other is configured; its start bounds the picks. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /**
     * Returns a port that nothing listens on, below the ephemeral range, and that this JVM has
     * not returned before. Another process may still bind it first; that needs a server choosing
     * the same port by number, which is rare enough not to retry.
     */
    public static synchronized int pick() {
        int end = ephemeralStart();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        // Everything tried is in use: fall back to what the kernel offers.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range, from procfs on Linux. */
    static int ephemeralStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            int start = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
            // A range configured to start low leaves no room below it: use the usual bound.
            return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
