package io.tributary.localstack.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Passwords made for one server run, known to nobody outside this JVM. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /**
     * 144 random bits as URL-safe base64: no quote, backslash, comma or colon, so it can sit in a
     * JAAS line or a {@code key:value} map option as it is. It starts with a letter: the JDK's tool
     * launchers read any argument starting with {@code -J} as a JVM option, so a password such as
     * {@code -Jx...} handed to {@code keytool} failed one run in about 4,000.
     */
    public static String random() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return "s" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
