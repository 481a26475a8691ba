package io.tributary.jobs.common.store.internal;

import io.tributary.contracts.RejectionReason;

/**
 * What a store's error means for the write that got it, which decides what the writer does: retry
 * the flush, set one row aside as a dead letter, or fail the job at once.
 */
public enum StoreError {
    /** Connection refused or reset, a timeout, a store loading, busy or failing over: a later attempt may succeed. */
    TRANSIENT(Scope.TRANSIENT, null),
    /** Redis WRONGTYPE: another client stored something other than a hash under the row's key. */
    WRONG_TYPE(Scope.ROW, RejectionReason.STORE_WRONG_TYPE),
    /** PostgreSQL 22003: a value does not fit its column. */
    NUMERIC_OVERFLOW(Scope.ROW, RejectionReason.STORE_NUMERIC_OVERFLOW),
    /** Any other PostgreSQL data exception (class 22) or constraint violation (class 23) on one row. */
    INVALID_VALUE(Scope.ROW, RejectionReason.STORE_INVALID_VALUE),
    /** Redis NOAUTH or WRONGPASS, PostgreSQL class 28: the credentials are wrong. */
    AUTHENTICATION(Scope.CONFIGURATION, null),
    /** Redis NOPERM, PostgreSQL 42501: the store's user may not do what the job needs. */
    PERMISSION(Scope.CONFIGURATION, null),
    /** PostgreSQL 42P01, 3D000, 3F000 and the rest of class 42: the table, database or schema is not what the job expects. */
    MISSING_OBJECT(Scope.CONFIGURATION, null);

    /** How far an error reaches, and so what to do with it. */
    public enum Scope {
        /** Retry the whole flush, for a bounded time: the writes are idempotent. */
        TRANSIENT,
        /** Only this row can never be written: dead-letter it, write the others. */
        ROW,
        /** No write can succeed until someone changes the store or the job's settings: fail now. */
        CONFIGURATION
    }

    private final Scope scope;
    private final RejectionReason reason;

    StoreError(Scope scope, RejectionReason reason) {
        this.scope = scope;
        this.reason = reason;
    }

    public Scope scope() {
        return scope;
    }

    /** The dead letter's reason of a {@link Scope#ROW} error; null for the others. */
    public RejectionReason reason() {
        return reason;
    }
}
