package io.pgha.provision.apply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * @param restart        restart a running unit whose files changed (off by default: restarting pgha.service restarts PostgreSQL)
 * @param packageFiles   package name → a local .deb/.rpm to install instead of asking the host's repositories
 * @param healthTimeout  how long to wait for the cluster's own health between steps
 */
public record ApplyOptions(boolean restart, Map<String, Path> packageFiles, Duration healthTimeout) {
    public ApplyOptions {
        packageFiles = Map.copyOf(packageFiles);
    }
}
