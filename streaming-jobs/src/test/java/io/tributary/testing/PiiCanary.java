package io.tributary.testing;

import io.tributary.events.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Looks for the personal data of known input records (card numbers, e-mail addresses, IP addresses)
 * in bytes and text: in clear, and base64 (standard and URL-safe, with or without padding) or hex
 * encoded. It scans for candidates (runs of digits, address shapes, base64 and hex runs) and looks
 * each window of the right length up, so megabytes of output are checked in seconds.
 */
public final class PiiCanary {
    /** The log file the integration tests write (see log4j2-test.properties and the failsafe configuration). */
    public static final Path IT_LOG = Path.of("target", "test-logs", "integration-tests.log");

    private static final Pattern DIGITS = Pattern.compile("[0-9]{12,}");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_=-]{16,}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{24,}");

    /** Clear or encoded form -> what it is, e.g. "card number (base64)". */
    private final Map<String, String> needles = new HashMap<>();
    private final TreeSet<Integer> lengths = new TreeSet<>();
    private int clearValues;

    private PiiCanary() {}

    /** A canary for the personal data of {@code input}. */
    public static PiiCanary of(List<Transaction> input) {
        PiiCanary canary = new PiiCanary();
        for (Transaction t : input) {
            canary.add(t.getCardNumber(), "card number");
            if (t.getEmail() != null) {
                canary.add(t.getEmail(), "e-mail");
                canary.add(t.getEmail().toLowerCase(Locale.ROOT), "e-mail");
            }
            if (t.getIpAddress() != null) {
                canary.add(t.getIpAddress(), "IP address");
            }
        }
        return canary;
    }

    /** How many distinct clear values the canary knows. */
    public int size() {
        return clearValues;
    }

    /** Where personal data shows in the keys and values of {@code records}. */
    public List<String> findIn(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> hits = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            if (r.key() != null) {
                hits.addAll(findInText(new String(r.key(), StandardCharsets.ISO_8859_1), where + " key"));
            }
            if (r.value() != null) {
                hits.addAll(findInText(new String(r.value(), StandardCharsets.ISO_8859_1), where + " value"));
            }
        }
        return hits;
    }

    /** Where personal data shows in the integration tests' log. */
    public List<String> findInLog() throws IOException {
        if (!Files.exists(IT_LOG)) {
            throw new IllegalStateException("No log at " + IT_LOG.toAbsolutePath() + ": is log4j2-test.properties in use?");
        }
        return findInText(Files.readString(IT_LOG, StandardCharsets.ISO_8859_1), IT_LOG.toString());
    }

    /** Where personal data shows in {@code text}; bytes are read as ISO-8859-1, one char each. */
    public List<String> findInText(String text, String where) {
        List<String> hits = new ArrayList<>();
        scan(text, DIGITS, where, hits);
        scan(text, EMAIL, where, hits);
        scan(text, IPV4, where, hits);
        scan(text, BASE64, where, hits);
        scan(text, HEX, where, hits);
        return hits;
    }

    private void scan(String text, Pattern candidates, String where, List<String> hits) {
        Matcher m = candidates.matcher(text);
        while (m.find()) {
            String run = m.group();
            // Every window of a known length: a length byte or a neighbour may be glued to the value.
            for (int length : lengths) {
                for (int i = 0; i + length <= run.length(); i++) {
                    String what = needles.get(run.substring(i, i + length));
                    if (what != null) {
                        hits.add(what + " in " + where);
                        break;
                    }
                }
            }
        }
    }

    private void add(String clear, String what) {
        if (needles.putIfAbsent(clear, what) == null) {
            clearValues++;
        }
        byte[] bytes = clear.getBytes(StandardCharsets.UTF_8);
        put(Base64.getEncoder().encodeToString(bytes), what + " (base64)");
        put(Base64.getEncoder().withoutPadding().encodeToString(bytes), what + " (base64)");
        put(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), what + " (base64url)");
        put(HexFormat.of().formatHex(bytes), what + " (hex)");
        put(HexFormat.of().withUpperCase().formatHex(bytes), what + " (hex)");
        lengths.add(clear.length());
    }

    private void put(String encoded, String what) {
        needles.putIfAbsent(encoded, what);
        lengths.add(encoded.length());
    }
}
