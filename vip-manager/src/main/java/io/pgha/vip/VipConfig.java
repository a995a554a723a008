package io.pgha.vip;

import io.pgha.config.ConfigException;
import io.pgha.config.ConsulConfig;
import io.pgha.config.DcsConfig;
import io.pgha.config.Etcd3Config;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.vip.net.VirtualIp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One VIP manager's configuration: vip-manager's keys (ip, netmask, interface, trigger-key,
 * trigger-value, dcs-type, dcs-endpoints, interval, retry-num, retry-after, etcd-*, consul-token) plus pgha's own
 * (ttl, loop-wait, dcs-loss-policy, failsafe-url, announce-count, announce-interval).
 */
public record VipConfig(
        VirtualIp vip,
        String interfaceName,
        KeyLayout layout,
        String triggerValue,
        DcsConfig dcs,
        Duration interval,
        Retry retry,
        Announcements announcements,
        DcsLossPolicy dcsLossPolicy) {

    public VipConfig {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(triggerValue, "triggerValue");
        Objects.requireNonNull(dcs, "dcs");
        Objects.requireNonNull(dcsLossPolicy, "dcsLossPolicy");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
    }

    /** The etcd section this file names; fails for dcs-type consul. */
    public Etcd3Config etcd() {
        if (dcs instanceof Etcd3Config e) {
            return e;
        }
        throw new IllegalStateException("dcs-type is consul, not etcd");
    }

    /** retry-num / retry-after: how often a failed bind, unbind or announcement is tried again at once. */
    public record Retry(int times, Duration pause) {
    }

    /** announce-count / announce-interval: gratuitous ARP (or NA) rounds after binding, and their spacing. */
    public record Announcements(int count, Duration spacing) {
        public Announcements {
            if (count < 1) {
                throw new IllegalArgumentException("at least one announcement");
            }
        }
    }

    /** Reads a vip-manager style YAML file; every problem is reported at once in the exception. */
    public static VipConfig load(Path file) throws ConfigException {
        return VipConfigReader.load(file, VipConfigReader::hostname);
    }

    /** One DCS read must end within max(interval, 1 s), as in vip-manager: the next poll is due by then. */
    public Duration dcsTimeout() {
        return interval.compareTo(Duration.ofSeconds(1)) > 0 ? interval : Duration.ofSeconds(1);
    }

    public String triggerKey() {
        return layout.leader();
    }

    /** One line for the start-up log; no password. */
    public String describe() {
        return vip + " on " + interfaceName + " while " + triggerKey() + " = " + triggerValue
                + " (" + (dcs instanceof ConsulConfig c ? "consul " + c.agentUri() : "etcd " + etcd().endpoints()) + ", interval " + interval.toMillis() + " ms, "
                + announcements.count() + " announcements " + announcements.spacing().toMillis() + " ms apart, on DCS loss "
                + policyText() + ")";
    }

    private String policyText() {
        if (dcsLossPolicy instanceof DcsLossPolicy.HoldWhileFailsafe h) {
            return "hold " + h.grace().toMillis() + " ms, then while " + h.failsafeUrl() + " reports failsafe leadership";
        }
        return "release after " + dcsLossPolicy.grace().toMillis() + " ms";
    }

    @Override
    public String toString() {
        return "VipConfig[" + describe() + "]";
    }
}
