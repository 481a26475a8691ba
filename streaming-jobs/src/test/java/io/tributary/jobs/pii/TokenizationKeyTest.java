package io.tributary.jobs.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizationKeyTest {
    /** 0xFF bytes encode to '/' in standard and '_' in URL-safe base64, so the two alphabets differ. */
    private static final byte[] BYTES = filled(32, 0xFF);

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void acceptsStandardAndUrlSafeBase64WithOrWithoutPadding() {
        String standard = Base64.getEncoder().encodeToString(BYTES);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES);
        assertThat(standard).contains("/").endsWith("=");
        assertThat(urlSafe).contains("_").doesNotEndWith("=");

        TokenizationKey key = TokenizationKey.fromBase64(standard);
        assertThat(TokenizationKey.fromBase64(urlSafe)).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(TokenizationKey.fromBase64(Base64.getUrlEncoder().encodeToString(BYTES))).isEqualTo(key);
        assertThat(TokenizationKey.fromBase64(" " + standard + "\n")).isEqualTo(key);
    }

    @Test
    void requiresAtLeast32Bytes() {
        assertThat(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(filled(32, 7)))).isNotNull();
        String tooShort = Base64.getEncoder().encodeToString(filled(31, 7));

        assertThatThrownBy(() -> TokenizationKey.fromBase64(tooShort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31 bytes")
                .hasMessageContaining("at least 32")
                .hasMessageNotContaining(tooShort);
    }

    @Test
    void rejectsInvalidBase64WithoutQuotingIt() {
        String secretLooking = "not*base64*but*a*secret*anyway*0123456789abcdef";

        assertThatThrownBy(() -> TokenizationKey.fromBase64(secretLooking))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining(secretLooking)
                .hasMessageNotContaining("*")
                .hasNoCause();
        assertThatThrownBy(() -> TokenizationKey.fromBase64("   ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenizationKey.fromBase64(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdIsThePrefixOfTheSha256AndTellsKeysApart() throws Exception {
        TokenizationKey key = key(BYTES);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BYTES)).substring(0, 8);

        assertThat(key.keyId()).isEqualTo(expected).matches("[0-9a-f]{8}");
        assertThat(key(filled(32, 1)).keyId()).isNotEqualTo(expected);
    }

    @Test
    void toStringShowsOnlyTheKeyId() {
        TokenizationKey key = key(BYTES);

        assertThat(key.toString())
                .contains(key.keyId())
                .doesNotContain(Base64.getEncoder().encodeToString(BYTES).substring(0, 8))
                .doesNotContain(Base64.getUrlEncoder().encodeToString(BYTES).substring(0, 8))
                .doesNotContain(HexFormat.of().formatHex(BYTES).substring(0, 8));
    }

    @Test
    void equalityFollowsTheBytes() {
        assertThat(key(BYTES)).isEqualTo(key(BYTES.clone())).isNotEqualTo(key(filled(32, 1)));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        TokenizationKey key = key(BYTES);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(key);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(key);
        }
    }

    @Test
    void readsTheEnvironmentVariable() {
        String encoded = Base64.getEncoder().encodeToString(BYTES);

        assertThat(TokenizationKey.fromEnvironment("TOKEN_KEY", Map.of("TOKEN_KEY", encoded)::get))
                .isEqualTo(key(BYTES));
    }

    @Test
    void namesTheVariableWhenItIsUnsetOrInvalid() {
        assertThatThrownBy(() -> TokenizationKey.fromEnvironment("TRIBUTARY_TEST_SURELY_UNSET_KEY_7f3a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TRIBUTARY_TEST_SURELY_UNSET_KEY_7f3a")
                .hasMessageContaining("not set");

        String tooShort = Base64.getEncoder().encodeToString(filled(16, 7));
        assertThatThrownBy(() -> TokenizationKey.fromEnvironment("TOKEN_KEY", Map.of("TOKEN_KEY", tooShort)::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOKEN_KEY")
                .hasMessageContaining("too short")
                .hasMessageNotContaining(tooShort);
    }

    static TokenizationKey key(byte[] bytes) {
        return TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(bytes));
    }
}
