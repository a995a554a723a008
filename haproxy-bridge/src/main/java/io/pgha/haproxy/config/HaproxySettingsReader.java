package io.pgha.haproxy.config;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.HaproxyCheckTiming;
import io.pgha.haproxy.service.DefaultServices;
import io.pgha.haproxy.service.Destination;
import io.pgha.haproxy.service.Selector;
import io.pgha.haproxy.service.SelectorParser;
import io.pgha.haproxy.service.Service;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code haproxy} section. Services merge over Pigsty's four defaults by name: an entry
 * named {@code primary} changes only the keys it gives (a test moves it to a free port with
 * {@code {name: primary, port: 15433}}); another name adds a service; {@code default_services: false}
 * starts from none. Every problem is collected and thrown together as a {@link ConfigException}.
 */
public final class HaproxySettingsReader {
    static final List<String> KEYS = List.of("config_file", "haproxy_bin", "runtime_socket", "master_socket", "state_file",
            "bind", "stats_listen", "maxconn", "slowstart", "check_timing", "default_services", "services", "check_ca_file", "check_crt",
            "check_verifyhost");
    static final List<String> SERVICE_KEYS = List.of("name", "port", "ip", "selector", "backup", "dest", "check", "maxconn",
            "balance", "options");
    static final List<String> TIMING_KEYS = List.of("inter", "fastinter", "downinter", "rise", "fall");
    /** HAProxy's identifier characters: proxy and server names must use only these. */
    public static final Pattern HAPROXY_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final Pattern ADDRESS = Pattern.compile("\\*|[A-Za-z0-9_.:-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final int PGBOUNCER_PORT = 6432;

    private HaproxySettingsReader() {
    }

    /**
     * @param section the parsed {@code haproxy} mapping (empty for all defaults)
     * @param scope   the cluster name, which prefixes every proxy name and so must be a valid HAProxy name
     */
    public static HaproxySettings read(Map<String, Object> section, String scope) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!HAPROXY_NAME.matcher(scope).matches()) {
            problems.add(new ConfigProblem("scope", "\"" + scope + "\" cannot name HAProxy proxies: use letters, digits, '-', '_', '.' or ':'"));
        }
        Field root = new Field("haproxy", section, problems);
        root.mapping(KEYS);
        Path configFile = path(root.get("config_file")).orElse(HaproxySettings.CONFIG_FILE);
        Path bin = path(root.get("haproxy_bin")).orElse(HaproxySettings.HAPROXY_BIN);
        Path runtime = path(root.get("runtime_socket")).orElse(HaproxySettings.RUNTIME_SOCKET);
        Path master = path(root.get("master_socket")).orElse(HaproxySettings.MASTER_SOCKET);
        Path state = path(root.get("state_file")).orElse(HaproxySettings.STATE_FILE);
        String bind = address(root.get("bind")).orElse(HaproxySettings.BIND);
        String stats = listen(root.get("stats_listen")).orElse(HaproxySettings.STATS_LISTEN);
        int maxconn = root.get("maxconn").integer(1, 10_000_000).orElse(HaproxySettings.MAXCONN);
        Duration slowstart = root.get("slowstart").seconds(Duration.ZERO).orElse(HaproxySettings.SLOWSTART);
        Optional<HaproxyCheckTiming> timing = timing(root.get("check_timing"));
        boolean defaults = root.get("default_services").bool().orElse(true);
        List<Service> services = services(root.get("services"), defaults ? DefaultServices.all() : List.of());
        checkPortsUnique(root.get("services"), services, stats);
        // Health checks of a REST API on HTTPS: the CA its certificate comes from, and the PEM
        // (certificate and key) HAProxy presents when the API has verify_client.
        Optional<Path> checkCa = path(root.get("check_ca_file"));
        Optional<Path> checkCrt = path(root.get("check_crt"));
        if (checkCrt.isPresent() && checkCa.isEmpty()) {
            root.get("check_crt").problem("needs check_ca_file: a client certificate is only sent on a verified connection");
        }
        // The name the REST API's certificate must carry: a fixed one, or "member" for the host in
        // each member's api_url. HAProxy checks it only on a verified connection.
        Optional<String> verifyHost = root.get("check_verifyhost").string();
        if (verifyHost.isPresent() && checkCa.isEmpty()) {
            root.get("check_verifyhost").problem("needs check_ca_file: a host name is only checked on a verified connection");
        }
        if (verifyHost.filter(h -> !h.matches("[A-Za-z0-9*][A-Za-z0-9_.:*-]*")).isPresent()) {
            root.get("check_verifyhost").problem("expected a host name or \"member\", got \"" + verifyHost.get() + "\"");
        }
        if (runtime.equals(master)) {
            root.get("master_socket").problem("must differ from runtime_socket (" + runtime + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new HaproxySettings(configFile, bin, runtime, master, state, bind, stats, maxconn, slowstart, timing, services,
                checkCa, checkCrt, verifyHost);
    }

    private static Optional<Path> path(Field f) {
        return f.string().flatMap(s -> {
            try {
                Path p = Path.of(s);
                if (!p.isAbsolute()) {
                    f.problem("must be an absolute path, got \"" + s + "\"");
                    return Optional.empty();
                }
                return Optional.of(p);
            } catch (InvalidPathException e) {
                f.problem("not a valid path: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    private static Optional<String> address(Field f) {
        return f.string().filter(s -> {
            if (!ADDRESS.matcher(s).matches()) {
                f.problem("expected * or an IP address or host name, got \"" + s + "\"");
                return false;
            }
            return true;
        });
    }

    /** {@code *:9101}, {@code 127.0.0.1:9101}, {@code [::1]:9101}. */
    private static Optional<String> listen(Field f) {
        return f.string().filter(s -> {
            int colon = s.lastIndexOf(':');
            boolean ok = colon > 0 && ADDRESS.matcher(s.substring(0, colon)).matches() && s.substring(colon + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(s.substring(colon + 1)) >= 1 && Integer.parseInt(s.substring(colon + 1)) <= 65535;
            if (!ok) {
                f.problem("expected address:port (e.g. *:9101), got \"" + s + "\"");
            }
            return ok;
        });
    }

    private static Optional<HaproxyCheckTiming> timing(Field f) {
        if (!f.isPresent() || !f.mapping(TIMING_KEYS)) {
            return Optional.empty();
        }
        Duration ms = Duration.ofMillis(1);
        Optional<Duration> inter = f.get("inter").seconds(ms);
        Optional<Duration> fastinter = f.get("fastinter").seconds(ms);
        Optional<Duration> downinter = f.get("downinter").seconds(ms);
        Optional<Integer> rise = f.get("rise").integer(1, 100);
        Optional<Integer> fall = f.get("fall").integer(1, 100);
        for (String key : TIMING_KEYS) {
            if (!f.get(key).isPresent()) {
                f.get(key).problem("required when check_timing is given (all of inter, fastinter, downinter, rise, fall)");
            }
        }
        if (inter.isEmpty() || fastinter.isEmpty() || downinter.isEmpty() || rise.isEmpty() || fall.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HaproxyCheckTiming(inter.get(), fastinter.get(), downinter.get(), rise.get(), fall.get()));
    }

    private static List<Service> services(Field f, List<Service> defaults) {
        Map<String, Service> byName = new LinkedHashMap<>();
        defaults.forEach(s -> byName.put(s.name(), s));
        for (Field item : f.items()) {
            if (!item.mapping(SERVICE_KEYS)) {
                continue;
            }
            Optional<String> name = item.get("name").string();
            if (!item.get("name").isPresent()) {
                item.get("name").problem("required");
            }
            if (name.isEmpty()) {
                continue;
            }
            if (!HAPROXY_NAME.matcher(name.get()).matches()) {
                item.get("name").problem("\"" + name.get() + "\" cannot name an HAProxy proxy: use letters, digits, '-', '_', '.' or ':'");
                continue;
            }
            service(item, Optional.ofNullable(byName.get(name.get()))).ifPresent(s -> byName.put(s.name(), s));
        }
        return List.copyOf(byName.values());
    }

    /** One service entry, over the default of the same name when there is one. */
    private static Optional<Service> service(Field item, Optional<Service> base) {
        String name = item.get("name").string().orElseThrow();
        Optional<Integer> port = item.get("port").integer(1, 65535);
        if (base.isEmpty() && !item.get("port").isPresent()) {
            item.get("port").problem("required for a service that is not one of the defaults (primary, replica, default, offline)");
        }
        Optional<String> ip = address(item.get("ip"));
        Optional<Selector> selector = selector(item.get("selector"));
        Field backupField = item.get("backup");
        Optional<Selector> backup = selector(backupField);
        Optional<Destination> dest = destination(item.get("dest"));
        Optional<String> check = item.get("check").string().filter(c -> {
            if (!c.startsWith("/") || c.chars().anyMatch(Character::isWhitespace)) {
                item.get("check").problem("expected a REST path such as /primary, /replica or /read-only, got \"" + c + "\"");
                return false;
            }
            return true;
        });
        Optional<Integer> maxconn = item.get("maxconn").integer(1, 10_000_000);
        Optional<String> balance = item.get("balance").string().filter(b -> {
            if (!Service.BALANCE.contains(b)) {
                item.get("balance").problem("expected one of " + String.join(", ", Service.BALANCE.stream().sorted().toList()) + ", got \"" + b + "\"");
                return false;
            }
            return true;
        });
        List<String> options = new ArrayList<>();
        for (Field o : item.get("options").items()) {
            o.string().ifPresent(options::add);
        }
        if (port.isEmpty() && base.isEmpty()) {
            return Optional.empty();
        }
        if (item.get("selector").isPresent() && selector.isEmpty() || backupField.isPresent() && backup.isEmpty()
                || item.get("dest").isPresent() && dest.isEmpty() || item.get("check").isPresent() && check.isEmpty()
                || item.get("ip").isPresent() && ip.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Service(name,
                port.orElseGet(() -> base.get().port()),
                ip.isPresent() ? ip : base.flatMap(Service::bindAddress),
                selector.orElseGet(() -> base.map(Service::selector).orElse(new Selector.All())),
                backupField.isPresent() ? backup : base.flatMap(Service::backup),
                dest.orElseGet(() -> base.map(Service::destination).orElse(new Destination.Postgres())),
                check.orElseGet(() -> base.map(Service::check).orElse("/primary")),
                maxconn.orElseGet(() -> base.map(Service::maxconn).orElse(DefaultServices.MAXCONN)),
                balance.orElseGet(() -> base.map(Service::balance).orElse("roundrobin")),
                item.get("options").isPresent() ? options : base.map(Service::options).orElse(List.of())));
    }

    private static Optional<Selector> selector(Field f) {
        if (!f.isPresent()) {
            return Optional.empty();
        }
        if (f.value() instanceof List<?> l && l.isEmpty()) {
            return Optional.of(new Selector.All()); // Pigsty's selector: "[]" read by YAML as an empty list
        }
        return f.string().flatMap(s -> {
            try {
                return Optional.of(SelectorParser.parse(s));
            } catch (IllegalArgumentException e) {
                f.problem(e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** {@code postgres}, {@code pgbouncer} (6432), or a port number on each member's host. */
    private static Optional<Destination> destination(Field f) {
        if (!f.isPresent()) {
            return Optional.empty();
        }
        if (f.value() instanceof Integer || f.value() instanceof Long) {
            return f.integer(1, 65535).map(Destination.Port::new);
        }
        return f.string().flatMap(s -> switch (s) {
            case "postgres" -> Optional.of(new Destination.Postgres());
            case "pgbouncer" -> Optional.of(new Destination.Port(PGBOUNCER_PORT));
            default -> {
                f.problem("expected postgres, pgbouncer or a port number, got \"" + s + "\"");
                yield Optional.empty();
            }
        });
    }

    private static void checkPortsUnique(Field services, List<Service> all, String statsListen) {
        Map<Integer, String> seen = new HashMap<>();
        seen.put(Integer.parseInt(statsListen.substring(statsListen.lastIndexOf(':') + 1)), "stats (stats_listen)");
        for (Service s : all) {
            String other = seen.putIfAbsent(s.port(), s.name());
            if (other != null) {
                services.problem("services " + other + " and " + s.name() + " both use port " + s.port());
            }
        }
    }
}
