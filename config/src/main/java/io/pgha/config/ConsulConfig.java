package io.pgha.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code consul} section. Parsed and validated now so a file written for it is checked; the
 * Consul backend itself comes later.
 */
public record ConsulConfig(HostPort host, String scheme, Optional<String> token, boolean registerService) implements DcsConfig {
    public static final HostPort DEFAULT_HOST = new HostPort("127.0.0.1", 8500);

    static final Keys KEYS = Keys.of("host", "scheme", "token", "register_service")
            .unsupported("url", "port", "verify", "cacert", "cert", "key", "dc", "consistency", "checks", "service_tags",
                    "service_check_interval", "service_check_tls_server_name");

    public ConsulConfig {
        Objects.requireNonNull(host, "host");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https, got " + scheme);
        }
        Objects.requireNonNull(token, "token");
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
        Optional<String> token = n.get("token").string();
        boolean register = n.get("register_service").bool(false);
        return n.problems().addedSince(mark) ? null : new ConsulConfig(host, scheme, token, register);
    }
}
