package io.tributary.localstack;

import java.io.IOException;

/**
 * Run by {@link ChildProcessReaperIT} in a JVM of its own: starts Redis, prints its pid and waits
 * to be killed. It also exits when its standard input closes, so it cannot outlive the test JVM.
 */
public final class RedisInChildJvm {

    static final String PID_PREFIX = "redis-pid=";

    private RedisInChildJvm() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(PID_PREFIX + LocalServers.redis().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for end-of-file.
        }
    }
}
