package io.pgha.rest;

import io.pgha.config.Credentials;
import io.pgha.config.HostPort;
import io.pgha.config.RestApiConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** restapi sections for tests: loopback, a port the test replaces with 0 (any free port). */
final class TestConfigs {
    private TestConfigs() {
    }

    static RestApiConfig open() {
        return new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static RestApiConfig guarded(Optional<Credentials> auth, List<String> allowlist) {
        return new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), auth, allowlist,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static RestApiConfig tls(Path cert, Path key) {
        return new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), Optional.empty(), List.of(),
                Optional.of(cert), Optional.of(key), Optional.empty());
    }
}
