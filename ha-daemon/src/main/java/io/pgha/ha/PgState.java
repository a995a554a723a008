package io.pgha.ha;

/**
 * PostgreSQL on this node as the effects layer last observed it. {@code sinceNanos} is when this
 * state began, on the monotonic clock, so rules like primary_start_timeout need no wall clock.
 */
public sealed interface PgState {
    enum Role { PRIMARY, REPLICA }

    /** No (or an empty) data directory. */
    record Absent() implements PgState {
    }

    /** A data directory exists but no postmaster runs. {@code wasPrimary}: it was not in recovery when it stopped. */
    record Stopped(long systemId, long timeline, boolean wasPrimary, long sinceNanos) implements PgState {
    }

    /**
     * A postmaster runs but does not answer queries yet: starting, recovering or shutting down.
     * Nothing is started twice while it is in this state.
     */
    record Starting(long systemId, boolean wasPrimary, long sinceNanos) implements PgState {
    }

    /**
     * A postmaster accepts connections. {@code walPosition} is the flush LSN on a primary and
     * max(receive, replay) on a replica — what a failover candidate would have.
     */
    record Running(Role role, long systemId, long timeline, long walPosition, long sinceNanos) implements PgState {
        public boolean isPrimary() {
            return role == Role.PRIMARY;
        }
    }
}
