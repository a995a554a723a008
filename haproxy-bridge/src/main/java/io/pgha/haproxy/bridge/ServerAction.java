package io.pgha.haproxy.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * A change to one server of a leader-only service, with the runtime API commands that make it. Each
 * is safe to apply at any moment: none lets a server take connections while another still does.
 */
public sealed interface ServerAction {
    String backend();

    String server();

    List<String> commands();

    default String target() {
        return backend() + "/" + server();
    }

    /**
     * The leader takes connections now: out of maintenance/drain, and forced up when health checks
     * have not seen it pass yet (they need rise × fastinter to notice a promotion).
     */
    record Enable(String backend, String server, boolean leaveMaintenance, boolean forceUp) implements ServerAction {
        @Override
        public List<String> commands() {
            List<String> c = new ArrayList<>();
            if (leaveMaintenance) {
                c.add("set server " + target() + " state ready");
            }
            if (forceUp) {
                c.add("set server " + target() + " health up");
            }
            return c;
        }
    }

    /**
     * A former or would-be primary: maintenance, so nothing, not even passing checks, sends it new
     * connections, and its current sessions are shut down so no client keeps writing to it.
     */
    record Fence(String backend, String server, Why why) implements ServerAction {
        public enum Why {
            /** In the DCS's fence book: lost the leader key, or its member key says it runs as primary. */
            DCS,
            /** Not the leader, yet passing the leader-only health check: it claims to be a primary. */
            PASSES_PRIMARY_CHECK
        }

        @Override
        public List<String> commands() {
            return List.of("set server " + target() + " state maint", "shutdown sessions server " + target());
        }
    }

    /**
     * Back from a fence to "health checks decide". Leaving maintenance makes HAProxy 2.6 count the
     * server up at once, so it passes through drain (no new connections), is marked down, and only
     * then becomes ready: it is never routable in between.
     */
    record Release(String backend, String server) implements ServerAction {
        @Override
        public List<String> commands() {
            return List.of("set server " + target() + " state drain", "set server " + target() + " health down",
                    "set server " + target() + " state ready");
        }
    }

    /** Not the leader, yet counted up (a fresh worker counts every server up until its first check fails). */
    record MarkDown(String backend, String server) implements ServerAction {
        @Override
        public List<String> commands() {
            return List.of("set server " + target() + " health down");
        }
    }
}
