package io.tributary.state;

/**
 * A configuration option that is missing or has a value that cannot be used. It knows the option's
 * key, so that a command line can name the flag that sets the option where the user typed one.
 */
public final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String before;
    private final String key;
    private final String after;

    /** The message is {@code before + key + after}. */
    public SettingException(String before, String key, String after) {
        this(before, key, after, null);
    }

    /** The message is {@code before + key + after}; {@code cause} is why the value cannot be used. */
    public SettingException(String before, String key, String after, Throwable cause) {
        super(before + key + after, cause);
        this.before = before;
        this.key = key;
        this.after = after;
    }

    /** The required option {@code key} has no value. */
    public static SettingException missing(String key) {
        return new SettingException("Missing required option ", key, "");
    }

    /** The key of the option. */
    public String key() {
        return key;
    }

    /** The message with the option called {@code name} instead of its key, e.g. its flag and its key. */
    public String messageNaming(String name) {
        return before + name + after;
    }
}
