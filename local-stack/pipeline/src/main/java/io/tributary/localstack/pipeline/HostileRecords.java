package io.tributary.localstack.pipeline;

import io.tributary.events.Location;
import io.tributary.events.Transaction;
import org.apache.avro.io.BinaryData;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Records a faulty or hostile producer could write to the payments topic, beyond what the generator
 * makes on its own, each made from a valid generated event, which it leaves as it is. Each but the
 * conflicting duplicate gets an event id of its own, so that nothing of it can pass for its source.
 */
public final class HostileRecords {
    /** The kinds {@link #from} makes, in the order a caller that cycles through them should use. */
    public static final List<TrafficKind> KINDS = List.of(TrafficKind.MALFORMED_HUGE_STRING_LENGTH,
            TrafficKind.INVALID_TOO_LARGE, TrafficKind.INVALID_FUTURE_EVENT_TIME, TrafficKind.INVALID_LOCATION,
            TrafficKind.DUPLICATE_CONFLICT);

    /**
     * The length of the padded device id of {@link TrafficKind#INVALID_TOO_LARGE}: with the rest of
     * the record and its batch, just under Kafka's default 1 MiB limits on requests and messages.
     */
    static final int TOO_LARGE_PADDING = 1_000_000;

    /** The string length a {@link TrafficKind#MALFORMED_HUGE_STRING_LENGTH} record declares. */
    static final long HUGE_STRING_LENGTH = 1_500_000_000L;

    /** The most bytes Avro's variable-length encoding of a long takes. */
    private static final int MAX_VARINT_BYTES = 10;

    private final Random random;

    /** Hostile records whose new event ids and padding follow from {@code seed}. */
    public HostileRecords(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A record of {@code kind} (one of {@link #KINDS}) made from {@code valid}, as written at {@code now}.
     *
     * @throws IllegalArgumentException if the generator makes records of {@code kind} itself
     */
    public GeneratedTransaction from(TrafficKind kind, Transaction valid, Instant now) {
        Transaction hostile = Transaction.newBuilder(valid).build();
        if (kind != TrafficKind.DUPLICATE_CONFLICT) {
            hostile.setEventId(new UUID(random.nextLong(), random.nextLong()));
        }
        switch (kind) {
            case MALFORMED_HUGE_STRING_LENGTH -> { } // spoiled as bytes, by the writer
            case INVALID_TOO_LARGE -> hostile.setDeviceId(padding());
            case INVALID_FUTURE_EVENT_TIME -> hostile.setEventTime(now.plus(Duration.ofDays(1)));
            case INVALID_LOCATION -> hostile.setLocation(Location.newBuilder().setLatitude(Double.NaN).setLongitude(2.35)
                    .setCity("Paris").build());
            case DUPLICATE_CONFLICT -> hostile.setAmount(hostile.getAmount().add(BigDecimal.ONE));
            default -> throw new IllegalArgumentException(kind + " is not a hostile record's kind: the generator makes it");
        }
        return new GeneratedTransaction(kind, hostile);
    }

    /**
     * {@code header} (a Confluent header: magic byte and schema id) followed by a string length of
     * {@link #HUGE_STRING_LENGTH} as Avro writes it, a zig-zag varint, and nothing else.
     */
    public static byte[] hugeStringLengthAfter(byte[] header) {
        byte[] pill = Arrays.copyOf(header, header.length + MAX_VARINT_BYTES);
        int length = BinaryData.encodeLong(HUGE_STRING_LENGTH, pill, header.length);
        return Arrays.copyOf(pill, header.length + length);
    }

    /** Letters at random, so that the producer's compression cannot shrink the record much below its size. */
    private String padding() {
        char[] letters = new char[TOO_LARGE_PADDING];
        for (int i = 0; i < letters.length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(letters);
    }
}
