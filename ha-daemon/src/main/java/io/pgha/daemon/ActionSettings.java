package io.pgha.daemon;

import io.pgha.config.DynamicConfig;
import io.pgha.config.Timing;
import io.pgha.postgres.Upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The dynamic configuration and timing the actions go by; the loop replaces them when the DCS config changes. */
final class ActionSettings {
    /** archive_mode, archive_command and restore_command when pgha.yml has a backup section; empty otherwise. */
    private final Map<String, String> archive;
    private volatile DynamicConfig dynamic;
    private volatile Timing timing;

    ActionSettings(Map<String, String> archive) {
        this.archive = Map.copyOf(archive);
    }

    void set(DynamicConfig d, Timing t) {
        this.dynamic = d;
        this.timing = t;
    }

    DynamicConfig dynamic() {
        return dynamic;
    }

    Timing timing() {
        return timing;
    }

    /**
     * The PostgreSQL parameters of the DCS config, written into postgresql.conf on every start and
     * reload. Every member archives (a promoted replica must not leave a gap). In a standby cluster
     * every member gets its apply delay and restore_command: a member that becomes standby leader
     * after a failover must not have replayed ahead of the delay.
     */
    Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>(dynamic.postgresql().parameters());
        p.putAll(archive);
        dynamic.standbyCluster().ifPresent(sc -> {
            sc.recoveryMinApplyDelay().ifPresent(d -> p.put("recovery_min_apply_delay", d));
            sc.restoreCommand().ifPresent(c -> p.put("restore_command", c));
        });
        return p;
    }

    /** The remote primary a standby cluster's leader replicates from; empty outside a standby cluster or without host. */
    Optional<Upstream> remotePrimary() {
        return dynamic.standbyCluster().filter(sc -> !sc.hosts().isEmpty())
                .map(sc -> Upstream.remote(sc.hostList(), sc.portList(), sc.primarySlotName()));
    }
}
