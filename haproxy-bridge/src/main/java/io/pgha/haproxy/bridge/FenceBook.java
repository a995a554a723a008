package io.pgha.haproxy.bridge;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which members must be kept out of the leader-only services beyond what health checks say. A
 * leader that lost the key is fenced from that moment (its lease is gone, so it must not take
 * writes even if something still answers on its port), until its member key, written after the
 * fence, shows it running as a replica. A non-leader whose member key says it runs as primary is
 * fenced for as long as it says so.
 */
public final class FenceBook {
    /** member → DCS revision at which it lost the leader key. */
    private final Map<String, Long> lostLeadership = new HashMap<>();

    /** The leader key moved from {@code previous} (if any) to {@code next} (if any) at {@code revision}. */
    public void leaderMoved(Optional<String> previous, Optional<String> next, long revision) {
        previous.filter(p -> next.filter(p::equals).isEmpty()).ifPresent(p -> lostLeadership.put(p, revision));
        next.ifPresent(lostLeadership::remove);
    }

    /**
     * Fences a member HAProxy found passing the leader-only check while another leads, until its
     * member key, written after {@code revision}, shows a running replica.
     */
    public void claimsPrimary(String member, long revision) {
        lostLeadership.putIfAbsent(member, revision);
    }

    /** Lifts fences of members whose key, written after they lost the lead, shows a running replica. */
    public void observe(Cluster cluster) {
        lostLeadership.entrySet().removeIf(e -> cluster.member(e.getKey())
                .filter(m -> m.version() > e.getValue() && runningReplica(m)).isPresent());
        cluster.leaderName().ifPresent(lostLeadership::remove);
    }

    /** Everyone to fence now, given the latest snapshot and the leader as last reported. */
    public Set<String> fenced(Cluster cluster, Optional<String> leader) {
        Set<String> out = new TreeSet<>(lostLeadership.keySet());
        for (Member m : cluster.members().values()) {
            if (leader.filter(m.name()::equals).isEmpty() && claimsPrimary(m)) {
                out.add(m.name());
            }
        }
        leader.ifPresent(out::remove);
        return out;
    }

    private static boolean runningReplica(Member m) {
        return "replica".equals(m.data().role()) && "running".equals(m.data().state());
    }

    private static boolean claimsPrimary(Member m) {
        return m.data().isPrimaryRole() && "running".equals(m.data().state());
    }
}
