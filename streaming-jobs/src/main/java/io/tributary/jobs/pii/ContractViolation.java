package io.tributary.jobs.pii;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why a {@code Transaction} breaks its contract, as recorded with it in the dead-letter topic.
 *
 * @param reason machine-readable code, one of {@link TransactionValidator#reasons()}
 * @param detail short sentence for people; never holds a field value, since the dead letter may be
 *     read by people who must not see personal data
 */
public record ContractViolation(String reason, String detail) implements Serializable {
    public ContractViolation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
