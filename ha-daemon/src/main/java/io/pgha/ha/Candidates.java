package io.pgha.ha;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;

import java.util.Comparator;
import java.util.Optional;

/** Which replica may take over in a planned switchover, judged from what members publish. */
public final class Candidates {
    private Candidates() {
    }

    /** Why {@code name} cannot take over now, or empty when it can. */
    public static Optional<String> unfit(Cluster cluster, String name) {
        Optional<Member> m = cluster.member(name);
        if (m.isEmpty()) {
            return Optional.of(name + " is not a member of the cluster");
        }
        MemberData d = m.get().data();
        if (d.tagIsTrue("nofailover")) {
            return Optional.of(name + " has the nofailover tag");
        }
        Object priority = d.tags().get("failover_priority");
        if (priority instanceof Number n && n.intValue() <= 0) {
            return Optional.of(name + " has failover_priority " + n);
        }
        if (!"running".equals(d.state())) {
            return Optional.of(name + " is " + d.state() + ", not running");
        }
        if (d.isPrimaryRole()) {
            return Optional.of(name + " runs as primary");
        }
        // A running pgha replica always publishes replication_state; Patroni 3.0.2 (Debian 12's) never does, so
        // during a migration its replicas are judged as Patroni judges its own candidates: running, replica, lag.
        if (d.replicationState().isPresent() && !"streaming".equals(d.replicationState().get())) {
            return Optional.of(name + " is not streaming from the leader");
        }
        if (cluster.syncState().isActive() && !cluster.syncState().isSyncStandby(name)) {
            return Optional.of(name + " is not a synchronous standby (sync key: " + cluster.syncState().syncStandbys() + ")");
        }
        return Optional.empty();
    }

    /** The fit replica furthest ahead, the way an operator would pick it. */
    public static Optional<String> best(Cluster cluster, String leader) {
        return cluster.members().values().stream()
                .filter(m -> !m.name().equals(leader))
                .filter(m -> unfit(cluster, m.name()).isEmpty())
                .max(Comparator.comparingLong((Member m) -> m.data().xlogLocation().orElse(0L)).thenComparing(Member::name))
                .map(Member::name);
    }
}
