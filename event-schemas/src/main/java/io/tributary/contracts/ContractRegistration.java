package io.tributary.contracts;

import io.tributary.registry.CompatibilityCheckResult;
import io.tributary.registry.CompatibilityLevel;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts the contracts into a registry, and checks a registry against them: what {@code tributary
 * schemas register} and {@code tributary schemas check} do, and what a CI/CD pipeline runs before a
 * deploy.
 */
public final class ContractRegistration {
    private ContractRegistration() {}

    /** A subject's registration. */
    public record Registered(TopicContract contract, int id) {}

    /** What the registry says about a contract's current schema. */
    public record Check(TopicContract contract, Status status, Optional<CompatibilityLevel> registryLevel,
            List<String> messages) {
        /** Whether deploying the current schema would break nothing. */
        public boolean ok() {
            return status == Status.COMPATIBLE || status == Status.NEW_SUBJECT;
        }

        /** One line for the report. */
        public String describe() {
            String line = String.format("%-45s %s", contract.subject(), status);
            return switch (status) {
                case COMPATIBLE, NEW_SUBJECT -> line;
                case LEVEL_MISMATCH -> line + ": the registry enforces " + registryLevel.map(Enum::name).orElse("its default")
                        + " but the contract promises " + contract.compatibility()
                        + "; `tributary schemas register` sets it";
                case INCOMPATIBLE -> line + ": " + String.join("; ", messages);
            };
        }
    }

    /** The outcome of a check. */
    public enum Status {
        COMPATIBLE,
        NEW_SUBJECT,
        INCOMPATIBLE,
        LEVEL_MISMATCH
    }

    /**
     * Sets each subject's compatibility level to the contract's, then registers the current schema
     * (a no-op when it is already the latest). The level goes first so that the registry enforces
     * it on this very registration.
     *
     * @throws io.tributary.registry.IncompatibleSchemaException when a schema breaks its subject's level
     */
    public static List<Registered> registerAll(SchemaRegistryClient registry) throws SchemaRegistryException {
        List<Registered> registered = new ArrayList<>();
        for (TopicContract contract : TopicContract.values()) {
            registry.setSubjectCompatibility(contract.subject(), contract.compatibility());
            registered.add(new Registered(contract, registry.register(contract.subject(), contract.valueSchema())));
        }
        return registered;
    }

    /** Checks every contract against the registry, without changing it. */
    public static List<Check> checkAll(SchemaRegistryClient registry) throws SchemaRegistryException {
        List<Check> checks = new ArrayList<>();
        for (TopicContract contract : TopicContract.values()) {
            CompatibilityCheckResult result = registry.testCompatibility(contract.subject(), contract.valueSchema());
            Optional<CompatibilityLevel> level = registry.subjectCompatibility(contract.subject());
            Status status;
            if (!result.compatible()) {
                status = Status.INCOMPATIBLE;
            } else if (result.newSubject()) {
                status = Status.NEW_SUBJECT;
            } else if (level.isEmpty() || level.get() != contract.compatibility()) {
                status = Status.LEVEL_MISMATCH;
            } else {
                status = Status.COMPATIBLE;
            }
            checks.add(new Check(contract, status, level, result.messages()));
        }
        return checks;
    }
}
