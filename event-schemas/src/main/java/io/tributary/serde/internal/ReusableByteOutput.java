package io.tributary.serde.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer to encode one record after another into: unlike
 * {@link java.io.ByteArrayOutputStream} its methods are not synchronized, and {@link #reset()} keeps
 * the array. For one thread.
 */
public final class ReusableByteOutput extends OutputStream {
    private byte[] bytes;
    private int count;

    public ReusableByteOutput(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(source, offset, bytes, count, length);
        count += length;
    }

    /** Forgets what was written; the array stays for the next record. */
    public void reset() {
        count = 0;
    }

    /** A copy of what was written since the last {@link #reset()}. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, count);
    }

    private void ensureRoom(int length) {
        if (length > bytes.length - count) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + length));
        }
    }
}
