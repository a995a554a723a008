package io.pgha.rest;

import java.util.List;

/**
 * The health paths load balancers and orchestrators probe, with Patroni's aliases. Paths are
 * matched exactly: Patroni answers any unknown GET path by substring ({@code /xprimaryx} is a
 * primary check), which turns a typo in an HAProxy config into a silently wrong check; pgha
 * answers 404 instead.
 */
enum HealthCheck {
    PRIMARY("/", "/primary", "/master", "/read-write"),
    LEADER("/leader"),
    STANDBY_LEADER("/standby-leader", "/standby_leader"),
    REPLICA("/replica"),
    READ_ONLY("/read-only"),
    HEALTH("/health"),
    LIVENESS("/liveness"),
    READINESS("/readiness"),
    SYNC("/sync", "/synchronous"),
    QUORUM("/quorum"),
    READ_ONLY_SYNC("/read-only-sync", "/read-only-synchronous"),
    READ_ONLY_QUORUM("/read-only-quorum"),
    ASYNC("/async", "/asynchronous");

    private final List<String> paths;

    HealthCheck(String... paths) {
        this.paths = List.of(paths);
    }

    List<String> paths() {
        return paths;
    }

    /**
     * Patroni answers liveness and readiness with a status line even to GET (they are probes, not
     * status pages); the other checks carry the /patroni document on GET so a person with curl sees why.
     */
    boolean bodyOnGet() {
        return this != LIVENESS && this != READINESS;
    }

    /** {@code ?tag_x=y} filters replicas; a primary or leader check ignores them, as in Patroni. */
    boolean filtersByTags() {
        return this != PRIMARY && this != LEADER && this != STANDBY_LEADER && this != LIVENESS && this != READINESS;
    }
}
