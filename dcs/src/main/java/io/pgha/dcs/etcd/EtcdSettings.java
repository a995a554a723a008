package io.pgha.dcs.etcd;

import io.pgha.config.Credentials;
import io.pgha.config.Etcd3Config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach etcd: every endpoint of the cluster (we fail over between them ourselves),
 * credentials, TLS files (PEM; the key in PKCS#8), and the retry deadline every call must meet.
 */
public record EtcdSettings(
        List<URI> endpoints,
        Optional<String> username,
        Optional<String> password,
        Optional<Path> caCert,
        Optional<Path> cert,
        Optional<Path> key,
        Duration retryTimeout) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd3: at least one endpoint is required");
        }
        if (retryTimeout.isZero() || retryTimeout.isNegative()) {
            throw new IllegalArgumentException("etcd3: retry_timeout must be positive");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("etcd3: cert and key must be given together");
        }
    }

    /** What the {@code etcd3} section says; {@code retryTimeout} comes from the resolved timing. */
    public static EtcdSettings of(Etcd3Config config, Duration retryTimeout) {
        return new EtcdSettings(config.endpoints(), config.credentials().map(Credentials::username),
                config.credentials().map(Credentials::password), config.cacert(), config.cert(), config.key(), retryTimeout);
    }

    public static EtcdSettings plain(List<String> endpoints, Duration retryTimeout) {
        return new EtcdSettings(endpoints.stream().map(URI::create).toList(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), retryTimeout);
    }
}
