package io.tributary.jobs.enrichment;

import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RiskLevel;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.common.internal.FieldByFieldSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes an {@link AccountEvent} on its way from the sources to the enricher, field by field: a byte
 * for what it carries, then the payment (the event id as two longs, texts as Flink
 * writes strings, where a null costs one byte; the amount as scale and unscaled bytes; the event time
 * in epoch millis, as its Avro type keeps it; enums by ordinal) and where it was read, the profile, or
 * the account id of an erasure.
 * Flink's POJO serializer around Avro's, used before, resolved each field reflectively and converted
 * the payment's uuid, decimal and timestamp through Avro (benchmarks/README, "What each change bought").
 *
 * <p>Account events are never kept in state (the enricher keeps payments as {@link MaskedTransaction}),
 * and the jobs take aligned checkpoints, so no snapshot holds this layout: it may change with the
 * code. A field added to {@code MaskedTransaction} must be added here too;
 * {@code AccountEventSerializerTest} fails until it is.
 */
public final class AccountEventSerializer extends FieldByFieldSerializer<AccountEvent> {
    private static final long serialVersionUID = 1L;
    public static final AccountEventSerializer INSTANCE = new AccountEventSerializer();

    private static final int PAYMENT = 0;
    private static final int PROFILE = 1;
    private static final int FORGET = 2;

    private static final TransactionStatus[] STATUSES = TransactionStatus.values();
    private static final PaymentChannel[] CHANNELS = PaymentChannel.values();
    private static final RiskLevel[] RISK_LEVELS = RiskLevel.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public AccountEvent createInstance() {
        return new AccountEvent();
    }

    @Override
    public AccountEvent copy(AccountEvent from) {
        AccountEvent copy = new AccountEvent();
        copy.accountId = from.accountId;
        copy.transaction = from.transaction == null ? null : MaskedTransaction.newBuilder(from.transaction).build();
        if (from.origin != null) {
            copy.origin = new Origin();
            copy.origin.topic = from.origin.topic;
            copy.origin.partition = from.origin.partition;
            copy.origin.offset = from.origin.offset;
            copy.origin.timestamp = from.origin.timestamp;
            copy.origin.receivedAt = from.origin.receivedAt;
        }
        copy.profile = from.profile == null ? null : new AccountSnapshot(from.profile.accountId, from.profile.riskTier,
                from.profile.homeCountry, from.profile.updatedAt);
        copy.forgotten = from.forgotten;
        return copy;
    }

    @Override
    public void serialize(AccountEvent event, DataOutputView out) throws IOException {
        // The event's account id is its payment's or profile's: not written twice.
        if (event.transaction != null) {
            out.writeByte(PAYMENT);
            writePayment(event.transaction, out);
            writeOrigin(event.origin, out);
        } else if (event.profile != null) {
            out.writeByte(PROFILE);
            AccountSnapshot profile = event.profile;
            StringValue.writeString(profile.accountId, out);
            out.writeByte(profile.riskTier == null ? -1 : profile.riskTier.ordinal());
            StringValue.writeString(profile.homeCountry, out);
            out.writeLong(profile.updatedAt);
        } else if (event.forgotten) {
            out.writeByte(FORGET);
            StringValue.writeString(event.accountId, out);
        } else {
            throw new IllegalArgumentException("An account event carries a payment, a profile or an erasure; this one none");
        }
    }

    /** Rebuilt through {@link AccountEvent}'s own factories, which set the account id as the sender's did. */
    @Override
    public AccountEvent deserialize(DataInputView in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case PAYMENT -> {
                MaskedTransaction payment = readPayment(in);
                yield AccountEvent.payment(payment, readOrigin(in));
            }
            case PROFILE -> {
                String accountId = StringValue.readString(in);
                int tier = in.readByte();
                String homeCountry = StringValue.readString(in);
                yield AccountEvent.profile(new AccountSnapshot(accountId, tier < 0 ? null : RISK_LEVELS[tier],
                        homeCountry, in.readLong()));
            }
            case FORGET -> AccountEvent.forget(StringValue.readString(in));
            default -> throw new IOException("Unknown account event kind " + kind);
        };
    }

    private static void writePayment(MaskedTransaction t, DataOutputView out) throws IOException {
        out.writeLong(t.getEventId().getMostSignificantBits());
        out.writeLong(t.getEventId().getLeastSignificantBits());
        StringValue.writeString(t.getTransactionId(), out);
        StringValue.writeString(t.getAccountId(), out);
        StringValue.writeString(t.getCardToken(), out);
        StringValue.writeString(t.getCardLast4(), out);
        StringValue.writeString(t.getMerchantId(), out);
        out.writeInt(t.getAmount().scale());
        byte[] unscaled = t.getAmount().unscaledValue().toByteArray();
        out.writeInt(unscaled.length);
        out.write(unscaled);
        StringValue.writeString(t.getCurrency(), out);
        out.writeLong(t.getEventTime().toEpochMilli());
        out.writeByte(t.getStatus().ordinal());
        out.writeByte(t.getChannel().ordinal());
        StringValue.writeString(t.getCountry(), out);
        StringValue.writeString(t.getDeviceId(), out);
        StringValue.writeString(t.getIpPrefix(), out);
        StringValue.writeString(t.getEmailToken(), out);
        Location location = t.getLocation();
        out.writeBoolean(location != null);
        if (location != null) {
            out.writeDouble(location.getLatitude());
            out.writeDouble(location.getLongitude());
            StringValue.writeString(location.getCity(), out);
        }
    }

    private static MaskedTransaction readPayment(DataInputView in) throws IOException {
        MaskedTransaction t = new MaskedTransaction();
        t.setEventId(new UUID(in.readLong(), in.readLong()));
        t.setTransactionId(StringValue.readString(in));
        t.setAccountId(StringValue.readString(in));
        t.setCardToken(StringValue.readString(in));
        t.setCardLast4(StringValue.readString(in));
        t.setMerchantId(StringValue.readString(in));
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        t.setAmount(new BigDecimal(new BigInteger(unscaled), scale));
        t.setCurrency(StringValue.readString(in));
        t.setEventTime(Instant.ofEpochMilli(in.readLong()));
        t.setStatus(STATUSES[in.readByte()]);
        t.setChannel(CHANNELS[in.readByte()]);
        t.setCountry(StringValue.readString(in));
        t.setDeviceId(StringValue.readString(in));
        t.setIpPrefix(StringValue.readString(in));
        t.setEmailToken(StringValue.readString(in));
        if (in.readBoolean()) {
            t.setLocation(new Location(in.readDouble(), in.readDouble(), StringValue.readString(in)));
        }
        return t;
    }

    private static void writeOrigin(Origin origin, DataOutputView out) throws IOException {
        out.writeBoolean(origin != null);
        if (origin != null) {
            StringValue.writeString(origin.topic, out);
            out.writeInt(origin.partition);
            out.writeLong(origin.offset);
            out.writeLong(origin.timestamp);
            out.writeLong(origin.receivedAt);
        }
    }

    private static Origin readOrigin(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        Origin origin = new Origin();
        origin.topic = StringValue.readString(in);
        origin.partition = in.readInt();
        origin.offset = in.readLong();
        origin.timestamp = in.readLong();
        origin.receivedAt = in.readLong();
        return origin;
    }

    @Override
    public TypeSerializerSnapshot<AccountEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Names this serializer where Flink records a type's serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AccountEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
