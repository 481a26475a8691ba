package io.tributary.jobs.common;

import io.tributary.contracts.TopicContract;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The physical name of each topic, {@code tributary.topics.<name>}, defaulting to the contract's:
 * one option per topic, shared by every job that reads or writes it.
 */
public final class TopicOptions {
    private TopicOptions() {}

    public static final ConfigOption<String> TRANSACTIONS = topic("transactions", TopicContract.TRANSACTIONS);
    public static final ConfigOption<String> ACCOUNTS = topic("accounts", TopicContract.ACCOUNT_PROFILES);
    public static final ConfigOption<String> MERCHANTS = topic("merchants", TopicContract.MERCHANTS);
    public static final ConfigOption<String> FX_RATES = topic("fx-rates", TopicContract.FX_RATES);
    public static final ConfigOption<String> FRAUD_RULES = topic("fraud-rules", TopicContract.FRAUD_RULES);
    public static final ConfigOption<String> ENRICHED = topic("enriched", TopicContract.ENRICHED_TRANSACTIONS);
    public static final ConfigOption<String> LATE = topic("late", TopicContract.LATE_TRANSACTIONS);
    public static final ConfigOption<String> DEAD_LETTERS = topic("dead-letters", TopicContract.DEAD_LETTERS);
    public static final ConfigOption<String> FRAUD_ALERTS = topic("fraud-alerts", TopicContract.FRAUD_ALERTS);
    public static final ConfigOption<String> ERASURE_REQUESTS = topic("erasure-requests", TopicContract.ERASURE_REQUESTS);

    private static ConfigOption<String> topic(String name, TopicContract contract) {
        return ConfigOptions.key("tributary.topics." + name)
                .stringType()
                .defaultValue(contract.topic())
                .withDescription("Topic name of " + contract.topic() + " (the contract's subject stays "
                        + contract.subject() + ").");
    }
}
