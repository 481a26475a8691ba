package io.tributary.cli;

import io.tributary.contracts.CompatibilityChecker;
import io.tributary.contracts.CompatibilityViolation;
import io.tributary.contracts.ContractRegistration;
import io.tributary.contracts.DataDictionary;
import io.tributary.contracts.SchemaHistory;
import io.tributary.contracts.TopicContract;
import io.tributary.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary schemas ...}: the event contracts and the schema registry. */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        description = "Register, check and document the Avro contracts of every topic.",
        subcommands = {
            SchemasCommand.Register.class,
            SchemasCommand.Check.class,
            SchemasCommand.Dictionary.class,
            SchemasCommand.Release.class
        })
final class SchemasCommand {

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Sets each subject's compatibility level and registers the current schema of every topic.")
    static final class Register extends OnTheRegistry {
        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (ContractRegistration.Registered r : ContractRegistration.registerAll(client())) {
                out.printf("%-45s id %-6d %s%n", r.contract().subject(), r.id(), r.contract().compatibility());
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks the current schemas against their released versions and against a live registry,",
                "without changing it: what a pipeline runs before a deploy. Exits 1 when a schema would break",
                "its subject's compatibility promise."})
    static final class Check extends OnTheRegistry {
        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<String> problems = new ArrayList<>();
            for (TopicContract contract : TopicContract.values()) {
                for (CompatibilityViolation v : CompatibilityChecker.checkCurrent(contract)) {
                    problems.add("offline: " + v.describe());
                }
            }
            for (ContractRegistration.Check check : ContractRegistration.checkAll(client())) {
                out.println(check.describe());
                if (!check.ok()) {
                    problems.add("registry: " + check.describe());
                }
            }
            problems.forEach(out::println);
            out.println(problems.isEmpty() ? "All " + TopicContract.values().length + " contracts are compatible."
                    : problems.size() + " problem(s): deploying these schemas would break their readers.");
            return problems.isEmpty() ? 0 : Tributary.FAILED;
        }
    }

    /** A subcommand on the schema registry that the {@link RegistryOptions} flags name. */
    abstract static class OnTheRegistry implements Callable<Integer> {
        @Mixin
        RegistryOptions registry;

        @Spec
        CommandSpec spec;

        SchemaRegistryClient client() {
            return SchemaRegistryClient.create(registry.toConfig());
        }
    }

    @Command(name = "dictionary", mixinStandardHelpOptions = true,
            description = "Writes the data dictionary (Markdown) generated from the schemas.")
    static final class Dictionary implements Callable<Integer> {
        @Option(names = "--output", description = "File to write, e.g. " + DataDictionary.PATH
                + "; standard output when absent.")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String dictionary = DataDictionary.render();
            if (output == null) {
                spec.commandLine().getOut().print(dictionary);
            } else {
                Files.writeString(output, dictionary, StandardCharsets.UTF_8);
                spec.commandLine().getOut().println("Wrote " + output);
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Releases the current schema of a topic as the next version in the schema history.")
    static final class Release implements Callable<Integer> {
        @Parameters(paramLabel = "TOPIC", description = "The topic, e.g. payments.transactions.v1.")
        String topic;

        @Option(names = "--history-dir", defaultValue = "event-schemas/src/main/schema-history",
                description = "The schema history folder (default: ${DEFAULT-VALUE}).")
        Path historyDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TopicContract contract = TopicContract.forTopic(topic).orElseThrow(() -> new IllegalArgumentException(
                    "No topic '" + topic + "'; topics are " + List.of(TopicContract.values()).stream()
                            .map(TopicContract::topic).toList()));
            if (!Files.isDirectory(historyDir)) {
                throw new IllegalArgumentException("No schema history folder at " + historyDir
                        + "; run from the repository root or pass --history-dir");
            }
            Path file = SchemaHistory.release(contract, historyDir);
            spec.commandLine().getOut().println("Released " + file
                    + "; rebuild event-schemas and regenerate the dictionary");
            return 0;
        }
    }
}
