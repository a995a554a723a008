package io.pgha.ha;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What this node knows about failsafe mode when it decides (Patroni's {@code failsafe_mode}: a primary
 * that cannot reach the DCS keeps running while every member listed in the {@code failsafe} key
 * acknowledges it over REST).
 *
 * @param lastSeenMembers    the {@code failsafe} key ({@code name → api_url}) of the last snapshot read:
 *                           while the DCS is unreachable the decision has no snapshot of its own
 * @param grantedUntilNanos  as primary: the members acknowledged me in a round that started at
 *                           {@code grantedUntilNanos - ttl}, so none of them races before this
 *                           (monotonic clock; 0 when there is no such grant)
 * @param report             the answers of the round the previous decision of this cycle asked for
 * @param acknowledged       as replica: the last leader I acknowledged and when I received its request
 * @param daemonStartedNanos when this daemon started: an acknowledgement given before is forgotten,
 *                           so it is assumed until ttl after the start (empty: not known, no assumption)
 */
public record Failsafe(Map<String, String> lastSeenMembers, long grantedUntilNanos, Optional<FailsafeReport> report,
                       Optional<Acknowledgement> acknowledged, OptionalLong daemonStartedNanos) {
    public static final Failsafe NONE = new Failsafe(Map.of(), 0, Optional.empty(), Optional.empty(), OptionalLong.empty());

    public Failsafe {
        lastSeenMembers = Collections.unmodifiableMap(new TreeMap<>(lastSeenMembers));
    }

    /** A member's promise: it received {@code leader}'s {@code POST /failsafe} at {@code receivedNanos} and does not race for ttl. */
    public record Acknowledgement(String leader, long receivedNanos) {
    }

    public Failsafe withReport(FailsafeReport r) {
        return new Failsafe(lastSeenMembers, grantedUntilNanos, Optional.of(r), acknowledged, daemonStartedNanos);
    }
}
