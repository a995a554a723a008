package io.pgha.haproxy.service;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One HAProxy service in Pigsty's shape: clients connect to {@code port}; HAProxy sends them to the
 * members the {@code selector} picks (those the {@code backup} selector picks only when no other is
 * up), on {@code destination}, among those passing {@code OPTIONS <check>} on their REST API.
 *
 * @param bindAddress empty: the node-wide {@code haproxy.bind}
 * @param options     extra lines for the {@code listen} section, as Pigsty's {@code options}
 */
public record Service(
        String name,
        int port,
        Optional<String> bindAddress,
        Selector selector,
        Optional<Selector> backup,
        Destination destination,
        String check,
        int maxconn,
        String balance,
        List<String> options) {

    public static final Set<String> BALANCE = Set.of("roundrobin", "leastconn", "first", "static-rr", "source");
    /** Health paths that pass only on the leader: the services behind them are the ones the bridge steers. */
    private static final Set<String> LEADER_ONLY_PATHS = Set.of("/", "/primary", "/master", "/read-write", "/leader");

    public Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(balance, "balance");
        options = List.copyOf(options);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        if (!check.startsWith("/")) {
            throw new IllegalArgumentException("check must be a path starting with /, got " + check);
        }
        if (!BALANCE.contains(balance)) {
            throw new IllegalArgumentException("balance must be one of " + BALANCE + ", got " + balance);
        }
    }

    /**
     * Whether only the leader passes this service's check ({@code /primary} and its aliases): the
     * bridge moves these services itself on a leader change instead of waiting for checks.
     */
    public boolean leaderOnly() {
        int q = check.indexOf('?');
        String path = q < 0 ? check : check.substring(0, q);
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return LEADER_ONLY_PATHS.contains(path);
    }

    /** Whether which members are servers (or backups) changes when the leader changes. */
    public boolean dependsOnLeader() {
        return selector.dependsOnLeader() || backup.map(Selector::dependsOnLeader).orElse(false);
    }

}
