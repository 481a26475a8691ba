package io.tributary.jobs.enrichment.quality;

import io.tributary.events.MaskedTransaction;
import java.util.function.Function;

/**
 * The optional fields of the payments contract ({@code Transaction}: a union with null), each read
 * on the masked payment that leaves the source, under the contract's name: the name a producer
 * team knows, and never a value. {@code OptionalPaymentFieldTest} fails when the contract gains an
 * optional field that is not listed here.
 */
public enum OptionalPaymentField {
    DEVICE_ID("device_id", MaskedTransaction::getDeviceId),
    /** Masked to its network prefix, null exactly when the address was. */
    IP_ADDRESS("ip_address", MaskedTransaction::getIpPrefix),
    /** Masked to a token, null exactly when the address was. */
    EMAIL("email", MaskedTransaction::getEmailToken),
    LOCATION("location", MaskedTransaction::getLocation);

    private final String contractName;
    private final Function<MaskedTransaction, Object> value;

    OptionalPaymentField(String contractName, Function<MaskedTransaction, Object> value) {
        this.contractName = contractName;
        this.value = value;
    }

    /** The field's name in the contract, the {@code field} label of its metrics. */
    public String contractName() {
        return contractName;
    }

    boolean isNull(MaskedTransaction payment) {
        return value.apply(payment) == null;
    }
}
