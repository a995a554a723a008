package io.pgha.dcs;

/** What a keepalive found out. */
public sealed interface Renewal {
    /** The lease is alive until the new deadline; keys bound to it (leader, member) still exist. */
    record Renewed(Lease lease) implements Renewal {
    }

    /**
     * The lease had already expired in the DCS, so every key bound to it — the leader key included —
     * is gone. A fresh lease was granted so the member key can be published again.
     */
    record Expired(long expiredId, Lease replacement) implements Renewal {
        @Override
        public Lease lease() {
            return replacement;
        }
    }

    Lease lease();
}
