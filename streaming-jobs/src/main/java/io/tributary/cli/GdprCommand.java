package io.tributary.cli;

import io.tributary.contracts.TopicContract;
import io.tributary.events.ErasureRequest;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.fraud.FraudSettings;
import io.tributary.jobs.fraud.FraudSinks;
import io.tributary.jobs.maintenance.AccountErasure;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary gdpr ...}: a customer's right to be forgotten, carried out everywhere Tributary keeps data. */
@Command(name = "gdpr", mixinStandardHelpOptions = true, description = "Erases a customer's account everywhere"
        + " Tributary keeps it.", subcommands = GdprCommand.Erase.class)
final class GdprCommand {
    /** The stores the command erases from itself; Kafka is always written. */
    enum Store { WAREHOUSE, REDIS }

    @Command(name = "erase", mixinStandardHelpOptions = true, description = {
        "Erases one account: (1) publishes its tombstone to the accounts topic (transactions-enrichment deletes the"
            + " account's state) and an erasure request to the erasure-requests topic (fraud-detection deletes the"
            + " account's and its cards' state); (2) rewrites every warehouse table that names the account without"
            + " its rows, expires the older snapshots and deletes the files no snapshot uses; (3) deletes the"
            + " Redis feature hashes of the account and of the cards the warehouse knows for it.",
        "PostgreSQL holds nothing to erase: live_metrics_minute rows are per minute, merchant category and country.",
        "Topics that keep the account until their retention ends are listed in runbooks/gdpr-erasure.md.",
        "Every store is erased unless --skip names it; a store that is neither configured nor skipped is an error,"
            + " before anything is changed. Run it again at any time: each step is idempotent."})
    static final class Erase implements Callable<Integer> {
        @Option(names = "--account", required = true, paramLabel = "ID", description = "The account id to erase.")
        String account;

        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--requested-by", paramLabel = "WHO",
                description = "Who asked (an operator or a ticket id), recorded in the erasure request.")
        String requestedBy;

        @Option(names = "--skip", split = ",", paramLabel = "STORE",
                description = "Stores not to erase from here, any case: ${COMPLETION-CANDIDATES} (their owners erase them).")
        Set<Store> skipped = EnumSet.noneOf(Store.class);

        @Mixin
        RegistryOptions registry;

        @Mixin
        ConfigurationOptions configuration = new ConfigurationOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String id = checkedAccountId(account);
            Configuration conf = configuration.resolve(options()).configuration();
            boolean warehouse = wanted(Store.WAREHOUSE, conf, WarehouseOptions.LOCATION);
            boolean redis = wanted(Store.REDIS, conf, FraudOptions.REDIS_HOST);
            // Checked before the first change: a wrong setting must not leave the account half erased.
            FraudSettings.Redis redisSettings = redis ? FraudSettings.redis(conf, System.getenv()) : null;
            PrintWriter out = spec.commandLine().getOut();

            publish(conf, id);
            out.printf("Kafka: tombstone on %s, erasure request on %s%n", conf.get(TopicOptions.ACCOUNTS),
                    conf.get(TopicOptions.ERASURE_REQUESTS));
            out.flush();

            Set<String> cards = new TreeSet<>();
            if (warehouse) {
                long unusedBefore = Instant.now().minus(conf.get(WarehouseOptions.UNUSED_FILE_MIN_AGE)).toEpochMilli();
                Map<String, AccountErasure.Erased> erased = eraseWarehouse(conf, id, unusedBefore);
                erased.forEach((table, e) -> out.println("Warehouse " + e.describe(table)));
                cards.addAll(AccountErasure.cardTokens(erased));
            } else {
                out.println("Warehouse: skipped (--skip); its card tokens are unknown here");
            }
            out.flush();

            if (redis) {
                long deleted = FraudSinks.redis(redisSettings).forget(id, cards, System.getenv());
                out.printf("Redis: deleted %d feature hashes (the account and %d cards)%n", deleted, cards.size());
            } else {
                out.println("Redis: skipped (--skip)");
            }
            out.println("PostgreSQL: nothing identifiable (minute rows by merchant category and country)");
            out.flush();
            return 0;
        }

        private boolean wanted(Store store, Configuration conf, ConfigOption<String> where) {
            if (skipped.contains(store)) {
                return false;
            }
            if (conf.get(where) == null) {
                String name = store.name().toLowerCase(Locale.ROOT);
                throw new IllegalArgumentException(name + " is not configured (-D " + where.key()
                        + "=...): configure it or --skip " + name);
            }
            return true;
        }

        /** The tombstone and the erasure request, both acknowledged by every in-sync replica. */
        private void publish(Configuration conf, String id) throws Exception {
            Properties props = new Properties();
            props.putAll(conf.get(KafkaOptions.CLIENT_PROPERTIES));
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            ConfluentAvroSerializationSchema<ErasureRequest> requests = ConfluentAvroSerializationSchema
                    .forSpecific(ErasureRequest.class).topic(TopicContract.ERASURE_REQUESTS)
                    .registry(registry.toConfig()).build();
            Instant now = Instant.now();
            byte[] request = requests.serialize(ErasureRequest.newBuilder().setRequestId(UUID.randomUUID())
                    .setAccountId(id).setRequestedAt(now).setRequestedBy(requestedBy).build());
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                var tombstone = producer.send(new ProducerRecord<>(conf.get(TopicOptions.ACCOUNTS), key, null));
                var asked = producer.send(new ProducerRecord<>(conf.get(TopicOptions.ERASURE_REQUESTS), key, request));
                tombstone.get(1, TimeUnit.MINUTES);
                asked.get(1, TimeUnit.MINUTES);
            }
        }

        /** Every table that names accounts, erased one after another. */
        private static Map<String, AccountErasure.Erased> eraseWarehouse(Configuration conf, String id,
                long unusedBefore) {
            WarehouseCatalog where = WarehouseCatalog.from(conf);
            Catalog catalog = where.open();
            try {
                Map<String, AccountErasure.Erased> erased = new LinkedHashMap<>();
                for (WarehouseTable table : WarehouseTable.values()) {
                    Table loaded = WarehouseCatalog.load(catalog, where, table);
                    if (AccountErasure.identifiesAccounts(loaded)) {
                        erased.put(table.tableName(), AccountErasure.erase(loaded, id, unusedBefore));
                    }
                }
                return erased;
            } finally {
                WarehouseCatalog.close(catalog);
            }
        }

        /** What the command reads from its configuration; {@code --help} lists them. */
        static List<ConfigOption<?>> options() {
            List<ConfigOption<?>> options = new ArrayList<>(List.of(KafkaOptions.CLIENT_PROPERTIES,
                    TopicOptions.ACCOUNTS, TopicOptions.ERASURE_REQUESTS, WarehouseOptions.UNUSED_FILE_MIN_AGE,
                    FraudOptions.REDIS_HOST, FraudOptions.REDIS_PORT, FraudOptions.REDIS_DATABASE, FraudOptions.REDIS_TLS,
                    FraudOptions.REDIS_TLS_CA_FILE, FraudOptions.REDIS_USER, FraudOptions.REDIS_KEY_PREFIX,
                    FraudOptions.REDIS_MAX_RETRY_TIME));
            options.addAll(WarehouseOptions.maintenanceOptions());
            return options;
        }
    }

    /** An account id as the contracts carry it: not blank, one line, no surrounding spaces. */
    static String checkedAccountId(String id) {
        if (id == null || id.isBlank() || !id.strip().equals(id) || id.chars().anyMatch(Character::isISOControl)
                || id.length() > 256) {
            throw new IllegalArgumentException("--account must be an account id: not blank, no surrounding spaces or"
                    + " control characters, at most 256 characters");
        }
        return id;
    }
}
