package io.tributary.benchmarks.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The clear personal data the chaos run plants in a few valid payments, and the search for it:
 * a card number and an e-mail address that nothing else in the run contains, so that any place
 * holding either holds it because personal data leaked there in clear. The search is for raw
 * bytes; data a store compresses (RocksDB's SST blocks, for one) could hide a copy from it.
 */
final class Canaries {
    /** 16 digits, as the contract wants; no generated card number starts like this. */
    static final String CARD_NUMBER = "4999000871234563";
    static final String EMAIL = "chaos.canary.7f3a@example.invalid";
    private static final byte[] CARD_BYTES = CARD_NUMBER.getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMAIL_BYTES = EMAIL.getBytes(StandardCharsets.UTF_8);
    /** The first bytes of a zip archive (a jar): a local file header. */
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private Canaries() {}

    /** How often each canary occurs in {@code bytes}. */
    static Found in(byte[] bytes) {
        if (bytes == null) {
            return Found.NONE;
        }
        return new Found(occurrences(bytes, CARD_BYTES), occurrences(bytes, EMAIL_BYTES));
    }

    static Found in(String text) {
        return text == null ? Found.NONE : in(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How often each canary occurs in the files below {@code root} (or in {@code root}, a file),
     * read as raw bytes; files that vanish while the search walks (a checkpoint a job subsumes)
     * are skipped, and so are zip archives: the copies of the job jar that a cluster keeps (its
     * artifacts directory, the blob caches, 120 MB each) hold the job's code, not data, and a byte
     * search could not see through their compression anyway.
     */
    static Found inFiles(Path root) {
        if (!Files.exists(root)) {
            return Found.NONE;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(Canaries::inFile).reduce(Found.NONE, Found::plus);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not search " + root, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return inFiles(root); // a directory vanished mid-walk: walk again
            }
            throw e;
        }
    }

    /** The sum over {@code files} of {@link #inFiles}. */
    static Found inFiles(List<Path> files) {
        return files.stream().map(Canaries::inFiles).reduce(Found.NONE, Found::plus);
    }

    private static Found inFile(Path file) {
        try {
            try (InputStream in = Files.newInputStream(file)) {
                if (Arrays.equals(in.readNBytes(ZIP_MAGIC.length), ZIP_MAGIC)) {
                    return Found.NONE;
                }
            }
            return in(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Found.NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    static long occurrences(byte[] haystack, byte[] needle) {
        long count = 0;
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    /** Occurrences of the canary card number and e-mail address. */
    record Found(long cardNumbers, long emails) {
        static final Found NONE = new Found(0, 0);

        Found plus(Found other) {
            return new Found(cardNumbers + other.cardNumbers, emails + other.emails);
        }

        boolean any() {
            return cardNumbers > 0 || emails > 0;
        }
    }
}
