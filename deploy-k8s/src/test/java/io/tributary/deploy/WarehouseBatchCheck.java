package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import io.tributary.state.JobConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;

/**
 * The warehouse commands the CronJobs run (base/warehouse-batch.yaml) work on the warehouse that
 * warehouse-sink writes: their {@code -D} settings are options the command reads, with values that
 * parse, and name the sink's catalog, location and namespace. An overlay that gave them another bucket
 * would compact or backfill a warehouse no one writes.
 */
final class WarehouseBatchCheck {
    /** The entry point in a container's command, and the {@code tributary} command after it. */
    private static final Pattern COMMAND = Pattern.compile("io\\.tributary\\.cli\\.Tributary\\s+([a-z-]+)");

    private WarehouseBatchCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        // An unresolvable sink is JobDeploymentsCheck's complaint; there is then nothing to compare with.
        Optional<WarehouseCatalog> sink = DeployedJob.resolvable(manifests).stream()
                .filter(j -> j.job().equals(WarehouseSinkJob.NAME))
                .map(j -> WarehouseCatalog.from(j.configuration()))
                .findFirst();
        for (Manifest cronJob : Manifests.ofKind(manifests, "CronJob")) {
            for (JsonNode container : cronJob.doc().at("/spec/jobTemplate/spec/template/spec/containers")) {
                Matcher command = COMMAND.matcher(String.join(" ", texts(container.path("command"))));
                if (!command.find()) {
                    continue;
                }
                List<ConfigOption<?>> options = switch (command.group(1)) {
                    case "backfill" -> WarehouseOptions.backfillOptions();
                    case "warehouse" -> WarehouseOptions.maintenanceOptions();
                    default -> null;
                };
                if (options == null) {
                    complaints.add(cronJob.id() + ": runs tributary " + command.group(1) + ", not a warehouse command");
                    continue;
                }
                WarehouseCatalog catalog;
                try {
                    catalog = WarehouseCatalog.from(
                            JobConfiguration.resolve(null, settings(container), options).configuration());
                } catch (IllegalArgumentException e) {
                    complaints.add(cronJob.id() + ": " + e.getMessage());
                    continue;
                }
                if (sink.isPresent() && !catalog.equals(sink.get())) {
                    complaints.add(cronJob.id() + ": works on " + describe(catalog) + ", but " + WarehouseSinkJob.NAME
                            + " writes " + describe(sink.get()));
                }
            }
        }
        return complaints;
    }

    /** The {@code -Dkey=value} arguments, as the command line reads them (the last of a key wins). */
    private static Map<String, String> settings(JsonNode container) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : texts(container.path("args"))) {
            int equals = arg.indexOf('=');
            if (arg.startsWith("-D") && equals > 2) {
                settings.put(arg.substring(2, equals), arg.substring(equals + 1));
            }
        }
        return settings;
    }

    /** The catalog in words; its properties sorted, as their map's own order changes from one JVM to the next. */
    private static String describe(WarehouseCatalog c) {
        return c.location() + " (" + c.type() + (c.uri() == null ? "" : " " + c.uri()) + ", namespace " + c.namespace()
                + ", " + new TreeMap<>(c.properties()) + ")";
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
