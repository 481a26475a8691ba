package io.tributary.benchmarks.chaos;

import java.time.Duration;

/**
 * One fault the chaos run injected.
 *
 * @param kind what was done, e.g. {@code SIGKILL TaskManager}
 * @param at when, from the start of the payments
 * @param detail what was hit and when exactly (pid, the checkpoint it followed)
 */
record Fault(String kind, Duration at, String detail) {}
