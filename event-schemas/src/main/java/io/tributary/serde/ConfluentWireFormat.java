package io.tributary.serde;

import java.nio.ByteBuffer;

/** The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, the Avro body. */
public final class ConfluentWireFormat {
    /** The first byte of every Confluent-framed record. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {}

    /** The schema id in the header of {@code value}; null when it is not Confluent-framed at all. */
    public static Integer schemaId(byte[] value) {
        if (value == null || value.length < HEADER_LENGTH || value[0] != MAGIC_BYTE) {
            return null;
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }
}
