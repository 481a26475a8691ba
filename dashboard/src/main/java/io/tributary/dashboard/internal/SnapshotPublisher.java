package io.tributary.dashboard.internal;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes each snapshot to every open page as a server-sent event named {@value #EVENT}. A page that
 * connects gets the latest one at once, so it never shows empty until the next refresh; the browser's
 * EventSource reconnects by itself after a network drop.
 */
public final class SnapshotPublisher {
    static final String EVENT = "snapshot";

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private volatile String latest;

    /** Keeps {@code client}'s connection open and sends it every snapshot from now on. */
    public void subscribe(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        String current = latest;
        if (current != null) {
            client.sendEvent(EVENT, current);
        }
    }

    public void publish(String snapshotJson) {
        latest = snapshotJson;
        for (SseClient client : clients) {
            if (client.terminated()) {
                clients.remove(client);
            } else {
                client.sendEvent(EVENT, snapshotJson);
            }
        }
    }

    /** The latest snapshot, for a plain GET; null before the first. */
    public String latest() {
        return latest;
    }

    /** Ends every open connection, when the dashboard stops. */
    public void closeAll() {
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
