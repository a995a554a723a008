package io.pgha.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code consul} section, with Patroni's keys: the local agent ({@code host} or {@code url},
 * {@code scheme}), its ACL {@code token}, TLS ({@code verify}, {@code cacert}, {@code cert},
 * {@code key}), the datacenter, the read {@code consistency}, the session's health {@code checks}
 * and the service registration with the agent.
 */
public record ConsulConfig(HostPort host, String scheme, Optional<String> token, boolean registerService,
                           boolean verify, Optional<Path> cacert, Optional<Path> cert, Optional<Path> key,
                           Optional<String> dc, String consistency, Optional<List<String>> checks,
                           Duration serviceCheckInterval, List<String> serviceTags) implements DcsConfig {
    public static final HostPort DEFAULT_HOST = new HostPort("127.0.0.1", 8500);
    public static final Duration DEFAULT_SERVICE_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Consul's minimum session TTL (https://developer.hashicorp.com/consul/api-docs/session#ttl). */
    public static final Duration MIN_SESSION_TTL = Duration.ofSeconds(10);
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static final Keys KEYS = Keys.of("host", "url", "scheme", "token", "register_service", "verify", "cacert", "cert", "key",
                    "dc", "consistency", "checks", "service_check_interval", "service_tags")
            .unsupported("port", "service_check_tls_server_name");

    public ConsulConfig {
        Objects.requireNonNull(host, "host");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https, got " + scheme);
        }
        Objects.requireNonNull(token, "token");
        if (!List.of("default", "consistent", "stale").contains(consistency)) {
            throw new IllegalArgumentException("consistency must be default, consistent or stale, got " + consistency);
        }
        checks = checks.map(List::copyOf);
        serviceTags = List.copyOf(serviceTags);
    }

    /** Patroni's defaults for everything but the agent, the scheme, the token and registration. */
    public ConsulConfig(HostPort host, String scheme, Optional<String> token, boolean registerService) {
        this(host, scheme, token, registerService, true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "default", Optional.empty(), DEFAULT_SERVICE_CHECK_INTERVAL, List.of());
    }

    /** {@code scheme://host:port} of the local agent. */
    public URI agentUri() {
        String h = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
        return URI.create(scheme + "://" + h + ":" + host.port());
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    static ConsulConfig read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        HostPort host = n.get("host").hostPort().orElse(DEFAULT_HOST);
        String scheme = n.get("scheme").oneOf("http", "https").orElse("http");
        Optional<URI> url = url(n.get("url"));
        if (url.isPresent()) {
            if (n.get("host").isPresent()) {
                n.get("url").problem("give either host or url, not both");
            }
            if (n.get("scheme").isPresent() && !url.get().getScheme().equals(scheme)) {
                n.get("scheme").problem("is " + scheme + " but url says " + url.get().getScheme());
            }
            host = new HostPort(url.get().getHost().replace("[", "").replace("]", ""), url.get().getPort());
            scheme = url.get().getScheme();
        }
        Optional<String> token = n.get("token").string();
        boolean register = n.get("register_service").bool(false);
        boolean verify = n.get("verify").bool(true);
        Optional<Path> cacert = n.get("cacert").filePath();
        Optional<Path> cert = n.get("cert").filePath();
        Optional<Path> key = n.get("key").filePath();
        Etcd3Config.requireCertWithKey(n);
        if ((n.get("cacert").isPresent() || n.get("cert").isPresent()) && scheme.equals("http")) {
            n.get("scheme").problem("is http, but cacert/cert are given; use https");
        }
        Optional<String> dc = n.get("dc").string();
        String consistency = n.get("consistency").oneOf("default", "consistent", "stale").orElse("default");
        Optional<List<String>> checks = n.get("checks").isPresent() ? Optional.of(n.get("checks").strings()) : Optional.empty();
        Duration interval = interval(n.get("service_check_interval"));
        List<String> tags = n.get("service_tags").isPresent() ? n.get("service_tags").strings() : List.of();
        return n.problems().addedSince(mark) ? null : new ConsulConfig(host, scheme, token, register, verify, cacert, cert, key,
                dc, consistency, checks, interval, tags);
    }

    /** {@code http(s)://host:port}, as Patroni's {@code url}. */
    private static Optional<URI> url(Node n) {
        return n.string().flatMap(s -> {
            try {
                URI u = new URI(s);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
                    n.problem("expected http(s)://host:port, got " + Values.describe(s));
                    return Optional.empty();
                }
                return Optional.of(u);
            } catch (URISyntaxException e) {
                n.problem("not a URL: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    /** Seconds as a number, or Consul's duration text ({@code 5s}, {@code 500ms}, {@code 1m}). */
    private static Duration interval(Node n) {
        if (n.value() instanceof String s) {
            Matcher m = GO_DURATION.matcher(s.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                n.problem("expected a positive duration such as 5s or 500ms, got " + Values.describe(s));
                return DEFAULT_SERVICE_CHECK_INTERVAL;
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        return n.positiveSeconds().orElse(DEFAULT_SERVICE_CHECK_INTERVAL);
    }
}
