package io.pgha.haproxy.cli;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.Dcs;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.config.HaproxySettingsReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This node's pgha.yml with its {@code haproxy} section checked, and how to reach the DCS. */
record NodeSetup(PghaConfig config, HaproxySettings haproxy) {

    /** @throws ConfigException listing every problem of the file and of its haproxy section */
    static NodeSetup load(Path file) {
        PghaConfig cfg = PghaConfig.load(file, System.getenv());
        List<ConfigProblem> problems = new ArrayList<>();
        HaproxySettings settings = null;
        try {
            settings = HaproxySettingsReader.read(cfg.haproxy(), cfg.scope());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new NodeSetup(cfg, settings);
    }

    /** Where the cluster's state is, for messages: {@code etcd [hosts]} or {@code consul <agent>}. */
    String dcsName() {
        return config.etcd3().map(e -> "etcd " + e.hosts())
                .orElseGet(() -> "consul " + config.consul().orElseThrow().agentUri());
    }

    Dcs openDcs() {
        return Dcs.open(config, config.bootstrapTiming().retryTimeout());
    }
}
