package io.tributary.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/**
 * The released versions of each subject, kept in the repository under
 * {@code event-schemas/src/main/schema-history/<subject>/v<N>.avsc} (on the classpath under
 * {@code schema-history/}). A version, once released, is never edited: the current schema in
 * {@code src/main/avro} must keep the subject's compatibility promise against them, and releasing a
 * change means adding the next file (see the module README).
 */
public final class SchemaHistory {
    static final String RESOURCE_ROOT = "schema-history/";

    private SchemaHistory() {}

    /** The released versions of the contract's subject, oldest first (v1 at index 0). */
    public static List<Schema> releasedVersions(TopicContract contract) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = resourceName(contract.subject(), version);
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read released schema " + resource, e);
            }
        }
    }

    /** Whether the current schema differs from the latest released version. */
    public static boolean hasUnreleasedChanges(TopicContract contract) {
        List<Schema> versions = releasedVersions(contract);
        return versions.isEmpty()
                || !versions.get(versions.size() - 1).toString().equals(contract.valueSchema().toString());
    }

    /**
     * Releases the contract's current schema: writes it as the next version into {@code historyDir}
     * (the source folder {@code event-schemas/src/main/schema-history}) and returns the new file.
     *
     * @throws IllegalStateException when the current schema equals the latest release, or breaks
     *     the subject's compatibility promise
     */
    public static Path release(TopicContract contract, Path historyDir) throws IOException {
        if (!hasUnreleasedChanges(contract)) {
            throw new IllegalStateException(contract.subject() + " has no change since its latest release");
        }
        List<CompatibilityViolation> violations = CompatibilityChecker.checkCurrent(contract);
        if (!violations.isEmpty()) {
            throw new IllegalStateException(violations.get(0).describe());
        }
        Path file = historyDir.resolve(fileName(contract.subject(), releasedVersions(contract).size() + 1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, SchemaFormatter.format("json/pretty", contract.valueSchema()) + "\n",
                StandardOpenOption.CREATE_NEW);
        return file;
    }

    /** The file name, relative to the history folder, of a released version. */
    public static String fileName(String subject, int version) {
        return subject + "/v" + version + ".avsc";
    }

    private static String resourceName(String subject, int version) {
        return RESOURCE_ROOT + fileName(subject, version);
    }
}
