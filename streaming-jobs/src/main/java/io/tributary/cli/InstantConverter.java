package io.tributary.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Reads a point in time the way operators give one: an ISO-8601 instant ({@code 2026-12-06T01:00:00Z}),
 * or a duration meaning that long ago ({@code 2h}, {@code 30m}, {@code PT90M}).
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        return parse(value, Instant.now());
    }

    static Instant parse(String value, Instant now) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration ago = new DurationConverter().convert(value);
                return now.minus(ago);
            } catch (CommandLine.TypeConversionException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is neither an instant (2026-12-06T01:00:00Z) nor a duration ago (30m, 2h)");
            }
        }
    }
}
