package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pg_hba_rules} and {@code pg_default_hba_rules}: checks the aliases {@link HbaRules} will
 * expand, so a rule that cannot be rendered is refused with the file, not when pg_hba.conf is written.
 */
final class HbaRuleReader {
    static final Set<String> ADDRESS_ALIASES = Set.of("local", "localhost", "admin", "infra", "cluster", "intra",
            "intranet", "world", "all");
    static final Set<String> AUTH = Set.of("pwd", "ssl", "cert", "deny", "reject", "trust", "ident", "os", "peer", "md5",
            "scram-sha-256");
    static final List<String> USER_ALIASES = List.of("${dbsu}", "${repl}", "${monitor}", "${admin}");
    private static final Set<String> LOCAL_ONLY_AUTH = Set.of("peer");
    private static final Set<String> ADMIN_IP_ALIASES = Set.of("admin", "infra");

    private HbaRuleReader() {
    }

    static List<HbaRule> read(Node list, boolean adminIpSet, Reading r) {
        List<HbaRule> out = new ArrayList<>();
        int index = 0;
        for (Node item : list.items()) {
            if (r.checkFields(item, ImplementedKeys.HBA_FIELDS, list.path().substring(list.path().lastIndexOf('.') + 1))) {
                rule(item, index, adminIpSet).ifPresent(out::add);
            }
            index++;
        }
        return out;
    }

    private static Optional<HbaRule> rule(Node item, int index, boolean adminIpSet) {
        String role = role(item.get("role"));
        int order = Read.intIn(item.get("order"), 0, Integer.MAX_VALUE / 2, "a whole number ≥ 0")
                .orElse(HbaRule.DEFAULT_ORDER + index);
        Optional<String> title = item.get("title").string();
        Node rules = item.get("rules");
        if (rules.isPresent()) {
            if (item.get("user").isPresent() || item.get("addr").isPresent() || item.get("auth").isPresent()) {
                item.problem("a rule has either rules (raw pg_hba.conf lines) or user/db/addr/auth, not both");
                return Optional.empty();
            }
            List<String> lines = rules.strings();
            return lines.isEmpty() ? Optional.empty() : Optional.of(new HbaRule("", "", "", "", title, role, order, lines));
        }
        Optional<String> user = user(item.get("user"));
        Optional<String> db = item.get("db").string();
        Optional<String> addr = address(item.get("addr").required("an alias such as intra or world, or a CIDR"), adminIpSet);
        Optional<String> auth = auth(item.get("auth"), addr);
        if (addr.isEmpty() || auth.isEmpty() || (item.get("user").isPresent() && user.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new HbaRule(user.orElse("all"), db.orElse("all"), addr.get(), auth.get(), title, role, order, List.of()));
    }

    /** Pigsty's user aliases; any other {@code ${…}} would reach pg_hba.conf as a literal and match nobody. */
    private static Optional<String> user(Node n) {
        return Read.matching(n, s -> !s.startsWith("${") || USER_ALIASES.contains(s),
                "one of " + String.join(", ", USER_ALIASES) + " or a role name");
    }

    private static String role(Node n) {
        Optional<String> s = n.string();
        if (s.isPresent() && !HbaRule.ROLES.contains(s.get())) {
            n.problem("expected common, primary, replica or offline, got " + Values.describe(s.get()));
            return "common";
        }
        return s.orElse("common");
    }

    private static Optional<String> address(Node n, boolean adminIpSet) {
        return n.string().flatMap(s -> {
            if (ADDRESS_ALIASES.contains(s)) {
                if (ADMIN_IP_ALIASES.contains(s) && !adminIpSet) {
                    n.problem(s + " means the admin node: set admin_ip in all.vars");
                    return Optional.empty();
                }
                return Optional.of(s);
            }
            if (Addresses.cidr(s).isPresent() || Addresses.ip(s).isPresent()) {
                return Optional.of(s);
            }
            n.problem("expected local, localhost, admin, infra, cluster, intra, world, all or an address/prefix like 10.0.0.0/8, got "
                    + Values.describe(s));
            return Optional.empty();
        });
    }

    private static Optional<String> auth(Node n, Optional<String> addr) {
        if (!n.isPresent()) {
            return Optional.of("pwd");
        }
        return n.string().flatMap(s -> {
            if (!AUTH.contains(s)) {
                n.problem("expected pwd, ssl, cert, deny, trust, ident, peer, md5 or scram-sha-256, got " + Values.describe(s));
                return Optional.empty();
            }
            if ((s.equals("ssl") || s.equals("cert")) && addr.isPresent() && addr.get().equals("local")) {
                n.problem(s + " needs a TCP connection: use a network addr, or pwd/peer for local");
                return Optional.empty();
            }
            if (LOCAL_ONLY_AUTH.contains(s) && addr.isPresent() && !addr.get().equals("local")) {
                n.problem(s + " works on local (Unix socket) connections only: use addr: local, or ident/pwd for " + addr.get());
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }
}
