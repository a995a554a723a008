package io.pgha.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@code etcd3} section: every endpoint of the etcd cluster, credentials and TLS files. */
public record Etcd3Config(
        List<HostPort> hosts,
        String protocol,
        Optional<Credentials> credentials,
        Optional<Path> cacert,
        Optional<Path> cert,
        Optional<Path> key) implements DcsConfig {

    static final Keys KEYS = Keys.of("host", "hosts", "protocol", "username", "password", "cacert", "cert", "key")
            .unsupported("url", "proxy", "srv", "srv_suffix", "use_proxies");

    public Etcd3Config {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd host is required");
        }
        if (!protocol.equals("http") && !protocol.equals("https")) {
            throw new IllegalArgumentException("protocol must be http or https, got " + protocol);
        }
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(cacert, "cacert");
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("cert and key must be given together");
        }
    }

    /**
     * Plain-HTTP endpoints without credentials: what {@code --dcs http://…} on the command line and
     * the demo's loopback etcd mean.
     */
    public static Etcd3Config plain(List<URI> endpoints) {
        List<HostPort> hosts = endpoints.stream().map(u -> new HostPort(u.getHost(), u.getPort())).toList();
        return new Etcd3Config(hosts, "http", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code http://127.0.0.1:2379}, one per host, in the order given. */
    public List<URI> endpoints() {
        return hosts.stream().map(h -> URI.create(protocol + "://" + h)).toList();
    }

    static Etcd3Config read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        List<HostPort> hosts = hosts(n);
        Optional<Credentials> credentials = Credentials.readPair(n);
        Optional<Path> cacert = n.get("cacert").filePath();
        Optional<Path> cert = n.get("cert").filePath();
        Optional<Path> key = n.get("key").filePath();
        requireCertWithKey(n);
        boolean tls = n.get("cacert").isPresent() || n.get("cert").isPresent();
        Optional<String> protocol = n.get("protocol").oneOf("http", "https");
        if (tls && protocol.filter("http"::equals).isPresent()) {
            n.get("protocol").problem("is http, but cacert/cert are given; use https");
        }
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new Etcd3Config(hosts, protocol.orElse(tls ? "https" : "http"), credentials, cacert, cert, key);
    }

    /** {@code host} (one) or {@code hosts} (a list, or a comma-separated string as Patroni allows). */
    private static List<HostPort> hosts(Node n) {
        Node host = n.get("host");
        Node hosts = n.get("hosts");
        if (host.isPresent() && hosts.isPresent()) {
            host.problem("give either host or hosts, not both");
            return List.of();
        }
        if (host.isPresent()) {
            return host.hostPort().map(List::of).orElse(List.of());
        }
        if (!hosts.isPresent()) {
            hosts.problem("required (or host)");
            return List.of();
        }
        List<Node> items = new ArrayList<>();
        if (hosts.value() instanceof String s) {
            String[] parts = s.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                items.add(hosts.element(i, parts[i].trim()));
            }
        } else {
            items.addAll(hosts.items());
        }
        List<HostPort> out = new ArrayList<>();
        for (Node item : items) {
            item.required().hostPort().ifPresent(out::add);
        }
        if (items.isEmpty() && hosts.value() instanceof List<?>) {
            hosts.problem("must list at least one host:port");
        }
        return out;
    }

    /** A client certificate and its key come together, in the etcd3 section and the consul one alike. */
    static void requireCertWithKey(Node n) {
        if (n.get("cert").isPresent() && !n.get("key").isPresent()) {
            n.get("key").problem("required together with cert");
        }
        if (n.get("key").isPresent() && !n.get("cert").isPresent()) {
            n.get("cert").problem("required together with key");
        }
    }
}
