package io.pgha.sim;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The properties checked after every event: never two writers at one instant; never writable
 * without the leader key; and, at the end, a primary that holds the key (progress).
 */
final class Invariants {
    private Violation first;

    Optional<Violation> first() {
        return Optional.ofNullable(first);
    }

    void afterEvent(long now, List<SimNode> nodes) {
        List<String> writers = nodes.stream().filter(n -> n.pg.acceptsWrites()).map(n -> n.name + " (timeline " + n.pg.timeline() + ")").toList();
        if (writers.size() > 1) {
            record(new Violation.TwoWriters(now, "accepting writes at once: " + String.join(", ", writers)));
        }
    }

    /**
     * Failsafe mode: every writer has a right to write at this instant. It holds the leader key under
     * a live lease on the DCS (its own, or its previous run's while a restarted daemon takes it over), or every other member the failsafe key lists has promised it, less
     * than ttl ago, not to race: a primary running on failsafe with all acknowledgements is
     * legitimate, one missing a single promise is not, and a second writer is still caught by
     * {@link #afterEvent}. (Without failsafe mode the checker stays as it was: the fence-less and
     * pre-fix runs that prove it are meant to end in two writers.)
     */
    void writersHaveARight(long now, List<SimNode> nodes, SimDcs dcs, SimSettings settings) {
        if (!settings.failsafeMode()) {
            return;
        }
        for (SimNode n : nodes) {
            if (!n.pg.acceptsWrites()) {
                continue;
            }
            long lease = dcs.liveLeaderLeaseWithoutExpiring(now);
            // The key names it under a live lease: its own, or that of the run before a daemon restart.
            boolean byKey = lease != 0 && dcs.value(SimDcs.KEYS.leader()).filter(n.name::equals).isPresent();
            if (byKey || promisedByAll(now, n, nodes, dcs, settings.ttlNanos())) {
                continue;
            }
            record(new Violation.WriterWithoutRight(now, n.name + " accepts writes without the leader key under a live lease (key: "
                    + dcs.value(SimDcs.KEYS.leader()).orElse("none") + ") and without a live promise from every member of the failsafe key "
                    + dcs.value(SimDcs.KEYS.prefix() + "failsafe").orElse("(none)")));
        }
    }

    private static boolean promisedByAll(long now, SimNode writer, List<SimNode> nodes, SimDcs dcs, long ttl) {
        Optional<String> key = dcs.value(SimDcs.KEYS.prefix() + "failsafe");
        if (key.isEmpty()) {
            return false;
        }
        Set<String> listed = new JsonObject(key.get()).fieldNames();
        if (!listed.contains(writer.name)) {
            return false;
        }
        return listed.stream().filter(m -> !m.equals(writer.name)).map(m -> nodes.get(SimNode.index(m)))
                .allMatch(m -> m.promisedTo.equals(writer.name) && now - m.promisedAt < ttl);
    }

    /** Called just before a node turns writable: it must hold the leader key under a live lease on the DCS itself. */
    void becomesWritable(long now, SimNode node, SimDcs dcs, String how) {
        String holder = dcs.leaderName(now).orElse("nobody");
        long lease = dcs.leaderLease(now);
        if (!holder.equals(node.name) || lease != node.leaseId) {
            record(new Violation.PromotedWithoutKey(now, node.name + " " + how + " while the DCS leader key is held by " + holder
                    + (holder.equals(node.name) ? " under lease " + lease + ", not its current lease " + node.leaseId : "")));
        }
    }

    /** Synchronous mode: a promotion lacking an acknowledged commit, or of a member the sync key does not name. */
    void synchronousPromiseBroken(long now, String what) {
        record(new Violation.SynchronousPromiseBroken(now, what));
    }

    void atEnd(long now, List<SimNode> nodes, SimDcs dcs) {
        Optional<String> holder = dcs.leaderName(now);
        boolean progress = holder.isPresent() && nodes.stream().anyMatch(n -> n.up && n.name.equals(holder.get())
                && n.pg.acceptsWrites() && n.leaseId == dcs.leaderLease(now));
        if (!progress) {
            StringBuilder b = new StringBuilder("no primary holds the leader key (key: " + holder.orElse("none") + "); nodes:");
            nodes.forEach(n -> b.append(' ').append(n.name).append('=').append(n.pg.state().getClass().getSimpleName())
                    .append(n.pg.acceptsWrites() ? "/primary" : n.pg.running() ? "/replica" : "").append("/tl").append(n.pg.timeline()));
            record(new Violation.NoProgress(now, b.toString()));
        }
    }

    private void record(Violation v) {
        if (first == null) {
            first = v;
        }
    }
}
