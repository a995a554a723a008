package io.pgha.daemon;

import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.vip.VipConfig;
import io.pgha.vip.VipConfigReader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code vip} section of pgha.yml: the VIP manager inside the daemon. What a standalone
 * vip-manager file must spell out — trigger key and value, DCS endpoints, ttl and loop_wait — is
 * the daemon's own and filled in here, so the section needs only {@code ip}, {@code netmask} and
 * {@code interface}; anything else in it is read, and checked, as in a vip-manager file.
 */
final class DaemonVip {
    private DaemonVip() {
    }

    /** Empty when pgha.yml has no {@code vip} section; throws {@code ConfigException} naming what is wrong. */
    static Optional<VipConfig> config(PghaConfig config, Timing timing) {
        if (config.vip().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> tree = new LinkedHashMap<>(config.vip());
        tree.putIfAbsent("trigger-key", KeyLayout.of(config).leader());
        tree.putIfAbsent("trigger-value", config.name());
        tree.putIfAbsent("dcs-type", config.consul().isPresent() ? "consul" : "etcd3");
        config.etcd3().ifPresent(e -> tree.putIfAbsent("dcs-endpoints",
                List.copyOf(e.hosts().stream().map(h -> e.protocol() + "://" + h.host() + ":" + h.port()).toList())));
        config.consul().ifPresent(c -> {
            tree.putIfAbsent("dcs-endpoints", List.of(c.agentUri().toString()));
            c.token().ifPresent(t -> tree.putIfAbsent("consul-token", t));
        });
        tree.putIfAbsent("ttl", timing.ttl().toSeconds());
        tree.putIfAbsent("loop-wait", timing.loopWait().toSeconds());
        return Optional.of(VipConfigReader.read(tree, "vip", config::name));
    }
}
