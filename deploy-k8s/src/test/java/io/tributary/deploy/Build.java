package io.tributary.deploy;

import io.tributary.cli.Tributary;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.flink.runtime.util.EnvironmentInformation;

/** Versions the jobs are built with, read from the build itself rather than restated. */
final class Build {
    private Build() {}

    /** The Flink version on the jobs' classpath, e.g. 2.1.1. */
    static String flinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    /** The operator's name for that version's line, e.g. v2_1. */
    static String operatorFlinkVersion() {
        String[] parts = flinkVersion().split("\\.");
        return "v" + parts[0] + "_" + parts[1];
    }

    /** The Java release the jobs are compiled for, from the class file of their entry point. */
    static int javaRelease() {
        try (InputStream in = Tributary.class.getResourceAsStream("Tributary.class");
                DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor version
            return data.readUnsignedShort() - 44;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
