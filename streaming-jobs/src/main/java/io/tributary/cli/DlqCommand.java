package io.tributary.cli;

import io.tributary.jobs.common.KafkaOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary dlq ...}: the dead-letter topic, its reasons, and replaying its records once a cause is fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Counts, shows and replays dead letters. The dead-letter topic keeps original bytes with personal"
            + " data in clear: these commands print none of it unless 'show --reveal', which is audited."},
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand {
    /** How to reach Kafka, the registry and the dead-letter topic. */
    static final class Connection {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--topic", defaultValue = "payments.transactions.dlq.v1",
                description = "The dead-letter topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Mixin
        RegistryOptions registry;

        @Mixin
        ConfigurationOptions configuration = new ConfigurationOptions();

        Properties clientProperties() {
            Properties properties = new Properties();
            properties.putAll(configuration.resolve(List.of(KafkaOptions.CLIENT_PROPERTIES)).configuration()
                    .get(KafkaOptions.CLIENT_PROPERTIES));
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return properties;
        }

        DeadLetterTopic deadLetters() {
            return new DeadLetterTopic(clientProperties(), topic, registry.toConfig());
        }
    }

    /** The criteria of {@code list} and {@code replay}. */
    static final class Criteria {
        @Option(names = "--reason", paramLabel = "REASON", split = ",",
                description = "Only these rejection reasons, e.g. DECODE_UNKNOWN_SCHEMA_ID; repeat or separate with commas.")
        List<String> reasons;

        @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
                description = "Only dead letters rejected at or after TIME: an instant (2026-12-06T01:00:00Z) or a"
                        + " duration ago (2h).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
                description = "Only dead letters rejected before TIME.")
        Instant to;

        @Option(names = "--offsets", paramLabel = "P:O[-O]", split = ",",
                description = "Only these dead letters by their partition and offset in the dead-letter topic, e.g."
                        + " 0:42 or 0:40-49.")
        List<String> offsets;

        @Option(names = "--source-topic", paramLabel = "TOPIC",
                description = "Only dead letters read from this topic, e.g. payments.transactions.v1.")
        String sourceTopic;

        DeadLetterSelection selection() {
            return DeadLetterSelection.builder().reasons(reasons).rejected(from, to).offsets(offsets)
                    .sourceTopic(sourceTopic).build();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Counts dead letters by reason and by the time they were rejected; shows no record content.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Mixin
        Criteria criteria;

        @Option(names = "--per", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1h",
                description = "Width of the time buckets, e.g. 1m, 1h (default: ${DEFAULT-VALUE}).")
        Duration per;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (per.isZero() || per.isNegative()) {
                throw new IllegalArgumentException("--per must be positive, was " + per);
            }
            DeadLetterSelection selection = criteria.selection();
            Map<String, Integer> byReason = new TreeMap<>();
            Map<Instant, Integer> byTime = new TreeMap<>();
            long width = per.toMillis();
            connection.deadLetters().forEach(stored -> {
                if (selection.matches(stored.partition(), stored.offset(), stored.deadLetter())) {
                    byReason.merge(stored.deadLetter().getReason(), 1, Integer::sum);
                    long at = stored.deadLetter().getFailedAt().toEpochMilli();
                    byTime.merge(Instant.ofEpochMilli(at - Math.floorMod(at, width)), 1, Integer::sum);
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            int total = byReason.values().stream().mapToInt(Integer::intValue).sum();
            out.printf("%d dead letter(s) in %s: %s%n", total, connection.topic, selection.describe());
            if (total == 0) {
                return 0;
            }
            out.printf("%n%-40s %8s%n", "reason", "count");
            byReason.forEach((reason, count) -> out.printf("%-40s %8d%n", reason, count));
            out.printf("%n%-40s %8s%n", "rejected in the " + per.toString().substring(2).toLowerCase() + " from (UTC)",
                    "count");
            byTime.forEach((bucket, count) -> out.printf("%-40s %8d%n", bucket, count));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Shows one dead letter by its partition and offset in the dead-letter topic. Key, headers and"
                + " personal-data fields of the value are masked; --reveal shows them and writes an audit line."})
    static final class Show implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--partition", required = true, description = "Partition of the dead letter.")
        int partition;

        @Option(names = "--offset", required = true, description = "Offset of the dead letter.")
        long offset;

        @Option(names = "--reveal", description = "Show the original key, headers and value in clear (audited).")
        boolean reveal;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DeadLetterTopic.Stored stored = connection.deadLetters().at(partition, offset);
            if (reveal) {
                // Before anything is shown, so that a reveal cut short is recorded too.
                String line = "AUDIT user=" + System.getProperty("user.name") + " revealed dead letter "
                        + stored.coordinates(connection.topic) + " at " + Instant.now();
                spec.commandLine().getErr().println("tributary: " + line);
            }
            new DeadLetterView(connection.registry.toConfig(), reveal).print(stored, connection.topic,
                    spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Writes the selected dead letters back to the topics they were read from: original key, value,"
                + " headers and timestamp, plus a header " + DeadLetterReplay.MARKER_HEADER + " naming the dead letter.",
                "Exactly once and idempotent: each record and its entry in a ledger topic (default: the dead-letter"
                + " topic's name + '.replays', created when missing) are written in one transaction, and dead letters"
                + " the ledger lists are skipped, so running the same replay again writes nothing.",
                "Replay a cause only once it is fixed, or the records are rejected again (as new dead letters)."
                + " Reference data (accounts, merchants, FX rates, rules) is re-published by its owner: an old record"
                + " replayed to a compacted topic would overwrite a newer one, so select --source-topic."})
    static final class Replay implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Mixin
        Criteria criteria;

        @Option(names = "--ledger-topic", paramLabel = "TOPIC", description = "The ledger of replayed dead letters.")
        String ledgerTopic;

        @Option(names = "--batch-size", defaultValue = "500",
                description = "Records per transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--dry-run", description = "Count what would be replayed; write nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DeadLetterSelection selection = criteria.selection();
            if (selection.isEverything()) {
                throw new IllegalArgumentException("Select what to replay: --reason, --from/--to, --offsets or"
                        + " --source-topic");
            }
            DeadLetterReplay replay = DeadLetterReplay.builder(connection.clientProperties(), connection.deadLetters())
                    .ledgerTopic(ledgerTopic).batchSize(batchSize).build();
            DeadLetterReplay.Result result = replay.run(selection, dryRun);
            PrintWriter out = spec.commandLine().getOut();
            String verb = dryRun ? "Would replay" : "Replayed";
            out.printf("%s %d dead letter(s) of %s (%s); %d already replayed (ledger %s).%n", verb, result.replayed(),
                    connection.topic, selection.describe(), result.alreadyReplayed(), replay.ledgerTopic());
            result.replayedByTopic().forEach((topic, count) -> out.printf("  %-50s %8d%n", topic, count));
            if (result.withoutHeaders() > 0) {
                out.printf("%d of them were dead-lettered before headers were kept: replayed without their original"
                        + " headers.%n", result.withoutHeaders());
            }
            if (result.notReplayable() > 0) {
                out.printf("%d selected dead letter(s) hold store rows (STORE_*), not input records, and were left"
                        + " alone: see runbooks/store-rows-refused.md.%n", result.notReplayable());
            }
            return 0;
        }
    }
}
