package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.DeadLetter;
import io.tributary.localstack.pipeline.HostileRecords;
import java.util.Arrays;
import java.util.List;

/**
 * Records a faulty or hostile producer could put on a topic the jobs read, made from one valid
 * Confluent-framed record of that topic: bytes without the magic byte, the record cut short after a
 * few bytes of its body, and its header (a real schema id) followed by nothing but a declared string
 * length of 1.5 GB, which a decoder that allocates before it reads would try to honour.
 */
public record PoisonPills(byte[] wrongMagicByte, byte[] cutShort, byte[] hugeString) {

    public static PoisonPills from(byte[] validFramed) {
        return new PoisonPills(new byte[] {0x7F, 0, 0, 0, 1, 2, 3, 4}, Arrays.copyOf(validFramed, 12),
                HostileRecords.hugeStringLengthAfter(Arrays.copyOf(validFramed, 5)));
    }

    public List<byte[]> all() {
        return List.of(wrongMagicByte, cutShort, hugeString);
    }

    /**
     * Asserts that {@code deadLetters} are these pills, each once, with its bytes, from {@code job}
     * reading {@code sourceTopic}, each with a decode reason: the wrong magic byte for the first.
     */
    public void assertDeadLettered(List<DeadLetter> deadLetters, String job, String sourceTopic) {
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getJob()).isEqualTo(job);
            assertThat(d.getSourceTopic()).isEqualTo(sourceTopic);
            assertThat(d.getReason()).startsWith("DECODE_");
        });
        assertThat(deadLetters).extracting(PoisonPills::originalBytes).containsExactlyInAnyOrderElementsOf(all());
        assertThat(deadLetters).filteredOn(d -> Arrays.equals(originalBytes(d), wrongMagicByte)).singleElement()
                .satisfies(d -> assertThat(d.getReason()).isEqualTo(RejectionReason.DECODE_WRONG_MAGIC_BYTE.name()));
    }

    /** The bytes a dead letter kept of the record it stands for. */
    public static byte[] originalBytes(DeadLetter deadLetter) {
        byte[] bytes = new byte[deadLetter.getOriginalValue().remaining()];
        deadLetter.getOriginalValue().duplicate().get(bytes);
        return bytes;
    }
}
