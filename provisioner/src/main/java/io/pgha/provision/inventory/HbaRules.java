package io.pgha.provision.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Renders a cluster's pg_hba.conf from its rules: pgha's defaults (or {@code pg_default_hba_rules})
 * and {@code pg_hba_rules}, sorted by {@code order} then declaration, with Pigsty's aliases expanded.
 * PostgreSQL takes the first matching line, so a {@code deny} must sort before the allow it narrows.
 * Pure: the same inventory always gives the same lines.
 */
public final class HbaRules {
    /** The private networks of RFC 1918, Pigsty's {@code intra}. */
    static final List<String> INTRA = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    /**
     * What pgha itself needs, in Pigsty's order numbers: the dbsu over the local socket, replication
     * and pg_rewind between the cluster's members only, the monitor and the admin by password from
     * the private networks, and the default roles' members by password. Unlike Pigsty, no hostssl
     * rules: pgha does not provision server certificates.
     */
    public static final List<HbaRule> PGHA_DEFAULTS = List.of(
            rule("${dbsu}", "all", "local", "peer", "dbsu over the local socket, as the OS user", 100),
            rule("${dbsu}", "replication", "local", "peer", "dbsu replication over the local socket", 150),
            rule("${dbsu}", "all", "localhost", "pwd", "dbsu from localhost: the pgha daemon connects so", 170),
            rule("${dbsu}", "postgres", "intra", "pwd", "dbsu from the private networks: a switchover leader reads its candidate's received WAL", 180),
            rule("${repl}", "replication", "localhost", "pwd", "replicator from localhost", 200),
            rule("${repl}", "replication", "intra", "pwd", "replication from the private networks", 250),
            rule("${repl}", "postgres", "intra", "pwd", "pg_rewind from the private networks", 300),
            rule("${monitor}", "all", "localhost", "pwd", "monitor from localhost", 350),
            rule("${monitor}", "all", "intra", "pwd", "monitor from the private networks", 400),
            rule("${admin}", "all", "localhost", "pwd", "admin from localhost", 450),
            rule("${admin}", "all", "intra", "pwd", "admin from the private networks", 500),
            rule("+dbrole_readonly", "all", "localhost", "pwd", "business users from localhost", 550),
            rule("+dbrole_readonly", "all", "intra", "pwd", "business users from the private networks", 600),
            new HbaRule("+dbrole_offline", "all", "intra", "pwd", Optional.of("offline users on offline members"), "offline",
                    650, List.of()));

    private HbaRules() {
    }

    private static HbaRule rule(String user, String db, String addr, String auth, String title, int order) {
        return new HbaRule(user, db, addr, auth, Optional.of(title), "common", order, List.of());
    }

    /**
     * The cluster-wide file: every rule whose role some member has. Members change roles on
     * failover, so a file shared by all of them cannot tell a primary from a replica.
     */
    public static List<String> lines(PgCluster cluster, Inventory inventory) {
        return render(cluster, inventory, rule -> cluster.hosts().stream().anyMatch(h -> applies(rule, h)));
    }

    /** One member's file, as Pigsty renders it: role-specific rules only where the member's initial role matches. */
    public static List<String> lines(PgCluster cluster, PgHost host, Inventory inventory) {
        return render(cluster, inventory, rule -> applies(rule, host));
    }

    /** replica rules hold on offline members too: they are replicas that also serve offline queries. */
    static boolean applies(HbaRule rule, PgHost host) {
        return switch (rule.role()) {
            case "primary" -> host.role() == PgRole.PRIMARY;
            case "replica" -> host.role() == PgRole.REPLICA || host.role() == PgRole.OFFLINE;
            case "offline" -> host.role() == PgRole.OFFLINE || host.offlineQuery();
            default -> true;
        };
    }

    private static List<String> render(PgCluster cluster, Inventory inventory, Predicate<HbaRule> wanted) {
        List<HbaRule> rules = new ArrayList<>(cluster.vars().defaultHbaRules());
        rules.addAll(cluster.vars().hbaRules());
        rules.sort(Comparator.comparingInt(HbaRule::order)); // stable: declaration order breaks ties
        List<String> out = new ArrayList<>();
        for (HbaRule rule : rules) {
            if (!wanted.test(rule)) {
                continue;
            }
            rule.title().ifPresent(t -> out.add("# " + t));
            if (rule.isRaw()) {
                out.addAll(rule.rawLines());
            } else {
                out.addAll(expand(rule, cluster, inventory.settings()));
            }
        }
        return out;
    }

    private static List<String> expand(HbaRule rule, PgCluster cluster, Settings settings) {
        String user = user(rule.user(), settings);
        String method = method(rule.auth());
        if (rule.addr().equals("local")) {
            return List.of(String.join(" ", "local", rule.db(), user, method));
        }
        String type = rule.auth().equals("ssl") || rule.auth().equals("cert") ? "hostssl" : "host";
        List<String> out = new ArrayList<>();
        for (String addr : addresses(rule.addr(), cluster, settings)) {
            out.add(String.join(" ", type, rule.db(), user, addr, method));
        }
        return out;
    }

    private static String user(String user, Settings s) {
        return switch (user) {
            case "${dbsu}" -> s.dbsu();
            case "${repl}" -> s.replicationUsername();
            case "${monitor}" -> s.monitorUsername();
            case "${admin}" -> s.adminUsername();
            default -> user;
        };
    }

    private static String method(String auth) {
        return switch (auth) {
            case "pwd", "ssl" -> "scram-sha-256";
            case "deny" -> "reject";
            case "os" -> "ident";
            default -> auth;
        };
    }

    private static List<String> addresses(String addr, PgCluster cluster, Settings settings) {
        return switch (addr) {
            case "localhost" -> List.of("127.0.0.1/32", "::1/128");
            case "admin", "infra" -> settings.adminIp().map(Addresses::hostCidr).map(List::of).orElse(List.of());
            case "cluster" -> cluster.hosts().stream().map(h -> Addresses.hostCidr(h.address())).toList();
            case "intra", "intranet" -> INTRA;
            case "world" -> List.of("0.0.0.0/0", "::/0");
            case "all" -> List.of("all");
            default -> List.of(addr.contains("/") ? addr : Addresses.hostCidr(addr));
        };
    }
}
