package io.pgha.dcs.consul;

import io.pgha.config.ConsulConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach the local Consul agent and what to ask of it: the agent's URI, ACL token, TLS files,
 * datacenter, the consistency of reads that safety does not hang on, the session's health checks,
 * and the deadline every call must meet.
 */
public record ConsulSettings(URI agent, Optional<String> token, boolean verify, Optional<Path> caCert, Optional<Path> cert,
                             Optional<Path> key, Optional<String> dc, String consistency, Optional<List<String>> checks,
                             Duration retryTimeout, Optional<ServiceRegistration> registration) {

    /** {@code register_service}: how each member announces itself to the agent. */
    public record ServiceRegistration(Duration checkInterval, List<String> tags) {
        public ServiceRegistration {
            tags = List.copyOf(tags);
        }
    }
    /** Consul refuses session TTLs below this (https://developer.hashicorp.com/consul/api-docs/session). */
    public static final long MIN_TTL_SECONDS = 10;
    public static final long MAX_TTL_SECONDS = 86400;

    public ConsulSettings {
        if (retryTimeout.isZero() || retryTimeout.isNegative()) {
            throw new IllegalArgumentException("consul: retry_timeout must be positive");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("consul: cert and key must be given together");
        }
        checks = checks.map(List::copyOf);
    }

    public static ConsulSettings of(ConsulConfig config, Duration retryTimeout) {
        return new ConsulSettings(config.agentUri(), config.token(), config.verify(), config.cacert(), config.cert(), config.key(),
                config.dc(), config.consistency(), config.checks(), retryTimeout,
                config.registerService() ? Optional.of(new ServiceRegistration(config.serviceCheckInterval(), config.serviceTags()))
                        : Optional.empty());
    }

    /** A plain-HTTP agent with no token, Patroni's defaults otherwise (tests, {@code pgha list --dcs consul://…}). */
    public static ConsulSettings plain(String hostPort, Optional<String> token, Duration retryTimeout) {
        return new ConsulSettings(URI.create("http://" + hostPort), token, true, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "default", Optional.empty(), retryTimeout, Optional.empty());
    }

    /** The same settings, members registering themselves as services with the agent. */
    public ConsulSettings registering(ServiceRegistration how) {
        return new ConsulSettings(agent, token, verify, caCert, cert, key, dc, consistency, checks, retryTimeout, Optional.of(how));
    }
}
