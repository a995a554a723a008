package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HAProxy services: {@code pg_default_services} (Pigsty's four when unset) then {@code pg_services},
 * with {@code dest: default} resolved through {@code pg_default_service_dest}.
 */
final class ServiceReader {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    static final String POSTGRES = "postgres";
    private static final String PGBOUNCER_FIX = "pgha does not provision pgbouncer: set dest: postgres (or default)";

    private ServiceReader() {
    }

    /** {@code pg_default_service_dest}: where {@code dest: default} goes; pgha has only postgres. */
    static String defaultDest(Node n) {
        Optional<String> s = n.string();
        if (s.isEmpty() || s.get().equals(POSTGRES)) {
            return POSTGRES;
        }
        if (s.get().equals("pgbouncer")) {
            n.problem("pgha does not provision pgbouncer: set pg_default_service_dest: postgres");
        } else {
            n.problem("expected postgres, got " + Values.describe(s.get()));
        }
        return POSTGRES;
    }

    static List<PgService> read(Node defaults, Node extra, String defaultDest, int pgPort, int restPort, Reading r) {
        List<PgService> out = new ArrayList<>();
        if (defaults.isPresent()) {
            out.addAll(list(defaults, defaultDest, r));
        } else {
            out.addAll(PgService.defaults(defaultDest));
        }
        out.addAll(list(extra, defaultDest, r));
        checkUnique(out, defaults, extra, pgPort, restPort);
        return out;
    }

    private static List<PgService> list(Node list, String defaultDest, Reading r) {
        String owner = list.path().substring(list.path().lastIndexOf('.') + 1);
        List<PgService> out = new ArrayList<>();
        for (Node item : list.items()) {
            if (!r.checkFields(item, ImplementedKeys.SERVICE_FIELDS, owner)) {
                continue;
            }
            Node nameNode = item.get("name").required();
            Optional<String> name = Read.matching(nameNode, s -> NAME.matcher(s).matches(), "lowercase letters, digits and '-'");
            Optional<Integer> port = Read.port(item.get("port").required());
            Optional<String> dest = dest(item.get("dest"), defaultDest);
            Node checkNode = item.get("check");
            Optional<String> check = Read.matching(checkNode, s -> s.startsWith("/"), "a REST API path such as /primary or /read-only");
            if (name.isPresent() && port.isPresent() && dest.isPresent() && (check.isPresent() || !checkNode.isPresent())) {
                // Pigsty's default check "/" is Patroni's primary check; pgha spells it out.
                out.add(new PgService(name.get(), port.get(), dest.get(), item.get("selector").string().orElse(PgService.ALL),
                        item.get("backup").string(), check.orElse("/primary")));
            }
        }
        return out;
    }

    private static Optional<String> dest(Node n, String defaultDest) {
        if (!n.isPresent()) {
            return Optional.of(defaultDest);
        }
        Optional<Long> port = Read.whole(n.value());
        if (port.isPresent()) {
            return Read.port(n).map(String::valueOf);
        }
        Optional<String> s = n.string();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        switch (s.get()) {
            case "default":
                return Optional.of(defaultDest);
            case POSTGRES:
                return s;
            case "pgbouncer":
                n.problem(PGBOUNCER_FIX);
                return Optional.empty();
            default:
                n.problem("expected default, postgres or a port number, got " + Values.describe(s.get()));
                return Optional.empty();
        }
    }

    /** Every member listens on every service port, so two services cannot share one, nor take PostgreSQL's or the REST API's. */
    private static void checkUnique(List<PgService> services, Node defaults, Node extra, int pgPort, int restPort) {
        Node where = extra.isPresent() ? extra : defaults;
        Map<String, String> names = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        for (PgService s : services) {
            if (names.putIfAbsent(s.name(), s.name()) != null) {
                where.problem("service " + s.name() + " is declared twice: service names must be unique");
            }
            String other = ports.putIfAbsent(s.port(), s.name());
            if (other != null) {
                where.problem("services " + other + " and " + s.name() + " both use port " + s.port());
            }
            if (s.port() == pgPort || s.port() == restPort) {
                where.problem("service " + s.name() + " uses port " + s.port() + ", which is "
                        + (s.port() == pgPort ? "pg_port" : "patroni_port") + ": pick another port");
            }
        }
    }
}
