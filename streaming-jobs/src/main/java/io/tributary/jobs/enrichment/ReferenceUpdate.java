package io.tributary.jobs.enrichment;

import io.tributary.events.FxRate;
import io.tributary.events.Merchant;

/**
 * A change of the small, slow reference data that every subtask holds in full (broadcast): a
 * merchant, a deleted merchant (a tombstone on the merchants topic), or an FX rate. Exactly one is
 * set. A Flink POJO.
 */
public class ReferenceUpdate {
    public Merchant merchant;
    public String deletedMerchantId;
    public FxRate rate;

    public ReferenceUpdate() {}

    public static ReferenceUpdate of(Merchant merchant) {
        ReferenceUpdate update = new ReferenceUpdate();
        update.merchant = merchant;
        return update;
    }

    /** The merchant {@code merchantId} was deleted: payments from now on do not know it. */
    public static ReferenceUpdate merchantDeleted(String merchantId) {
        ReferenceUpdate update = new ReferenceUpdate();
        update.deletedMerchantId = merchantId;
        return update;
    }

    public static ReferenceUpdate of(FxRate rate) {
        ReferenceUpdate update = new ReferenceUpdate();
        update.rate = rate;
        return update;
    }
}
