package io.pgha.haproxy.bridge;

import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.model.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * What the bridge knows of the cluster: the last snapshot read, the leader as last reported (by the
 * watch or a read, whichever came later), and who is fenced.
 */
final class ClusterView {
    /** The bridge's log: operators follow one logger, whichever part of the bridge speaks. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final Dcs dcs;
    private final FenceBook fences = new FenceBook();
    private Cluster snapshot;
    private Optional<String> leader = Optional.empty();
    private boolean dcsReachable = true;

    ClusterView(Dcs dcs) {
        this.dcs = dcs;
    }

    boolean hasSnapshot() {
        return snapshot != null;
    }

    Cluster snapshot() {
        return snapshot;
    }

    Optional<String> leader() {
        return leader;
    }

    /**
     * The leader the leader-only services route to: none in a standby cluster, whose leader is read-only
     * (its reads go through the other services, which count it by their health checks).
     */
    Optional<String> writableLeader() {
        return standbyCluster() ? Optional.empty() : leader;
    }

    private boolean standbyCluster() {
        return snapshot != null && snapshot.standbyCluster().isPresent();
    }

    /** A linearizable read; false, said once until it works again, when the DCS cannot be read. */
    boolean read() {
        try {
            Cluster c = dcs.read(Consistency.LINEARIZABLE);
            if (!dcsReachable) {
                LOG.info("DCS readable again (revision {})", c.revision());
            }
            dcsReachable = true;
            snapshot = c;
            if (!c.leaderName().equals(leader)) {
                leaderMoved(c.leaderName(), c.revision());
            }
            fences.observe(c);
            c.problems().forEach(p -> LOG.warn("DCS value ignored: {}", p));
            return true;
        } catch (DcsException e) {
            if (dcsReachable) {
                LOG.warn("cannot read the cluster from the DCS ({}); HAProxy's health checks alone route until it is back; retrying every {} ms",
                        e.getMessage(), Bridge.RETRY.toMillis());
            }
            dcsReachable = false;
            return false;
        }
    }

    /**
     * What one watch event asks of the bridge: a push when the leader key moved ({@code leaderMoved}
     * says how, for the log), a read when members, the config or the whole view changed.
     */
    record Seen(Optional<String> leaderMoved, boolean needsRead) {
        static final Seen NOTHING = new Seen(Optional.empty(), false);
    }

    Seen observe(ClusterEvent e) {
        if (e instanceof ClusterEvent.LeaderChanged lc) {
            leaderMoved(Optional.of(lc.leader()), lc.revision());
            return new Seen(Optional.of("leader key now names " + lc.leader()), false);
        } else if (e instanceof ClusterEvent.LeaderDeleted ld) {
            leaderMoved(Optional.empty(), ld.revision());
            return new Seen(Optional.of("leader key of " + ld.previousLeader() + " is gone"), false);
        } else if (e instanceof ClusterEvent.Resynced r) {
            snapshot = r.snapshot();
            return new Seen(Optional.empty(), true);
        } else if (e instanceof ClusterEvent.WatchInterrupted wi) {
            LOG.warn("DCS watch interrupted at revision {} ({}); it resumes by itself", wi.revision(), wi.reason());
        } else if (e instanceof ClusterEvent.MemberChanged || e instanceof ClusterEvent.MemberDeleted
                || e instanceof ClusterEvent.ConfigChanged) {
            return new Seen(Optional.empty(), true);
        }
        return Seen.NOTHING;
    }

    private void leaderMoved(Optional<String> next, long revision) {
        fences.leaderMoved(leader, next, revision);
        leader = next;
    }

    Set<String> fenced() {
        return fences.fenced(snapshot, leader);
    }

    /** HAProxy found {@code member} passing the leader-only check while another leads. */
    void claimsPrimary(String member) {
        fences.claimsPrimary(member, snapshot.revision());
    }
}
