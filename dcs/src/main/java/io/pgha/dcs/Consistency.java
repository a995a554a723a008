package io.pgha.dcs;

public enum Consistency {
    /** Confirmed by the DCS quorum: what the CLI and leader races use. */
    LINEARIZABLE,
    /** Whatever the contacted member has: cheaper, may be slightly stale. */
    SERIALIZABLE
}
