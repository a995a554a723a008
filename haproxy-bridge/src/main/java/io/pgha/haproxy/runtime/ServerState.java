package io.pgha.haproxy.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code show servers state}: the server's operational state (is it taking traffic)
 * and its administrative flags (did someone put it in maintenance or drain).
 */
public record ServerState(String backend, String server, int operational, int admin, int checkResult, int checkHealth) {
    /** srv_op_state values. */
    public static final int STOPPED = 0;
    public static final int STARTING = 1;
    public static final int RUNNING = 2;
    public static final int STOPPING = 3;
    /** srv_admin_state bits: forced maintenance (CLI), inherited, configured ({@code disabled}), forced drain. */
    public static final int FORCED_MAINT = 0x01;
    public static final int ANY_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
    public static final int FORCED_DRAIN = 0x08;
    /** srv_check_result: never checked yet (a fresh worker counts such a server up), and passed. */
    public static final int CHECK_UNKNOWN = 0;
    public static final int CHECK_PASSED = 3;

    /** Taking (or ramping up to take) new connections, as far as health goes. */
    public boolean up() {
        return operational == RUNNING || operational == STARTING;
    }

    /** Its last health check passed: up because HAProxy checked it, not only because a fresh worker starts that way. */
    public boolean checkPassed() {
        return checkResult == CHECK_PASSED;
    }

    public boolean inMaintenance() {
        return (admin & ANY_MAINT) != 0;
    }

    public boolean forcedMaintenance() {
        return (admin & FORCED_MAINT) != 0;
    }

    public boolean draining() {
        return (admin & FORCED_DRAIN) != 0;
    }

    /** Gets new connections: up and neither in maintenance nor draining. */
    public boolean routable() {
        return up() && !inMaintenance() && !draining();
    }

    /**
     * Parses the answer to {@code show servers state} (format version 1): a version line, a
     * {@code #} header, then one line per server with backend id, backend name, server id, server
     * name, address, op state, admin state, …, check result and check health in the 12th and 13th columns.
     */
    public static List<ServerState> parse(String answer) {
        List<ServerState> out = new ArrayList<>();
        for (String line : answer.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || !l.contains(" ")) {
                continue;
            }
            String[] f = l.split(" ");
            if (f.length < 13) {
                throw new IllegalArgumentException("unexpected line in show servers state: " + l);
            }
            out.add(new ServerState(f[1], f[3], Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[11]), Integer.parseInt(f[12])));
        }
        return out;
    }

    @Override
    public String toString() {
        String op = switch (operational) {
            case STOPPED -> "down";
            case STARTING -> "starting";
            case RUNNING -> "up";
            case STOPPING -> "stopping";
            default -> "op" + operational;
        };
        return backend + "/" + server + " " + op + (inMaintenance() ? " maint" : "") + (draining() ? " drain" : "");
    }
}
