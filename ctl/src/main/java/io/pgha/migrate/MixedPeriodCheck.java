package io.pgha.migrate;

import io.pgha.config.ConfigException;
import io.pgha.config.DynamicConfig;
import io.pgha.config.SynchronousMode;
import io.pgha.config.Timing;
import io.pgha.config.Validated;
import io.pgha.migrate.Finding.Weight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the DCS config key the way a Patroni 3.0 member and a pgha member would, and names each
 * value they would disagree on while both run in one cluster. Patroni fills an absent timing
 * value with its own default; pgha fills it from the rto preset, so an unpinned value is the
 * commonest difference.
 */
public final class MixedPeriodCheck {
    /** What Patroni uses when the config key leaves a value out. */
    private static final Map<String, Duration> PATRONI_DEFAULTS = Map.of(
            "ttl", Duration.ofSeconds(30), "loop_wait", Duration.ofSeconds(10),
            "retry_timeout", Duration.ofSeconds(10), "primary_start_timeout", Duration.ofSeconds(300));
    private static final Map<String, Function<Timing, Duration>> PGHA_TIMING = new LinkedHashMap<>();

    static {
        PGHA_TIMING.put("ttl", Timing::ttl);
        PGHA_TIMING.put("loop_wait", Timing::loopWait);
        PGHA_TIMING.put("retry_timeout", Timing::retryTimeout);
        PGHA_TIMING.put("primary_start_timeout", Timing::primaryStartTimeout);
    }

    private MixedPeriodCheck() {
    }

    /** @param config the DCS config key as plain maps (its JSON decoded) */
    public static List<Finding> of(Map<String, Object> config) {
        List<Finding> out = new ArrayList<>();
        Validated<DynamicConfig> read = DynamicConfig.fromMap(config, "config");
        if (!read.isValid()) {
            read.problems().forEach(p -> out.add(new Finding(Weight.FIX_FIRST, p.path(), "pgha cannot read it: " + p.message())));
            return out;
        }
        DynamicConfig dynamic = read.orElseThrow();
        Timing timing;
        try {
            timing = Timing.resolve(dynamic).orElseThrow();
        } catch (ConfigException e) {
            e.problems().forEach(p -> out.add(new Finding(Weight.FIX_FIRST, p.path(), "pgha refuses the timing: " + p.message())));
            return out;
        }
        timing(config, dynamic, timing, out);
        synchronous(config, dynamic, out);
        failsafe(config, dynamic, out);
        pghaOnly(config, out);
        patroniOnly(dynamic, out);
        return out;
    }

    private static void timing(Map<String, Object> config, DynamicConfig dynamic, Timing timing, List<Finding> out) {
        PGHA_TIMING.forEach((key, pgha) -> {
            Object value = config.get(key);
            if (value == null && key.equals("primary_start_timeout")) {
                value = config.get("master_start_timeout");
            }
            Duration patroni = value instanceof Number n ? Duration.ofMillis(Math.round(n.doubleValue() * 1000)) : PATRONI_DEFAULTS.get(key);
            Duration ours = pgha.apply(timing);
            if (!patroni.equals(ours)) {
                out.add(new Finding(Weight.FIX_FIRST, key, "Patroni members use " + secs(patroni)
                        + (value == null ? " (its default)" : "") + ", pgha members " + secs(ours) + " (rto " + dynamic.rto().key()
                        + "): pin one value first, e.g. pgha edit-config --set " + key + "=" + patroni.toSeconds()));
            }
        });
        if (config.containsKey("rto")) {
            out.add(new Finding(Weight.NOTE, "rto", "pgha only; Patroni members ignore it and read the timing values alone"));
        }
        if (config.containsKey("safety_margin")) {
            out.add(new Finding(Weight.NOTE, "safety_margin", "pgha only: a pgha primary demotes " + secs(timing.safetyMargin())
                    + " before its lease ends; a Patroni primary goes by its local watchdog.safety_margin"));
        }
    }

    private static void synchronous(Map<String, Object> config, DynamicConfig dynamic, List<Finding> out) {
        if (dynamic.synchronousMode() == SynchronousMode.QUORUM) {
            out.add(new Finding(Weight.FIX_FIRST, "synchronous_mode", "quorum: Patroni 3.0 knows only on and off"
                    + " (quorum came with Patroni 4.0); a Patroni member would keep the sync key in its own way"));
        } else if (dynamic.synchronousMode() == SynchronousMode.ON) {
            out.add(new Finding(Weight.NOTE, "synchronous_mode", "on: both sides keep the same sync key; a synchronous standby of either kind counts"));
        }
        if (dynamic.strictRejectsWrites()) {
            out.add(new Finding(Weight.FIX_FIRST, "synchronous_mode_strict_writes", "reject is pgha only: a Patroni primary would accept writes that a pgha primary refuses"));
        }
    }

    private static void failsafe(Map<String, Object> config, DynamicConfig dynamic, List<Finding> out) {
        if (dynamic.failsafeMode()) {
            out.add(new Finding(Weight.NOTE, "failsafe_mode", "on: both sides keep the failsafe key and answer POST /failsafe"
                    + "; a primary stays up through a DCS outage only when every member it knows answers"));
        }
        if (config.containsKey("failsafe_timeout")) {
            out.add(new Finding(Weight.NOTE, "failsafe_timeout", "pgha only: a Patroni primary asks its members with its fixed timeout"));
        }
    }

    private static void pghaOnly(Map<String, Object> config, List<Finding> out) {
        if (config.containsKey("member_slots_ttl")) {
            out.add(new Finding(Weight.NOTE, "member_slots_ttl", "Patroni 3.0 does not know it: a Patroni leader drops a departed member's slot at once"));
        }
    }

    private static void patroniOnly(DynamicConfig dynamic, List<Finding> out) {
        dynamic.extra().keySet().forEach(k -> out.add(new Finding(k.equals("slots") ? Weight.FIX_FIRST : Weight.NOTE, k,
                k.equals("slots") ? "permanent slots: Patroni leaders keep them, a pgha leader does not" : "Patroni members use it, pgha ignores it")));
        dynamic.postgresql().extra().keySet().forEach(k -> out.add(new Finding(Weight.NOTE, "postgresql." + k,
                k.equals("pg_hba") ? "Patroni members write pg_hba.conf from it, pgha members from their postgresql.pg_hba: keep both the same"
                        : "Patroni members use it, pgha ignores it")));
    }

    private static String secs(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
