package io.tributary.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void noPasswordLooksLikeAnOptionToTheJdkTools() {
        // One in 64 base64url strings starts with '-', one in 4,096 with "-J", which keytool's
        // launcher takes as a JVM option; 20,000 draws would meet both with near certainty.
        IntStream.range(0, 20_000).mapToObj(i -> Secrets.random())
                .forEach(password -> assertThat(password).doesNotStartWith("-").matches("[A-Za-z0-9_-]{25}"));
    }
}
