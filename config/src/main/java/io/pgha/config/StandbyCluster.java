package io.pgha.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Patroni's {@code standby_cluster} section of the dynamic config: this cluster's leader (the
 * standby leader) replicates from a primary outside the cluster instead of writing, and the
 * cluster's other members cascade from it. Removing the section promotes the cluster.
 *
 * @param hosts                 the remote primary's addresses; with more than one, libpq picks the
 *                              one that is primary ({@code target_session_attrs=primary}), so the
 *                              standby cluster follows the remote cluster across its failovers
 * @param ports                 the remote PostgreSQL port, or one per host ({@code port: "5432,5433"}, as libpq takes it)
 * @param primarySlotName       a slot on the remote primary that keeps WAL for this cluster
 * @param restoreCommand        fetches WAL from an archive when streaming cannot provide it
 * @param recoveryMinApplyDelay {@code recovery_min_apply_delay}, as PostgreSQL spells it ({@code 1h});
 *                              applied on every member so that a failover inside the standby
 *                              cluster keeps the delay
 */
public record StandbyCluster(List<String> hosts, List<Integer> ports, Optional<String> primarySlotName, Optional<String> restoreCommand,
                             Optional<String> recoveryMinApplyDelay) {
    static final List<String> KNOWN = List.of("host", "port", "primary_slot_name", "restore_command", "recovery_min_apply_delay",
            "create_replica_methods");
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern DELAY = Pattern.compile("\\d+\\s*(us|ms|s|min|h|d)?");

    public StandbyCluster {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        Objects.requireNonNull(primarySlotName, "primarySlotName");
        Objects.requireNonNull(restoreCommand, "restoreCommand");
        Objects.requireNonNull(recoveryMinApplyDelay, "recoveryMinApplyDelay");
    }

    /** Empty (with problems added) when the section is wrong. */
    static Optional<StandbyCluster> read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping()) {
            return Optional.empty();
        }
        for (String key : n.keys()) {
            if (!KNOWN.contains(key)) {
                n.get(key).problem("unknown key in standby_cluster" + Suggest.closest(key, KNOWN).map(s -> " (did you mean " + s + "?)").orElse(""));
            }
        }
        Node hostNode = n.get("host");
        Node restoreNode = n.get("restore_command");
        if (!hostNode.isPresent() && !restoreNode.isPresent()) {
            n.problem("a standby cluster needs host (the remote primary) or restore_command (an archive) to replicate from");
        }
        List<String> hosts = hostNode.string().map(StandbyCluster::splitHosts).orElse(List.of());
        List<Integer> ports = ports(n.get("port"), hosts.size());
        Optional<String> slot = n.get("primary_slot_name").string().filter(s -> {
            if (!SLOT.matcher(s).matches()) {
                n.get("primary_slot_name").problem("expected a slot name of lower-case letters, digits and _, got " + Values.describe(s));
                return false;
            }
            return true;
        });
        Optional<String> restore = restoreNode.string();
        Optional<String> delay = delay(n.get("recovery_min_apply_delay"));
        List<String> methods = n.get("create_replica_methods").strings();
        if (!methods.isEmpty() && !methods.contains("basebackup")) {
            n.get("create_replica_methods").problem("pgha creates standby members with basebackup only; list basebackup");
        }
        if (n.problems().addedSince(mark)) {
            return Optional.empty();
        }
        return Optional.of(new StandbyCluster(hosts, ports, slot, restore, delay));
    }

    /** {@code 5432}, or {@code "5432,5433,5434"} with one port per host. */
    private static List<Integer> ports(Node n, int hostCount) {
        if (!n.isPresent()) {
            return List.of(5432);
        }
        String text = n.value() instanceof Number num ? num.toString() : n.value() instanceof String str ? str : "";
        List<Integer> out = new java.util.ArrayList<>();
        for (String part : text.split("\\s*,\\s*")) {
            if (!part.matches("[0-9]{1,5}") || Integer.parseInt(part) < 1 || Integer.parseInt(part) > 65535) {
                n.problem("expected a port (1-65535), or one per host separated by commas, got " + Values.describe(n.value()));
                return List.of(5432);
            }
            out.add(Integer.parseInt(part));
        }
        if (out.size() != 1 && out.size() != hostCount) {
            n.problem("lists " + out.size() + " ports for " + hostCount + " hosts: give one port, or one per host");
        }
        return out;
    }

    private static Optional<String> delay(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        Object v = n.value();
        String s = v instanceof Number num ? num.toString() : v instanceof String str ? str.strip() : null;
        if (s == null || !DELAY.matcher(s).matches()) {
            n.problem("expected a delay like 1h, 30min, 5s or 500ms (a bare number is ms), got " + Values.describe(v));
            return Optional.empty();
        }
        return Optional.of(s.replace(" ", ""));
    }

    private static List<String> splitHosts(String s) {
        return List.of(s.split("\\s*,\\s*"));
    }

    /** libpq's {@code host}: the addresses, comma-separated. */
    public String hostList() {
        return String.join(",", hosts);
    }

    /** libpq's {@code port}: one, or one per host. */
    public String portList() {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }

    /** The section as Patroni writes it. */
    Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!hosts.isEmpty()) {
            out.put("host", hostList());
            out.put("port", ports.size() == 1 ? (Object) ports.get(0) : portList());
        }
        primarySlotName.ifPresent(s -> out.put("primary_slot_name", s));
        restoreCommand.ifPresent(s -> out.put("restore_command", s));
        recoveryMinApplyDelay.ifPresent(s -> out.put("recovery_min_apply_delay", s));
        return out;
    }
}
