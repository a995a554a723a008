package io.pgha.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration: where ({@code postgresql.data_dir}, {@code etcd3.hosts[1]},
 * {@code config.ttl}, or {@code (file)} for the file itself) and what, in words an operator can act on.
 */
public record ConfigProblem(String path, String message) {
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
