package io.tributary.jobs.pii;

import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key of the keyed HMAC that turns card numbers and e-mail addresses into tokens.
 *
 * <p>Whoever holds the key can confirm a guessed card number against its token, so the key never
 * appears in messages or logs: {@link #toString()} and every error show at most the {@link #keyId()},
 * a short fingerprint that lets operators tell keys apart during a rotation.
 */
public final class TokenizationKey implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 256 bits, the output size of SHA-256: a shorter HMAC key weakens the tokens. */
    static final int MIN_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final byte[] bytes;

    private TokenizationKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Decodes a key written in standard or URL-safe base64, with or without padding.
     *
     * @throws IllegalArgumentException if the text is not base64 or decodes to fewer than 32 bytes;
     *     the message never repeats the text
     */
    public static TokenizationKey fromBase64(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("Tokenization key is empty: expected at least "
                    + MIN_BYTES + " bytes in base64");
        }
        String text = encoded.strip();
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        byte[] decoded;
        try {
            decoded = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character, so neither it nor the cause is kept.
            throw new IllegalArgumentException(
                    "Tokenization key is not valid base64 (standard or URL-safe)");
        }
        if (decoded.length < MIN_BYTES) {
            throw new IllegalArgumentException("Tokenization key is too short: " + decoded.length
                    + " bytes after base64 decoding, at least " + MIN_BYTES + " required");
        }
        return new TokenizationKey(decoded);
    }

    /**
     * Reads the base64 key from an environment variable, where deployments inject it from a secret.
     *
     * @throws IllegalStateException naming the variable if it is unset, blank or not a valid key
     */
    public static TokenizationKey fromEnvironment(String variableName) {
        return fromEnvironment(variableName, System::getenv);
    }

    static TokenizationKey fromEnvironment(String variableName, UnaryOperator<String> environment) {
        String value = environment.apply(variableName);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + variableName
                    + " is not set: it must hold the tokenization key in base64 (at least "
                    + MIN_BYTES + " bytes)");
        }
        try {
            return fromBase64(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Environment variable " + variableName + ": " + e.getMessage());
        }
    }

    /** First 8 hex characters of the SHA-256 of the key: identifies the key without revealing it. */
    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** A fresh HMAC-SHA256 keyed with this key; the key bytes themselves never leave this class. */
    Mac newHmac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(bytes, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenizationKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TokenizationKey[id=" + keyId() + "]";
    }
}
