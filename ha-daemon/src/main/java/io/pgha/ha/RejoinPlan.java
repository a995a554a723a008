package io.pgha.ha;

import java.util.Optional;

/**
 * How a stopped member whose history may have left the leader's rejoins it: start as it is, run
 * pg_rewind (at most {@link #REWIND_ATTEMPTS} times in a row), move the data directory aside for a
 * new clone, or stay stopped for an operator. Shared by the daemon and the simulation, so the
 * simulation rejoins by the daemon's rule. Nothing here touches a file: the daemon carries out the
 * step and keeps the {@link State} it returns.
 *
 * @param usePgRewind                        pg_rewind may bring a diverged directory back in line
 * @param removeDataDirectoryOnRewindFailure a directory that cannot be rewound is moved aside and cloned again
 */
public record RejoinPlan(boolean usePgRewind, boolean removeDataDirectoryOnRewindFailure) {
    public static final int REWIND_ATTEMPTS = 3;

    /** What this member remembers between cycles: failed rewinds in a row, and the state it reports. */
    public record State(int rewindFailures, String memberState) {
        public static final State FRESH = new State(0, "");
    }

    public sealed interface Step {
        State state();
    }

    /** Start PostgreSQL as a replica. */
    public record Start(State state) implements Step {
    }

    /** Run pg_rewind from the leader, then ask {@link #afterRewind} again. */
    public record Rewind(State state) implements Step {
    }

    /** Move the data directory aside with {@code suffix}; the next cycle clones. Says {@code before + where + after}. */
    public record MoveAside(String suffix, String before, String after, State state) implements Step {
    }

    /** PostgreSQL stays stopped, for the reason given. */
    public record StayStopped(String why, State state) implements Step {
    }

    /**
     * A different timeline may or may not mean divergence; pg_rewind knows, and says "no rewind
     * required" when the history is a prefix of the leader's. A leader that published no timeline
     * leaves only the member's own past: a former primary may have written what the leader never saw.
     */
    public static boolean mayHaveDiverged(long mine, long leaderTimeline, boolean wasPrimary) {
        return leaderTimeline > 0 ? mine != leaderTimeline : wasPrimary;
    }

    /** A member that may have diverged, before any rewind this cycle. */
    public Step diverged(long mine, long theirs, State s) {
        if (!usePgRewind) {
            if (removeDataDirectoryOnRewindFailure) {
                return new MoveAside("diverged", "timeline " + mine + " vs leader's " + theirs
                        + " and use_pg_rewind is off; data directory moved to ", ", re-cloning next", new State(s.rewindFailures(), ""));
            }
            return new StayStopped("timeline " + mine + " may have diverged from the leader's " + theirs
                    + "; use_pg_rewind is off, so PostgreSQL stays stopped (reinit this member)",
                    new State(s.rewindFailures(), "diverged: needs reinit"));
        }
        if (s.rewindFailures() >= REWIND_ATTEMPTS) {
            if (removeDataDirectoryOnRewindFailure) {
                return new MoveAside("rewind-failed", "pg_rewind failed " + REWIND_ATTEMPTS + " times; data directory moved to ",
                        ", re-cloning next", State.FRESH);
            }
            return new StayStopped("PostgreSQL stays stopped: " + s.memberState(), s);
        }
        return new Rewind(s);
    }

    /** What a finished pg_rewind from {@code leader} leads to; {@code unusable}: it left the directory half-rewound. */
    public Step afterRewind(String leader, boolean ok, boolean unusable, String lastLine, State s) {
        if (!ok && unusable) {
            return unusableAfterRewind(Optional.of(leader), s);
        }
        if (ok) {
            return new Start(State.FRESH);
        }
        int failures = s.rewindFailures() + 1;
        return new StayStopped("pg_rewind from " + leader + " failed (" + failures + "/" + REWIND_ATTEMPTS + "): " + lastLine,
                new State(failures, "rewind failed (" + failures + "/" + REWIND_ATTEMPTS + "): " + lastLine));
    }

    /**
     * Half-rewound files, or WAL pg_rewind cannot read, are no replica (the chaos suite saw one started
     * anyway never reach consistency and sit "starting" for good): only a new clone is.
     */
    public Step unusableAfterRewind(Optional<String> leader, State s) {
        if (leader.isEmpty()) {
            return new StayStopped("PostgreSQL stays stopped: a pg_rewind left its data directory unusable, and there is no leader to clone from", s);
        }
        if (removeDataDirectoryOnRewindFailure) {
            return new MoveAside("rewind-failed", "a pg_rewind left the data directory unusable; moved to ",
                    ", re-cloning from " + leader.get() + " next", State.FRESH);
        }
        return new StayStopped("PostgreSQL stays stopped: a pg_rewind left its data directory unusable (reinit this member, or set"
                + " remove_data_directory_on_rewind_failure)", new State(s.rewindFailures(), "rewind failed: data directory unusable, needs reinit"));
    }
}
