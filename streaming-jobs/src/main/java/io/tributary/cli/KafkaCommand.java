package io.tributary.cli;

import io.tributary.jobs.catalog.JobCatalog;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.state.JobConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary kafka ...}: what an operator needs to see of the jobs' use of Kafka. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Kafka operations on the jobs' transactions: list the open ones, abort one.",
        subcommands = KafkaCommand.Transactions.class)
final class KafkaCommand {
    private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT);

    @Command(name = "transactions", mixinStandardHelpOptions = true, description = {
        "Lists the jobs' Kafka transactions that have been open longer than --older-than, oldest first.",
        "A job's sink commits its transaction when a checkpoint completes; one open for minutes means checkpoints"
            + " are not completing, and one that reaches its transaction.timeout.ms is aborted by the broker:"
            + " its output is lost (runbooks/stuck-transaction.md).",
        "With --abort, aborts one open transaction after a confirmation. Aborting loses that transaction's output"
            + " unless it is replayed from the source: once a completed checkpoint covers the transaction, the job"
            + " does not write those records again."})
    static final class Transactions implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--older-than", converter = DurationConverter.class, defaultValue = "1m",
                description = "Only transactions open longer than this (default: ${DEFAULT-VALUE}).")
        Duration olderThan;

        @Option(names = "--prefix", paramLabel = "PREFIX",
                description = "Transactional id prefix; repeat for several. Default: every job's configured prefix.")
        List<String> prefixes;

        @Option(names = "--abort", paramLabel = "TRANSACTIONAL_ID",
                description = "Abort the open transaction of this transactional id, by fencing its producer, instead of"
                        + " listing. Its output is lost unless replayed from the source; a job still using the id fails"
                        + " and restarts from its last checkpoint.")
        String abort;

        @Option(names = "--yes", description = "With --abort: do not ask for confirmation.")
        boolean yes;

        @Mixin
        ConfigurationOptions configuration = new ConfigurationOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Configuration resolved = configuration.resolve(options()).configuration();
            List<String> wanted = prefixes != null ? prefixes : jobPrefixes(resolved);
            Properties properties = new Properties();
            properties.putAll(resolved.get(KafkaOptions.CLIENT_PROPERTIES));
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            PrintWriter out = spec.commandLine().getOut();
            if (abort != null) {
                try (Admin admin = Admin.create(properties)) {
                    return abort(admin, out);
                }
            }
            try (Admin admin = Admin.create(properties)) {
                List<String> ids = new ArrayList<>();
                for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(OPEN).filterOnDuration(olderThan.toMillis())).all().get(30, TimeUnit.SECONDS)) {
                    if (wanted.stream().anyMatch(listing.transactionalId()::startsWith)) {
                        ids.add(listing.transactionalId());
                    }
                }
                if (ids.isEmpty()) {
                    out.printf("No transaction of %s open longer than %d s.%n", wanted, olderThan.toSeconds());
                    return 0;
                }
                Map<String, TransactionDescription> described = admin.describeTransactions(ids).all()
                        .get(30, TimeUnit.SECONDS);
                long now = Instant.now().toEpochMilli();
                out.printf("%-60s %-15s %10s %10s %12s %s%n", "transactional id", "state", "open for", "timeout",
                        "producer", "partitions");
                described.entrySet().stream()
                        .sorted(Comparator.comparingLong(e -> e.getValue().transactionStartTimeMs().orElse(now)))
                        .forEach(e -> {
                            TransactionDescription d = e.getValue();
                            long openFor = now - d.transactionStartTimeMs().orElse(now);
                            out.printf("%-60s %-15s %9ds %9ds %12s %d%n", e.getKey(), d.state(), openFor / 1000,
                                    d.transactionTimeoutMs() / 1000, d.producerId() + "/" + d.producerEpoch(),
                                    d.topicPartitions().size());
                        });
            }
            return 0;
        }

        private int abort(Admin admin, PrintWriter out) throws Exception {
            TransactionDescription d = describe(admin, abort);
            if (d == null || !OPEN.contains(d.state())) {
                throw new IllegalArgumentException("No open transaction of '" + abort + "'"
                        + (d == null ? "" : " (state " + d.state() + ")"));
            }
            long openFor = Instant.now().toEpochMilli() - d.transactionStartTimeMs().orElse(Instant.now().toEpochMilli());
            out.printf("%s: %s for %d s, %d partition(s), producer %d/%d.%n", abort, d.state(), openFor / 1000,
                    d.topicPartitions().size(), d.producerId(), d.producerEpoch());
            if (!yes) {
                out.print("Aborting loses this transaction's output unless it is replayed from the source."
                        + " Type the transactional id to abort it: ");
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!abort.equals(answer == null ? null : answer.strip())) {
                    out.println();
                    throw new IllegalStateException("Not confirmed: nothing aborted"
                            + (answer == null ? " (no input; --yes aborts without asking)" : ""));
                }
            }
            // Initializing the id's producer again is what aborts its open transaction and fences the old one.
            admin.fenceProducers(List.of(abort)).all().get(30, TimeUnit.SECONDS);
            TransactionDescription after = describe(admin, abort);
            out.printf("Aborted the transaction of %s; its state is now %s.%n", abort,
                    after == null ? "unknown" : after.state());
            return 0;
        }

        private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
            try {
                return admin.describeTransactions(List.of(transactionalId)).all().get(30, TimeUnit.SECONDS)
                        .get(transactionalId);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TransactionalIdNotFoundException) {
                    return null;
                }
                throw e;
            }
        }

        /** The client properties, and every job's transactional id prefix option. */
        private static List<ConfigOption<?>> options() {
            List<ConfigOption<?>> options = new ArrayList<>(List.of(KafkaOptions.CLIENT_PROPERTIES));
            options.addAll(prefixOptions());
            return options;
        }

        private static List<ConfigOption<?>> prefixOptions() {
            return JobCatalog.all().stream().flatMap(job -> job.options().stream())
                    .filter(o -> o.key().endsWith(".transactional-id-prefix")).distinct().toList();
        }

        private static List<String> jobPrefixes(Configuration resolved) {
            return prefixOptions().stream().map(o -> String.valueOf(resolved.get(o))).toList();
        }
    }
}
