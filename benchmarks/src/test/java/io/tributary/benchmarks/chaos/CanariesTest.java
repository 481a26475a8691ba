package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanariesTest {

    @Test
    void findsEachCanaryInFilesBelowADirectoryAsRawBytes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("chk-3/shared"));
        // A binary file, as a checkpoint's: the card number amid other bytes.
        byte[] card = Canaries.CARD_NUMBER.getBytes(StandardCharsets.US_ASCII);
        byte[] binary = new byte[card.length + 6];
        binary[0] = 0;
        binary[1] = (byte) 0xff;
        System.arraycopy(card, 0, binary, 3, card.length);
        Files.write(dir.resolve("chk-3/shared/000012.sst"), binary);
        Files.writeString(dir.resolve("taskmanager.log"), "DEBUG payment of " + Canaries.EMAIL + " with card "
                + Canaries.CARD_NUMBER + " and again " + Canaries.EMAIL + "\n");
        Files.writeString(dir.resolve("clean.log"), "INFO card token 9f86d081884c7d65, e-mail token 5e884898\n");

        assertThat(Canaries.inFiles(dir)).isEqualTo(new Canaries.Found(2, 2));
        assertThat(Canaries.inFiles(List.of(dir.resolve("taskmanager.log"), dir.resolve("clean.log"))))
                .isEqualTo(new Canaries.Found(1, 2));
    }

    @Test
    void findsNothingWhereNoCanaryIs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("clean.log"), "INFO card 4999000871234560 (another card), chaos.canary@example.invalid\n");
        Files.write(dir.resolve("empty"), new byte[0]);

        assertThat(Canaries.inFiles(dir)).isEqualTo(Canaries.Found.NONE);
        assertThat(Canaries.inFiles(dir.resolve("missing"))).isEqualTo(Canaries.Found.NONE);
        assertThat(Canaries.in((byte[]) null).any()).isFalse();
    }

    @Test
    void countsOverlappingAndAdjacentOccurrences() {
        assertThat(Canaries.occurrences("aaaa".getBytes(StandardCharsets.US_ASCII), "aa".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(3);
        assertThat(Canaries.in(Canaries.EMAIL + Canaries.EMAIL)).isEqualTo(new Canaries.Found(0, 2));
    }
}
