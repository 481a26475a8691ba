package io.tributary.jobs.enrichment;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.common.internal.SerializerTypeInformation;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Everything that happens to an account, on the one keyed stream of the enrichment job: a payment,
 * a new version of its profile, or a request to forget it. Exactly one of the three is set. Written
 * between the sources and the enricher by {@link AccountEventSerializer}.
 */
@TypeInfo(AccountEvent.TypeFactory.class)
public class AccountEvent {
    public static final TypeInformation<AccountEvent> TYPE =
            new SerializerTypeInformation<>(AccountEvent.class, AccountEventSerializer.INSTANCE);

    public String accountId;
    public MaskedTransaction transaction;
    /** Where the payment was read; null when it was not read from Kafka (the backfill). */
    public Origin origin;
    public AccountSnapshot profile;
    /** The profile topic carried a tombstone: the customer asked to be forgotten. */
    public boolean forgotten;

    public AccountEvent() {}

    public static AccountEvent payment(MaskedTransaction transaction, Origin origin) {
        AccountEvent event = new AccountEvent();
        event.accountId = transaction.getAccountId();
        event.transaction = transaction;
        event.origin = origin;
        return event;
    }

    public static AccountEvent profile(AccountSnapshot profile) {
        AccountEvent event = new AccountEvent();
        event.accountId = profile.accountId;
        event.profile = profile;
        return event;
    }

    public static AccountEvent forget(String accountId) {
        AccountEvent event = new AccountEvent();
        event.accountId = accountId;
        event.forgotten = true;
        return event;
    }

    public String getAccountId() {
        return accountId;
    }

    /** So that {@code TypeInformation.of(AccountEvent.class)} is {@link #TYPE} too. */
    public static final class TypeFactory extends TypeInfoFactory<AccountEvent> {
        @Override
        public TypeInformation<AccountEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return TYPE;
        }
    }
}
