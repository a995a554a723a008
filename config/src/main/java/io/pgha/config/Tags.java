package io.pgha.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tags} section. Priorities are kept as given (empty when not set) so the member key
 * publishes what the operator wrote, as Patroni does; use the {@code effective…} methods to decide.
 */
public record Tags(
        boolean nofailover,
        Optional<Integer> failoverPriority,
        boolean nosync,
        Optional<Integer> syncPriority,
        boolean noloadbalance,
        boolean clonefrom,
        Optional<String> replicatefrom,
        boolean nostream,
        Map<String, Object> custom) {

    public static final Tags NONE = new Tags(false, Optional.empty(), false, Optional.empty(), false, false,
            Optional.empty(), false, Map.of());

    private static final List<String> KNOWN = List.of("nofailover", "failover_priority", "nosync", "sync_priority",
            "noloadbalance", "clonefrom", "replicatefrom", "nostream");

    public Tags {
        Objects.requireNonNull(failoverPriority, "failoverPriority");
        Objects.requireNonNull(syncPriority, "syncPriority");
        Objects.requireNonNull(replicatefrom, "replicatefrom");
        custom = Values.immutableMap(custom);
    }

    /** 0 means never promote; Patroni's default is 1. */
    public int effectiveFailoverPriority() {
        return nofailover ? 0 : failoverPriority.orElse(1);
    }

    public boolean canFailover() {
        return effectiveFailoverPriority() > 0;
    }

    public int effectiveSyncPriority() {
        return nosync ? 0 : syncPriority.orElse(1);
    }

    /**
     * The {@code tags} object for the member key, shaped like Patroni's: boolean tags only when
     * true, priorities and replicatefrom only when set, custom tags as given.
     */
    public Map<String, Object> toMemberTags() {
        Map<String, Object> out = new LinkedHashMap<>();
        putIf(out, "nofailover", nofailover);
        failoverPriority.ifPresent(p -> out.put("failover_priority", p));
        putIf(out, "nosync", nosync);
        syncPriority.ifPresent(p -> out.put("sync_priority", p));
        putIf(out, "noloadbalance", noloadbalance);
        putIf(out, "clonefrom", clonefrom);
        replicatefrom.ifPresent(r -> out.put("replicatefrom", r));
        putIf(out, "nostream", nostream);
        out.putAll(custom);
        return Collections.unmodifiableMap(out);
    }

    private static void putIf(Map<String, Object> out, String key, boolean value) {
        if (value) {
            out.put(key, true);
        }
    }

    static Tags read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping()) {
            return null;
        }
        boolean nofailover = n.get("nofailover").bool(false);
        Optional<Integer> failoverPriority = n.get("failover_priority").intValue(0);
        if (nofailover && failoverPriority.filter(p -> p > 0).isPresent()) {
            n.get("failover_priority").problem("conflicts with " + n.childPath("nofailover")
                    + ": true (nofailover means priority 0); remove one of them");
        }
        boolean nosync = n.get("nosync").bool(false);
        Optional<Integer> syncPriority = n.get("sync_priority").intValue(0);
        boolean noloadbalance = n.get("noloadbalance").bool(false);
        boolean clonefrom = n.get("clonefrom").bool(false);
        Optional<String> replicatefrom = n.get("replicatefrom").string();
        boolean nostream = n.get("nostream").bool(false);
        Map<String, Object> custom = new LinkedHashMap<>();
        n.entries().forEach((key, v) -> {
            if (KNOWN.contains(key) || !v.isPresent()) {
                return;
            }
            // A misspelt nofailover must not quietly become a custom tag and leave the node promotable.
            Optional<String> meant = Suggest.closest(key, KNOWN);
            if (meant.isPresent()) {
                v.problem("unknown tag (did you mean " + meant.get() + "?); rename it if it is a custom tag");
                return;
            }
            Object value = v.value();
            if ((value instanceof String || value instanceof Boolean || value instanceof Number) && Values.notJson(value).isEmpty()) {
                custom.put(key, value);
            } else {
                v.problem("custom tags take a string, number or boolean, got " + Values.describe(value));
            }
        });
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new Tags(nofailover, failoverPriority, nosync, syncPriority, noloadbalance, clonefrom, replicatefrom,
                nostream, custom);
    }
}
