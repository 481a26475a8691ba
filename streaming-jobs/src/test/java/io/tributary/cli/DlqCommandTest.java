package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The selection of dead letters, and each {@code tributary dlq} command's help and one-line errors. */
class DlqCommandTest {
    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aSelectionCombinesItsCriteriaWithAnd() {
        DeadLetterSelection selection = DeadLetterSelection.builder()
                .reasons(List.of("decode_unknown_schema_id", "CONTRACT_UNKNOWN_CURRENCY"))
                .rejected(NOON, NOON.plusSeconds(3600)).offsets(List.of("0:10-19", "2:5")).build();

        assertThat(selection.matches(0, 10, deadLetter("DECODE_UNKNOWN_SCHEMA_ID", NOON))).isTrue();
        assertThat(selection.matches(2, 5, deadLetter("CONTRACT_UNKNOWN_CURRENCY", NOON.plusSeconds(3599)))).isTrue();
        assertThat(selection.matches(0, 20, deadLetter("DECODE_UNKNOWN_SCHEMA_ID", NOON))).as("offset after the range").isFalse();
        assertThat(selection.matches(1, 10, deadLetter("DECODE_UNKNOWN_SCHEMA_ID", NOON))).as("other partition").isFalse();
        assertThat(selection.matches(0, 10, deadLetter("DECODE_TRUNCATED", NOON))).as("other reason").isFalse();
        assertThat(selection.matches(0, 10, deadLetter("DECODE_UNKNOWN_SCHEMA_ID", NOON.plusSeconds(3600))))
                .as("the end is exclusive").isFalse();
        assertThat(selection.matches(0, 10, deadLetter("DECODE_UNKNOWN_SCHEMA_ID", NOON.minusMillis(1)))).isFalse();
        assertThat(selection.describe()).isEqualTo("reason CONTRACT_UNKNOWN_CURRENCY or DECODE_UNKNOWN_SCHEMA_ID,"
                + " rejected from 2026-12-06T12:00:00Z until 2026-12-06T13:00:00Z, offsets 0:10-19, 2:5");
    }

    @Test
    void anEmptySelectionTakesEverythingAndASourceTopicNarrowsIt() {
        DeadLetter payment = deadLetter("DECODE_TRUNCATED", NOON);

        assertThat(DeadLetterSelection.builder().build().isEverything()).isTrue();
        assertThat(DeadLetterSelection.builder().build().matches(3, 99, payment)).isTrue();
        assertThat(DeadLetterSelection.builder().sourceTopic("merchants.v1").build().matches(3, 99, payment)).isFalse();
        assertThat(DeadLetterSelection.builder().sourceTopic("payments.transactions.v1").build().matches(3, 99, payment))
                .isTrue();
    }

    @Test
    void badCriteriaAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> DeadLetterSelection.builder().reasons(List.of("BAD_VIBES")))
                .hasMessageStartingWith("No rejection reason 'BAD_VIBES'; reasons are [DECODE_TRUNCATED,")
                .hasMessageContaining(RejectionReason.CONTRACT_INVALID_FX_RATE.name());
        assertThatThrownBy(() -> DeadLetterSelection.builder().offsets(List.of("0-42")))
                .hasMessageContaining("is not PARTITION:OFFSET or PARTITION:FIRST-LAST");
        assertThatThrownBy(() -> DeadLetterSelection.builder().offsets(List.of("0:9-3"))).hasMessageContaining("ends before");
        assertThatThrownBy(() -> DeadLetterSelection.builder().rejected(NOON, NOON).build())
                .hasMessageStartingWith("The time range is empty");
    }

    @Test
    void timesAreInstantsOrDurationsAgo() {
        assertThat(InstantConverter.parse("2026-12-06T01:00:00Z", NOON)).isEqualTo(Instant.parse("2026-12-06T01:00:00Z"));
        assertThat(InstantConverter.parse("2h", NOON)).isEqualTo(NOON.minusSeconds(7200));
        assertThat(InstantConverter.parse("PT90M", NOON)).isEqualTo(NOON.minusSeconds(5400));
        assertThatThrownBy(() -> InstantConverter.parse("yesterday", NOON))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("neither an instant");
    }

    @Test
    void eachCommandHasHelp() {
        assertThat(CliRun.of("dlq", "--help").out()).contains("list", "show", "replay", "personal");
        assertThat(CliRun.of("dlq", "list", "--help").out()).contains("--per", "--reason", "--from", "--to", "--topic");
        assertThat(CliRun.of("dlq", "show", "--help").out()).contains("--partition", "--offset", "--reveal", "audit");
        assertThat(CliRun.of("dlq", "replay", "--help").out()).contains("--offsets", "--dry-run", "ledger",
                "replayed-from");
        assertThat(CliRun.of("kafka", "transactions", "--help").out()).contains("--abort", "--yes",
                "lost unless replayed from the source");
    }

    @Test
    void badInputIsOneLine() {
        String[] kafka = {"--bootstrap-servers", "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1"};

        assertOneLine(run("list", kafka, "--reason", "BAD_VIBES"), Tributary.FAILED, "No rejection reason 'BAD_VIBES'");
        assertOneLine(run("list", kafka, "--from", "2026-12-06T02:00:00Z", "--to", "2026-12-06T01:00:00Z"),
                Tributary.FAILED, "The time range is empty");
        assertOneLine(run("list", kafka, "--from", "yesterday"), Tributary.USAGE, "--from");
        assertOneLine(run("list", kafka, "--per", "0s"), Tributary.FAILED, "--per must be positive");
        assertOneLine(run("replay", kafka), Tributary.FAILED, "Select what to replay");
        assertOneLine(run("replay", kafka, "--offsets", "x"), Tributary.FAILED, "'x' is not PARTITION:OFFSET");
        assertOneLine(CliRun.of("dlq", "show", "--bootstrap-servers", "k:9092", "--registry-url", "http://r"),
                Tributary.USAGE, "Missing required options: '--partition=<partition>', '--offset=<offset>'");
    }

    private static CliRun run(String command, String[] kafka, String... more) {
        String[] args = new String[2 + kafka.length + more.length];
        args[0] = "dlq";
        args[1] = command;
        System.arraycopy(kafka, 0, args, 2, kafka.length);
        System.arraycopy(more, 0, args, 2 + kafka.length, more.length);
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun run, int exitCode, String text) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.errLines()).singleElement().asString().startsWith("tributary: ").contains(text);
    }

    private static DeadLetter deadLetter(String reason, Instant failedAt) {
        return DeadLetter.newBuilder().setSourceTopic("payments.transactions.v1").setSourcePartition(0)
                .setSourceOffset(1).setReason(reason).setReasonDetail("a reason").setJob("transactions-enrichment")
                .setFailedAt(failedAt).build();
    }
}
