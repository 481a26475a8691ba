package io.tributary.jobs.pii;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of the first operator of every job that reads raw payments (enrichment and
 * warehouse-sink): where the tokenization key is, and how far in the future an event may be.
 */
public final class PiiOptions {
    private PiiOptions() {}

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions
            .key("tributary.enrichment.max-future-skew")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("An event time this far after the record reached Kafka (its LogAppendTime timestamp; on a"
                    + " topic with producer-set timestamps, at most the job's clock) breaks the contract (DLQ).");

    public static final ConfigOption<String> TOKENIZATION_KEY_ENV = ConfigOptions
            .key("tributary.tokenization.key-env")
            .stringType()
            .defaultValue("TRIBUTARY_TOKENIZATION_KEY")
            .withDescription("Environment variable holding the HMAC key that tokenizes personal data (base64, at"
                    + " least 32 bytes). The key itself is never a command-line option and never logged.");
}
