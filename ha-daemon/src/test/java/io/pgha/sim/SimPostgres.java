package io.pgha.sim;

import io.pgha.ha.PgState;

/**
 * One node's PostgreSQL: absent, stopped, or running as primary or replica, with a timeline and a
 * WAL position. A running primary accepts writes, so its WAL advances with time; a replica
 * streaming from a reachable primary on its timeline stays {@code lag} bytes behind it.
 */
final class SimPostgres {
    static final long SYSTEM_ID = 7268616322854375442L;

    private boolean exists;
    private boolean running;
    private boolean primary;
    private long timeline;
    private long wal;
    private long since;
    private int upstream = -1;

    boolean exists() {
        return exists;
    }

    boolean acceptsWrites() {
        return running && primary;
    }

    boolean runningReplica() {
        return running && !primary;
    }

    boolean running() {
        return running;
    }

    long timeline() {
        return timeline;
    }

    long wal() {
        return wal;
    }

    int upstream() {
        return upstream;
    }

    PgState state() {
        if (!exists) {
            return new PgState.Absent();
        }
        if (!running) {
            return new PgState.Stopped(SYSTEM_ID, timeline, primary, since);
        }
        return new PgState.Running(primary ? PgState.Role.PRIMARY : PgState.Role.REPLICA, SYSTEM_ID, timeline, wal, since);
    }

    void initdbAndStartPrimary(long now) {
        exists = true;
        timeline = 1;
        wal = 0x3000000;
        startAs(true, -1, now);
    }

    void startAs(boolean asPrimary, int upstreamNode, long now) {
        running = true;
        primary = asPrimary;
        upstream = asPrimary ? -1 : upstreamNode;
        since = now;
    }

    /** An immediate stop, a crash or SIGQUIT from the fence: {@code wasPrimary} is kept for the next start. */
    void stop(long now) {
        if (running) {
            running = false;
            upstream = -1;
            since = now;
        }
    }

    /** The data directory is moved aside (a failed bootstrap). */
    void wipe() {
        exists = false;
        running = false;
        primary = false;
        timeline = 0;
        wal = 0;
        upstream = -1;
    }

    void promote(long now) {
        primary = true;
        upstream = -1;
        timeline++;
        since = now;
    }

    /** pg_basebackup or pg_rewind from {@code source}: same timeline and history as the source. */
    void copyFrom(SimPostgres source) {
        exists = true;
        timeline = source.timeline;
        wal = Math.min(wal == 0 ? source.wal : wal, source.wal);
    }

    void follow(int node) {
        upstream = node;
    }

    void writeFor(long nanos, long bytesPerSecond) {
        if (acceptsWrites()) {
            wal += nanos * bytesPerSecond / 1_000_000_000L;
        }
    }

    /** Streaming: catch up to {@code lag} bytes behind the upstream if it is on our timeline or ahead of us on a newer one. */
    void receiveFrom(SimPostgres up, long lag) {
        if (runningReplica() && up.running && up.timeline >= timeline) {
            timeline = up.timeline;
            wal = Math.max(wal, up.wal - lag);
        }
    }

    boolean streamingFrom(SimPostgres up) {
        return runningReplica() && up.running && up.timeline >= timeline;
    }
}
