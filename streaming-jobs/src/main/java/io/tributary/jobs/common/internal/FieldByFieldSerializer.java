package io.tributary.jobs.common.internal;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer without configuration that writes its type field by field and never reuses an
 * instance: what Flink's interface asks beyond {@code serialize}, {@code deserialize}, {@code copy}
 * and the snapshot, written once for the jobs' dedicated serializers.
 */
public abstract class FieldByFieldSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }
}
