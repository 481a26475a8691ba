package io.tributary.benchmarks.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** The machine a measurement ran on, for the results table. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        return String.format("Machine: %d cores, %s memory, %s %s; date %s",
                Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), LocalDate.now());
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024) + " GiB";
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }
}
