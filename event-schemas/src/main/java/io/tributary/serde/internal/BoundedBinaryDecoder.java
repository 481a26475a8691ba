package io.tributary.serde.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one record's bytes that refuses, before allocating anything, a
 * string, a byte array or a collection whose declared length the record could not hold. Avro
 * allocates a string's declared length before it reads it, so a 10-byte record declaring a 2 GB
 * string would otherwise end in an {@link OutOfMemoryError} that no dead-letter path catches, and
 * the job would restart on the same record forever. A refusal is an {@link EOFException}: the record
 * ends before what it declares does. Collections are bounded by one byte per item, which every item
 * of the contracts' arrays and maps takes.
 */
public final class BoundedBinaryDecoder extends Decoder {
    private final BinaryDecoder in;
    private final long limit;

    /**
     * @param in the decoder over the record's body
     * @param bodyLength the body's length in bytes: no string, byte array or collection is longer
     */
    public BoundedBinaryDecoder(BinaryDecoder in, int bodyLength) {
        this.in = in;
        this.limit = bodyLength;
    }

    /** Whether the whole body was read. */
    public boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private int checked(long declared, String what) throws IOException {
        if (declared < 0) {
            throw new AvroRuntimeException("Malformed data: negative " + what + " length");
        }
        if (declared > limit) {
            throw new EOFException("a " + what + " of " + declared + " declared in a " + limit + "-byte body");
        }
        return (int) declared;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checked(in.readLong(), "string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(checked(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checked(in.readLong(), "byte array");
        ByteBuffer result = old != null && length <= old.capacity() ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(checked(in.readLong(), "byte array"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return checked(in.readArrayStart(), "collection");
    }

    @Override
    public long arrayNext() throws IOException {
        return checked(in.arrayNext(), "collection");
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return checked(in.readMapStart(), "collection");
    }

    @Override
    public long mapNext() throws IOException {
        return checked(in.mapNext(), "collection");
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
