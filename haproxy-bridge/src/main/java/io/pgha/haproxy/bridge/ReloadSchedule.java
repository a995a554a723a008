package io.pgha.haproxy.bridge;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * When a newly rendered config goes into HAProxy. A reload waits until the topology has been quiet
 * for {@link #QUIET}, so the reload never delays a leader push during a failover, and until a leader
 * exists, for at most {@link #LEADERLESS_LIMIT}; it goes at once when HAProxy lacks the leader's
 * server or restarted on another file, and a failed one is tried again after {@link Bridge#RETRY}.
 *
 * <p>Times are {@link System#nanoTime()} readings, passed in, so every decision can be checked
 * against a clock a test controls; whether a time has come is decided by difference, as nanoTime
 * requires.
 *
 * @param renderedAt when the config waiting to go in was rendered
 * @param dueAt when to try putting it in place; empty when nothing is pending
 */
record ReloadSchedule(long renderedAt, OptionalLong dueAt) {
    /** Membership changes come in bursts (a node's lease expiring takes leader and member key at once). */
    static final Duration QUIET = Duration.ofMillis(1000);
    /** Reloads wait for a leader so they never run mid-election, but not forever. */
    static final Duration LEADERLESS_LIMIT = Duration.ofSeconds(10);

    static final ReloadSchedule NOTHING_PENDING = new ReloadSchedule(0, OptionalLong.empty());

    enum Verdict {
        /** Nothing pending, or not yet. */
        NOT_DUE,
        /** Due, but HAProxy already runs that config or refused it: nothing stays pending. */
        NOTHING_NEW,
        /** Due, but nobody leads yet: tried again at the leaderless limit. */
        AWAIT_LEADER,
        /** Put it in place now. */
        DEPLOY
    }

    record Decision(Verdict verdict, ReloadSchedule next) {
    }

    /** A config different from the last one was rendered: it goes in once the topology is quiet. */
    ReloadSchedule rendered(long now) {
        return new ReloadSchedule(now, OptionalLong.of(now + QUIET.toNanos()));
    }

    /** The leader has no server in HAProxy yet: the reload cannot wait for a quiet period. */
    ReloadSchedule leaderMissing(long now) {
        if (dueAt.isEmpty() || dueAt.getAsLong() > now) {
            return at(now);
        }
        return this;
    }

    /** HAProxy's master, new or new to us, read a file other than the rendered one: no reason to wait. */
    ReloadSchedule runningOtherConfig(long now) {
        return at(now);
    }

    ReloadSchedule reloadFailed(long now) {
        return at(now + Bridge.RETRY.toNanos());
    }

    /**
     * What to do at {@code now}: {@code newConfig} when the rendered config is neither the one HAProxy
     * runs nor one it refused, {@code leaderKnown} when the DCS names a leader.
     */
    Decision decide(long now, boolean newConfig, boolean leaderKnown) {
        if (dueAt.isEmpty() || now - dueAt.getAsLong() < 0) {
            return new Decision(Verdict.NOT_DUE, this);
        }
        if (!newConfig) {
            return new Decision(Verdict.NOTHING_NEW, cleared());
        }
        if (!leaderKnown && now - renderedAt < LEADERLESS_LIMIT.toNanos()) {
            // or sooner: a new leader re-renders
            return new Decision(Verdict.AWAIT_LEADER, at(renderedAt + LEADERLESS_LIMIT.toNanos()));
        }
        return new Decision(Verdict.DEPLOY, cleared());
    }

    private ReloadSchedule at(long due) {
        return new ReloadSchedule(renderedAt, OptionalLong.of(due));
    }

    private ReloadSchedule cleared() {
        return new ReloadSchedule(renderedAt, OptionalLong.empty());
    }
}
