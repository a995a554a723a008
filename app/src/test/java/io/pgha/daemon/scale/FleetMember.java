package io.pgha.daemon.scale;

import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.RenewedRead;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.pgha.ha.RenewalPlan;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One idle member of a load-generator cluster: the daemon's DCS side without PostgreSQL. Its cycle
 * is {@code HaLoop.readDcs} as the daemon runs it (the same {@link RenewalPlan}, renewal folded into
 * the read, the leader race when no leader key is seen), so etcd sees what an idle pgha member
 * sends; the rest of a daemon's cycle talks to PostgreSQL, not to etcd.
 */
final class FleetMember implements AutoCloseable {
    private final String name;
    private final Dcs dcs;
    private final MemberSession session;
    private final ClusterWatch watch;
    /** The current window's stats: the fleet swaps them between windows. */
    private final Supplier<FleetStats> stats;
    private final MonotonicClock clock = MonotonicClock.SYSTEM;
    private final Duration loopWait;
    private final Duration retryTimeout;
    /** The daemon fences a primary here; a fleet member has nothing to fence (Expired is counted). */
    private static final Runnable NOTHING = () -> { };
    private boolean ledLastCycle;
    private long dueNanos;
    private boolean sawLeader;

    FleetMember(String name, Dcs dcs, long ttlSeconds, Duration loopWait, Duration retryTimeout, Supplier<FleetStats> stats,
                ProbeClock probes) {
        this.name = name;
        this.dcs = dcs;
        this.stats = stats;
        this.loopWait = loopWait;
        this.retryTimeout = retryTimeout;
        this.session = dcs.openSession(name, ttlSeconds);
        session.publish(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running",
                "replica", "15", Optional.of(0L), Optional.of(1L), Optional.of("streaming"), Optional.empty(),
                Optional.empty(), Map.of(), false, false, Map.of()));
        Cluster first = dcs.read(Consistency.LINEARIZABLE);
        String scope = dcs.layout().scope();
        this.watch = dcs.watch(first.revision(), event -> {
            if (event instanceof ClusterEvent.KeyChanged k && k.key() == ClusterKey.STATUS) {
                probes.delivered(scope).ifPresent(d -> stats.get().watchDelay(d));
            } else if (event instanceof ClusterEvent.WatchInterrupted || event instanceof ClusterEvent.Resynced) {
                stats.get().watchInterrupted();
            }
        });
    }

    Dcs dcs() {
        return dcs;
    }

    KeyLayout layout() {
        return dcs.layout();
    }

    /** One HA cycle's DCS traffic; never throws, so a bad cycle does not stop the member's schedule. */
    void cycle() {
        if (dueNanos != 0) {
            stats.get().cycleStarted(clock.nanos() - dueNanos);
        }
        try {
            long left = session.lease().deadlineNanos() - clock.nanos();
            boolean renew = RenewalPlan.beforeReading(ledLastCycle, sawLeader, left, loopWait, retryTimeout);
            Cluster c;
            if (renew) {
                RenewedRead both = session.renewThenRead(NOTHING, dcs);
                counted(both.renewal(), left);
                c = both.cluster();
            } else {
                c = dcs.read(Consistency.LINEARIZABLE);
            }
            if (RenewalPlan.afterReading(renew, c.hasLeader(), c.isLeader(name))) {
                counted(session.renew(NOTHING), session.lease().deadlineNanos() - clock.nanos());
            }
            boolean leads = c.isLeader(name) || (!c.hasLeader() && session.acquireLeader());
            ledLastCycle = leads;
            sawLeader = c.hasLeader() || leads;
        } catch (DcsException e) {
            stats.get().cycleFailed(e);
        }
        dueNanos = clock.nanos() + loopWait.toNanos();
    }

    private void counted(Renewal renewal, long leftWhenSent) {
        FleetStats now = stats.get();
        if (renewal instanceof Renewal.Expired) {
            now.leaseLost();
        } else if (leftWhenSent <= 0) {
            now.renewalLate();
        } else {
            now.renewed(leftWhenSent);
        }
    }

    @Override
    public void close() {
        watch.close();
        session.close();
    }
}
