package io.tributary.jobs.common.store;

import java.math.BigDecimal;

/**
 * The values of a refused row as a flat JSON object, for its dead letter ({@link RejectedRow#json}):
 * readable by an operator and by any tool, with no schema to register for rows of every store.
 */
public final class JsonRow {
    private final StringBuilder json = new StringBuilder("{");

    /** Adds a string field. */
    public JsonRow add(String name, String value) {
        key(name);
        quote(value);
        return this;
    }

    /** Adds a whole number field. */
    public JsonRow add(String name, long value) {
        key(name);
        json.append(value);
        return this;
    }

    /** Adds a decimal number field, never in exponent notation. */
    public JsonRow add(String name, BigDecimal value) {
        key(name);
        json.append(value.toPlainString());
        return this;
    }

    @Override
    public String toString() {
        return json + "}";
    }

    private void key(String name) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(name);
        json.append(':');
    }

    private void quote(String value) {
        json.append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
