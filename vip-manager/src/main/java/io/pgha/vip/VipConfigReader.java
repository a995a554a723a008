package io.pgha.vip;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.Credentials;
import io.pgha.config.ConsulConfig;
import io.pgha.config.DcsConfig;
import io.pgha.config.Etcd3Config;
import io.pgha.config.HostPort;
import io.pgha.config.Keys;
import io.pgha.config.Node;
import io.pgha.config.Problems;
import io.pgha.config.Seconds;
import io.pgha.config.Values;
import io.pgha.config.YamlSource;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.vip.net.VirtualIp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a vip-manager configuration (the YAML file Pigsty renders as {@code vip-manager.yml}, or
 * the {@code vip:} section of pgha.yml) into a {@link VipConfig}. vip-manager's keys mean what they
 * mean there; keys vip-manager once had under other names, or that Pigsty writes but vip-manager
 * never read, are reported with what to write instead. It lives in this package to share the
 * pgha.yml readers' tree walker, so both files report problems the same way.
 */
public final class VipConfigReader {
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:2379";
    static final String DEFAULT_CONSUL_ENDPOINT = "http://127.0.0.1:8500";
    static final String DEFAULT_FAILSAFE_URL = "http://127.0.0.1:8008/patroni";

    private static final Keys KEYS = Keys.of(
                    // vip-manager's own keys
                    "ip", "netmask", "interface", "trigger-key", "trigger-value", "dcs-type", "dcs-endpoints",
                    "etcd-user", "etcd-password", "etcd-ca-file", "etcd-cert-file", "etcd-key-file", "consul-token",
                    "interval", "retry-num", "retry-after", "manager-type", "verbose",
                    // pgha's additions
                    "ttl", "loop-wait", "dcs-loss-policy", "failsafe-url", "failsafe-ca-file", "announce-count", "announce-interval")
            .unsupported("hosting-type", "vip-manager never read this key; it is manager-type, and only basic is supported")
            .unsupported("mask", "renamed netmask in vip-manager 1.0")
            .unsupported("iface", "renamed interface in vip-manager 1.0")
            .unsupported("key", "renamed trigger-key in vip-manager 1.0")
            .unsupported("nodename", "renamed trigger-value in vip-manager 1.0")
            .unsupported("endpoint_type", "renamed dcs-type in vip-manager 1.0")
            .unsupported("endpoints", "renamed dcs-endpoints in vip-manager 1.0")
            .unsupported("hosting_type", "renamed manager-type in vip-manager 1.0")
            .unsupported("retry_num", "renamed retry-num in vip-manager 1.0")
            .unsupported("retry_after", "renamed retry-after in vip-manager 1.0");

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]+");
    private static final Pattern INTERFACE = Pattern.compile("[^/\\s:]{1,15}");

    private VipConfigReader() {
    }

    public static VipConfig load(Path file, Supplier<String> hostname) {
        return parse(YamlSource.readText(file), file.toString(), hostname);
    }

    /** Reads YAML text; {@code source} names it in syntax errors ("" when it has no file). */
    public static VipConfig parse(String yaml, String source, Supplier<String> hostname) {
        Object document = YamlSource.parse(yaml, source);
        if (document == null) {
            throw new ConfigException(new ConfigProblem(YamlSource.FILE, "is empty; expected ip, netmask, interface, trigger-key, trigger-value and dcs-endpoints"));
        }
        return read(document, "", hostname);
    }

    /**
     * Reads a parsed tree. {@code prefix} names where it sits in the file ("" for a vip-manager
     * file, "vip" for the section of pgha.yml) so problems point at the right line.
     */
    public static VipConfig read(Object tree, String prefix, Supplier<String> hostname) {
        Problems problems = new Problems();
        Node root = Node.root(tree, prefix, problems);
        if (!(root.value() instanceof Map<?, ?>)) {
            root.problem("expected a mapping with ip, netmask, interface, trigger-key, ..., got " + Values.describe(root.value()));
            problems.throwIfAny();
        }
        root.mapping(KEYS);

        Optional<VirtualIp> vip = vip(root.get("ip"), root.get("netmask"));
        Optional<String> interfaceName = interfaceName(root.get("interface").required());
        boolean consul = dcsType(root.get("dcs-type"));
        Optional<KeyLayout> layout = triggerKey(root.get("trigger-key").required("the leader key, <namespace>/<scope>/leader"), consul);
        String triggerValue = root.get("trigger-value").string().orElseGet(hostname);
        root.get("manager-type").oneOf("basic");
        boolean verbose = root.get("verbose").bool(false);
        Optional<Duration> interval = millis(root.get("interval"), 10);
        Optional<Integer> retryNum = wholeNumber(root.get("retry-num"), 0, 100);
        Optional<Duration> retryAfter = millis(root.get("retry-after"), 0);
        Optional<Integer> announceCount = wholeNumber(root.get("announce-count"), 1, 100);
        Optional<Duration> announceInterval = millis(root.get("announce-interval"), 10);
        Optional<Duration> ttl = positiveSeconds(root.get("ttl"));
        Optional<Duration> loopWait = positiveSeconds(root.get("loop-wait"));
        Optional<String> policy = root.get("dcs-loss-policy").oneOf("release", "hold-while-failsafe");
        Optional<URI> failsafeUrl = httpUrl(root.get("failsafe-url"));
        if (failsafeUrl.isPresent() && !policy.filter("hold-while-failsafe"::equals).isPresent()) {
            root.get("failsafe-url").problem("is only used with dcs-loss-policy: hold-while-failsafe");
        }
        Optional<Path> failsafeCa = existingFile(root.get("failsafe-ca-file"));
        if (failsafeCa.isPresent() && !failsafeUrl.filter(u -> "https".equals(u.getScheme())).isPresent()) {
            root.get("failsafe-ca-file").problem("is only used with an https failsafe-url");
        }
        List<URI> endpoints = consul && !root.get("dcs-endpoints").isPresent() ? List.of(URI.create(DEFAULT_CONSUL_ENDPOINT))
                : endpoints(root.get("dcs-endpoints"));
        Duration every = interval.orElse(Duration.ofSeconds(1));
        Optional<? extends DcsConfig> dcs = consul ? consul(root, endpoints) : etcd(root, endpoints);

        // Patroni's defaults (ttl 30, loop_wait 10) when not given, like Patroni itself.
        Duration t = ttl.orElse(Duration.ofSeconds(30));
        Duration l = loopWait.orElse(Duration.ofSeconds(10));
        Duration grace = t.minus(l);
        if (l.compareTo(t) >= 0) {
            root.get("loop-wait").problem("must be shorter than ttl (" + Seconds.format(l) + " s ≥ " + Seconds.format(t) + " s"
                    + "); set both as in the cluster's Patroni/pgha configuration");
        } else if (every.compareTo(grace) >= 0) {
            root.get("interval").problem("must be shorter than ttl − loop-wait (" + every.toMillis() + " ms ≥ "
                    + grace.toMillis() + " ms): the VIP may be held that long without a word from the DCS, "
                    + "so the DCS must be asked more often than that");
        }
        problems.throwIfAny();

        DcsLossPolicy lossPolicy = policy.filter("hold-while-failsafe"::equals).isPresent()
                ? new DcsLossPolicy.HoldWhileFailsafe(grace, failsafeUrl.orElse(URI.create(DEFAULT_FAILSAFE_URL)), failsafeCa)
                : new DcsLossPolicy.Release(grace);
        if (verbose) {
            // slf4j-simple reads per-logger levels when a logger is first created, which is after this.
            System.setProperty("org.slf4j.simpleLogger.log.io.pgha.vip", "debug");
        }
        return new VipConfig(vip.orElseThrow(), interfaceName.orElseThrow(), layout.orElseThrow(), triggerValue,
                dcs.orElseThrow(), every,
                new VipConfig.Retry(retryNum.orElse(3), retryAfter.orElse(Duration.ofMillis(250))),
                new VipConfig.Announcements(announceCount.orElse(5), announceInterval.orElse(Duration.ofSeconds(1))),
                lossPolicy);
    }

    /** {@code ip} (an address, or address/prefix) and {@code netmask} (prefix length in bits). */
    private static Optional<VirtualIp> vip(Node ipNode, Node netmaskNode) {
        Optional<String> text = ipNode.required().string();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String s = text.get().trim();
        Optional<Integer> cidrBits = Optional.empty();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            String bits = s.substring(slash + 1);
            if (!DIGITS.matcher(bits).matches()) {
                ipNode.problem("bad CIDR " + Values.describe(s) + ": the part after / must be a prefix length in bits");
                return Optional.empty();
            }
            cidrBits = Optional.of(Integer.parseInt(bits));
            s = s.substring(0, slash);
        }
        Optional<InetAddress> address = literal(s);
        if (address.isEmpty()) {
            ipNode.problem("not an IPv4 or IPv6 address: " + Values.describe(text.get()));
            return Optional.empty();
        }
        InetAddress a = address.get();
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isMulticastAddress() || a.isLinkLocalAddress()) {
            ipNode.problem("must be a unicast address other hosts can reach, got " + VirtualIp.text(a));
            return Optional.empty();
        }
        int max = a instanceof Inet4Address ? 32 : 128;
        Optional<Integer> netmask = wholeNumber(netmaskNode, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (cidrBits.isPresent() && netmask.isPresent() && !cidrBits.equals(netmask)) {
            netmaskNode.problem("is " + netmask.get() + " but ip says /" + cidrBits.get() + "; give one of them");
            return Optional.empty();
        }
        Optional<Integer> bits = cidrBits.or(() -> netmask);
        if (bits.isEmpty()) {
            if (!netmaskNode.isPresent()) {
                netmaskNode.problem("required (prefix length in bits, e.g. 24), or write ip as address/bits");
            }
            return Optional.empty();
        }
        if (bits.get() < 1 || bits.get() > max) {
            (cidrBits.isPresent() ? ipNode : netmaskNode).problem("bad CIDR: prefix length must be 1.." + max + " for "
                    + VirtualIp.text(a) + ", got " + bits.get());
            return Optional.empty();
        }
        return Optional.of(new VirtualIp(a, bits.get()));
    }

    /** Only literals: a host name here would make the VIP depend on DNS at every start. */
    private static Optional<InetAddress> literal(String s) {
        var v4 = IPV4.matcher(s);
        if (v4.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(v4.group(g)) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> interfaceName(Node n) {
        return n.string().filter(s -> {
            if (!INTERFACE.matcher(s).matches()) {
                n.problem("not an interface name (at most 15 characters, no '/', ':' or spaces): " + Values.describe(s));
                return false;
            }
            return true;
        });
    }

    /** Patroni's leader key, {@code <namespace>/<scope>/leader}: the scope is the segment before "leader". */
    private static Optional<KeyLayout> triggerKey(Node n, boolean consul) {
        return n.string().flatMap(s -> {
            // Consul keys have no leading slash; vip-manager's consul mode takes the key either way.
            String key = consul && !s.trim().startsWith("/") ? "/" + s.trim() : s.trim();
            String[] parts = key.split("/", -1);
            if (!key.startsWith("/") || parts.length < 3 || !parts[parts.length - 1].equals("leader")
                    || parts[parts.length - 2].isEmpty()) {
                n.problem("must be a Patroni leader key, <namespace>/<scope>/leader (e.g. /pg/pg-test/leader), got "
                        + Values.describe(s));
                return Optional.empty();
            }
            String scope = parts[parts.length - 2];
            String namespace = key.substring(0, key.length() - ("/" + scope + "/leader").length());
            return Optional.of(new KeyLayout(namespace.isEmpty() ? "/" : namespace, scope));
        });
    }

    /** Whether {@code dcs-type} is consul; etcd and etcd3 (the default) are false. */
    private static boolean dcsType(Node n) {
        Optional<String> type = n.string();
        if (type.isEmpty() || type.get().equals("etcd") || type.get().equals("etcd3")) {
            return false;
        }
        if (type.get().equals("consul")) {
            return true;
        }
        if (type.get().equals("patroni")) {
            n.problem("patroni is not supported yet by pgha vip; use etcd (or etcd3) or consul");
        } else {
            n.problem("expected etcd, etcd3 or consul, got " + Values.describe(type.get()));
        }
        return false;
    }

    /** The local Consul agent: one endpoint, and consul-token; etcd's keys do not apply. */
    private static Optional<ConsulConfig> consul(Node root, List<URI> endpoints) {
        int mark = root.problems().mark();
        for (String etcdKey : List.of("etcd-user", "etcd-password", "etcd-ca-file", "etcd-cert-file", "etcd-key-file")) {
            if (root.get(etcdKey).isPresent()) {
                root.get(etcdKey).problem("is an etcd setting, but dcs-type is consul");
            }
        }
        if (endpoints.size() > 1) {
            root.get("dcs-endpoints").problem("lists " + endpoints.size() + " endpoints; with consul give the one local agent");
        }
        Optional<String> token = root.get("consul-token").string();
        if (root.problems().addedSince(mark) || endpoints.isEmpty()) {
            return Optional.empty();
        }
        URI agent = endpoints.get(0);
        return Optional.of(new ConsulConfig(new HostPort(agent.getHost(), agent.getPort()), agent.getScheme(), token, false));
    }

    /** A list, or one comma-separated string as vip-manager's flag takes it. */
    private static List<URI> endpoints(Node n) {
        if (!n.isPresent()) {
            return List.of(URI.create(DEFAULT_ENDPOINT));
        }
        List<Node> items = new ArrayList<>();
        if (n.value() instanceof String s) {
            String[] parts = s.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                items.add(n.element(i, parts[i].trim()));
            }
        } else {
            items.addAll(n.items());
        }
        if (items.isEmpty() && n.value() instanceof List<?>) {
            n.problem("must list at least one endpoint");
        }
        List<URI> out = new ArrayList<>();
        for (Node item : items) {
            item.required().string().ifPresent(s -> {
                try {
                    URI uri = new URI(s.trim());
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                            || uri.getPort() < 1) {
                        item.problem("expected http://host:port or https://host:port, got " + Values.describe(s));
                    } else {
                        out.add(uri);
                    }
                } catch (URISyntaxException e) {
                    item.problem("not a URL: " + Values.describe(s));
                }
            });
        }
        return out;
    }

    private static Optional<Etcd3Config> etcd(Node root, List<URI> endpoints) {
        int mark = root.problems().mark();
        Node user = root.get("etcd-user");
        Node password = root.get("etcd-password");
        Optional<String> u = user.string();
        Optional<String> p = password.string();
        if (password.isPresent() && !user.isPresent()) {
            user.problem("required together with etcd-password");
        }
        Optional<Path> ca = existingFile(root.get("etcd-ca-file"));
        Optional<Path> cert = existingFile(root.get("etcd-cert-file"));
        Optional<Path> key = existingFile(root.get("etcd-key-file"));
        if (root.get("etcd-cert-file").isPresent() != root.get("etcd-key-file").isPresent()) {
            (root.get("etcd-cert-file").isPresent() ? root.get("etcd-key-file") : root.get("etcd-cert-file"))
                    .problem("etcd-cert-file and etcd-key-file must be given together");
        }
        boolean tls = root.get("etcd-ca-file").isPresent() || root.get("etcd-cert-file").isPresent();
        if (tls) {
            for (URI e : endpoints) {
                if (!"https".equals(e.getScheme())) {
                    root.get("dcs-endpoints").problem(e + " is http, but etcd TLS files are given; use https");
                    break;
                }
            }
        }
        List<String> schemes = endpoints.stream().map(URI::getScheme).distinct().toList();
        if (schemes.size() > 1) {
            root.get("dcs-endpoints").problem("mixes http and https; the members of one etcd cluster speak one of them");
        }
        if (root.problems().addedSince(mark) || endpoints.isEmpty()) {
            return Optional.empty();
        }
        List<HostPort> hosts = endpoints.stream().map(e -> new HostPort(e.getHost(), e.getPort())).toList();
        Optional<Credentials> credentials = u.map(name -> new Credentials(name, p.orElse("")));
        return Optional.of(new Etcd3Config(hosts, schemes.get(0), credentials, ca, cert, key));
    }

    private static Optional<Path> existingFile(Node n) {
        return n.filePath().filter(p -> {
            if (!Files.isRegularFile(p)) {
                n.problem("no such file: " + p);
                return false;
            }
            if (!Files.isReadable(p)) {
                n.problem("cannot read " + p + ": permission denied");
                return false;
            }
            return true;
        });
    }

    /** An integer given as a number or as a string of digits (vip-manager's flags are strings). */
    private static Optional<Integer> wholeNumber(Node n, int min, int max) {
        Object v = n.value();
        if (v == null) {
            return Optional.empty();
        }
        long value;
        if (v instanceof Integer || v instanceof Long) {
            value = ((Number) v).longValue();
        } else if (v instanceof String s && DIGITS.matcher(s.trim()).matches() && s.trim().length() < 10) {
            value = Long.parseLong(s.trim());
        } else {
            n.problem("expected a whole number, got " + Values.describe(v));
            return Optional.empty();
        }
        if (value < min || value > max) {
            n.problem("must be " + min + ".." + max + ", got " + value);
            return Optional.empty();
        }
        return Optional.of((int) value);
    }

    /** Milliseconds, as vip-manager writes interval and retry-after. */
    private static Optional<Duration> millis(Node n, int min) {
        return wholeNumber(n, min, 3_600_000).map(Duration::ofMillis);
    }

    /** Seconds, as Patroni writes ttl and loop_wait. */
    private static Optional<Duration> positiveSeconds(Node n) {
        Optional<Duration> d = n.seconds();
        if (d.isPresent() && (d.get().isNegative() || d.get().isZero())) {
            n.problem("must be > 0 seconds (got " + Seconds.format(d.get()) + ")");
            return Optional.empty();
        }
        return d;
    }

    private static Optional<URI> httpUrl(Node n) {
        return n.string().flatMap(s -> {
            try {
                URI uri = new URI(s.trim());
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            n.problem("expected an http(s) URL such as " + DEFAULT_FAILSAFE_URL + ", got " + Values.describe(s));
            return Optional.empty();
        });
    }

    /** vip-manager's default trigger-value: this machine's host name (the kernel's, no DNS). */
    public static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
