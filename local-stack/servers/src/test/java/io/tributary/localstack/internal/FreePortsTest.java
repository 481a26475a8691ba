package io.tributary.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksBindablePortsBelowTheEphemeralRangeAndNeverTheSameTwice() throws Exception {
        // Below the range no outgoing connection can take a port between the pick and the bind.
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(20_000, FreePorts.ephemeralStart() - 1);
            assertThat(picked.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePorts.pick();
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }
}
