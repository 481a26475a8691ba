package io.tributary.jobs.common;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * A {@link TributaryJob} whose name, description and options are fixed when it is made: what the
 * four jobs share, so that each class says only how it reads its settings and wires itself.
 *
 * @param <S> the job's settings
 */
public abstract class CatalogJob<S> implements TributaryJob<S> {
    private final String name;
    private final List<ConfigOption<?>> options;
    private final List<String> description;

    /**
     * @param name the job's name
     * @param options every option it reads
     * @param description what it does, one line each
     */
    protected CatalogJob(String name, List<ConfigOption<?>> options, String... description) {
        this.name = name;
        this.options = List.copyOf(options);
        this.description = List.of(description);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> description() {
        return description;
    }

    @Override
    public final List<ConfigOption<?>> options() {
        return options;
    }
}
