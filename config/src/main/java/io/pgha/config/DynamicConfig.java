package io.pgha.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster-wide dynamic configuration: the JSON in the DCS {@code config} key, seeded from
 * {@code bootstrap.dcs}. Key names are Patroni's, so patronictl show-config/edit-config work.
 *
 * <p>The five timing values are optional: when absent they come from the {@code rto} preset, and
 * {@link #toJson()} writes only the ones set explicitly, so changing {@code rto} later changes every
 * value not pinned by hand. {@link Timing#resolve} turns this into checked numbers.
 *
 * <p>Keys pgha does not know are kept in {@link #extra()} and written back unchanged, because Patroni
 * and its tools write keys we do not use (slots, standby_cluster, …); they are not errors here.
 */
public record DynamicConfig(
        RtoPreset rto,
        Optional<Duration> ttl,
        Optional<Duration> loopWait,
        Optional<Duration> retryTimeout,
        Optional<Duration> safetyMargin,
        Optional<Duration> primaryStartTimeout,
        Duration primaryStopTimeout,
        long maximumLagOnFailover,
        long maximumLagOnSyncnode,
        boolean checkTimeline,
        SynchronousMode synchronousMode,
        boolean synchronousModeStrict,
        boolean strictRejectsWrites,
        int synchronousNodeCount,
        boolean failsafeMode,
        Optional<Duration> failsafeTimeout,
        boolean pause,
        Duration memberSlotsTtl,
        DynamicPostgresqlConfig postgresql,
        Map<String, Object> extra,
        Optional<StandbyCluster> standbyCluster) {

    public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1_048_576;
    public static final Duration DEFAULT_MEMBER_SLOTS_TTL = Duration.ofSeconds(1800);
    /** Patroni's fixed POST /failsafe timeout, used unless retry_timeout is shorter or failsafe_timeout says otherwise. */
    public static final Duration DEFAULT_FAILSAFE_TIMEOUT = Duration.ofSeconds(2);

    static final List<String> KNOWN = List.of("rto", "ttl", "loop_wait", "retry_timeout", "safety_margin",
            "primary_start_timeout", "primary_stop_timeout", "maximum_lag_on_failover", "maximum_lag_on_syncnode",
            "check_timeline", "synchronous_mode", "synchronous_mode_strict", "synchronous_mode_strict_writes", "synchronous_node_count",
            "failsafe_mode", "failsafe_timeout", "pause", "member_slots_ttl", "postgresql", "standby_cluster");
    /** Names Patroni used before 2.x; read when the new name is absent, written back under the new name. */
    private static final Map<String, String> LEGACY = Map.of(
            "master_start_timeout", "primary_start_timeout",
            "master_stop_timeout", "primary_stop_timeout");

    public DynamicConfig {
        Objects.requireNonNull(rto, "rto");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(loopWait, "loopWait");
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(primaryStartTimeout, "primaryStartTimeout");
        Objects.requireNonNull(primaryStopTimeout, "primaryStopTimeout");
        Objects.requireNonNull(synchronousMode, "synchronousMode");
        Objects.requireNonNull(failsafeTimeout, "failsafeTimeout");
        Objects.requireNonNull(memberSlotsTtl, "memberSlotsTtl");
        Objects.requireNonNull(postgresql, "postgresql");
        extra = Values.immutableMap(extra);
        Objects.requireNonNull(standbyCluster, "standbyCluster");
    }

    /** Everything at its default: the norm preset, asynchronous replication. */
    public static DynamicConfig defaults() {
        return new DynamicConfig(RtoPreset.DEFAULT, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ZERO, DEFAULT_MAXIMUM_LAG_ON_FAILOVER, -1, false, SynchronousMode.OFF, false, false, 1,
                false, Optional.empty(), false, DEFAULT_MEMBER_SLOTS_TTL, DynamicPostgresqlConfig.DEFAULTS, Map.of(), Optional.empty());
    }

    /**
     * Reads a parsed mapping (e.g. from YAML); problems are named {@code <pathPrefix>.<key>}.
     * A null map reads as all defaults.
     */
    public static Validated<DynamicConfig> fromMap(Map<String, Object> map, String pathPrefix) {
        Problems problems = new Problems();
        DynamicConfig config = read(Node.root(map, pathPrefix, problems));
        return problems.isEmpty() ? Validated.valid(config) : Validated.invalid(problems.list());
    }

    /** Reads the DCS {@code config} key; a bad value throws naming {@code config.<key>}. */
    public static DynamicConfig fromJson(String json) {
        if (json == null) {
            throw new ConfigException(new ConfigProblem("config", "no value"));
        }
        if (JsonDepth.tooDeep(json)) {
            throw new ConfigException(new ConfigProblem("config", JsonDepth.message()));
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(json);
        } catch (DecodeException e) {
            throw new ConfigException(new ConfigProblem("config", "not valid JSON (" + firstLine(e.getMessage()) + ")"));
        }
        if (!(parsed instanceof JsonObject o)) {
            throw new ConfigException(new ConfigProblem("config", "expected a JSON object, got " + Values.describe(Values.plain(parsed))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) Values.plain(o);
        return fromMap(map, "config").orElseThrow();
    }

    /** Compact JSON with Patroni's key names; {@code fromJson(toJson())} gives an equal value. */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rto", rto.key());
        ttl.ifPresent(d -> out.put("ttl", Seconds.json(d)));
        loopWait.ifPresent(d -> out.put("loop_wait", Seconds.json(d)));
        retryTimeout.ifPresent(d -> out.put("retry_timeout", Seconds.json(d)));
        safetyMargin.ifPresent(d -> out.put("safety_margin", Seconds.json(d)));
        primaryStartTimeout.ifPresent(d -> out.put("primary_start_timeout", Seconds.json(d)));
        out.put("primary_stop_timeout", Seconds.json(primaryStopTimeout));
        out.put("maximum_lag_on_failover", maximumLagOnFailover);
        out.put("maximum_lag_on_syncnode", maximumLagOnSyncnode);
        out.put("check_timeline", checkTimeline);
        out.put("synchronous_mode", synchronousMode.toJson());
        out.put("synchronous_mode_strict", synchronousModeStrict);
        if (strictRejectsWrites) {
            out.put("synchronous_mode_strict_writes", "reject"); // pgha's own key; Patroni ignores it
        }
        out.put("synchronous_node_count", synchronousNodeCount);
        out.put("failsafe_mode", failsafeMode);
        failsafeTimeout.ifPresent(d -> out.put("failsafe_timeout", Seconds.json(d)));
        out.put("pause", pause);
        out.put("member_slots_ttl", Seconds.json(memberSlotsTtl));
        out.put("postgresql", postgresql.toJsonMap());
        standbyCluster.ifPresent(sc -> out.put("standby_cluster", sc.toJsonMap()));
        out.putAll(extra);
        return new JsonObject(out).encode();
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    /** Null when there were problems. */
    static DynamicConfig read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping()) {
            return null;
        }
        RtoPreset rto = RtoPreset.read(n.get("rto")).orElse(RtoPreset.DEFAULT);
        Optional<Duration> ttl = n.get("ttl").seconds();
        Optional<Duration> loopWait = n.get("loop_wait").seconds();
        Optional<Duration> retryTimeout = n.get("retry_timeout").seconds();
        Optional<Duration> safetyMargin = n.get("safety_margin").seconds();
        Optional<Duration> primaryStartTimeout = withLegacy(n, "primary_start_timeout").seconds();
        Duration primaryStopTimeout = withLegacy(n, "primary_stop_timeout").nonNegativeSeconds().orElse(Duration.ZERO);
        long lagOnFailover = n.get("maximum_lag_on_failover").integer(0).orElse(DEFAULT_MAXIMUM_LAG_ON_FAILOVER);
        long lagOnSyncnode = n.get("maximum_lag_on_syncnode").integer(Long.MIN_VALUE).orElse(-1L);
        boolean checkTimeline = n.get("check_timeline").bool(false);
        SynchronousMode syncMode = SynchronousMode.read(n.get("synchronous_mode")).orElse(SynchronousMode.OFF);
        boolean syncStrict = n.get("synchronous_mode_strict").bool(false);
        boolean strictRejects = n.get("synchronous_mode_strict_writes").oneOf("wait", "reject").map("reject"::equals).orElse(false);
        int syncNodeCount = n.get("synchronous_node_count").intValue(1).orElse(1);
        boolean failsafe = n.get("failsafe_mode").bool(false);
        Optional<Duration> failsafeTimeout = n.get("failsafe_timeout").positiveSeconds();
        boolean pause = n.get("pause").bool(false);
        Duration memberSlotsTtl = n.get("member_slots_ttl").nonNegativeSeconds().orElse(DEFAULT_MEMBER_SLOTS_TTL);
        Node pg = n.get("postgresql");
        DynamicPostgresqlConfig postgresql = pg.isPresent() ? DynamicPostgresqlConfig.read(pg) : DynamicPostgresqlConfig.DEFAULTS;
        Node standbyNode = n.get("standby_cluster");
        // Patroni's tools write an empty or null section for "not a standby cluster".
        boolean standbySet = standbyNode.isPresent() && !(standbyNode.value() instanceof Map<?, ?> m && m.isEmpty());
        Optional<StandbyCluster> standby = standbySet ? StandbyCluster.read(standbyNode) : Optional.empty();
        Map<String, Object> extra = extra(n, KNOWN);
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new DynamicConfig(rto, ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, primaryStopTimeout,
                lagOnFailover, lagOnSyncnode, checkTimeline, syncMode, syncStrict, strictRejects, syncNodeCount, failsafe, failsafeTimeout, pause,
                memberSlotsTtl, postgresql, extra, standby);
    }

    /** Whether this cluster replicates from a primary elsewhere: its leader is a standby leader and never promotes. */
    public boolean isStandbyCluster() {
        return standbyCluster.isPresent();
    }

    /**
     * How long a primary running without the DCS waits for every member's answer to
     * {@code POST /failsafe}: {@code failsafe_timeout}, or Patroni's 2 s when retry_timeout is not shorter.
     */
    public Duration failsafeTimeout(Timing timing) {
        return failsafeTimeout(timing.retryTimeout());
    }

    Duration failsafeTimeout(Duration retryTimeout) {
        return failsafeTimeout.orElse(retryTimeout.compareTo(DEFAULT_FAILSAFE_TIMEOUT) < 0 ? retryTimeout : DEFAULT_FAILSAFE_TIMEOUT);
    }


    private static Node withLegacy(Node n, String key) {
        Node current = n.get(key);
        if (current.isPresent()) {
            return current;
        }
        for (Map.Entry<String, String> e : LEGACY.entrySet()) {
            if (e.getValue().equals(key) && n.get(e.getKey()).isPresent()) {
                return n.get(e.getKey());
            }
        }
        return current;
    }

    /**
     * The keys of {@code n} outside {@code known}, to be written back as they came. A legacy name is
     * consumed when its new name is absent. Values must survive a trip through JSON.
     */
    static Map<String, Object> extra(Node n, List<String> known) {
        Map<String, Object> out = new LinkedHashMap<>();
        n.entries().forEach((key, v) -> {
            if (known.contains(key)) {
                return;
            }
            String replacement = LEGACY.get(key);
            if (replacement != null && known.contains(replacement) && !n.get(replacement).isPresent()) {
                return;
            }
            Optional<String> bad = Values.notJson(v.value());
            if (bad.isPresent()) {
                v.problem("cannot be stored as JSON: " + bad.get());
                return;
            }
            out.put(key, v.value());
        });
        return out;
    }

    /**
     * Keys kept in {@link #extra()} (here and in {@code postgresql}) that look like misspelt pgha
     * keys. They are carried along but have no effect: the daemon should warn about them, and a
     * {@code bootstrap.dcs} in the file is rejected for them.
     */
    public List<ConfigProblem> likelyTypos(String pathPrefix) {
        String at = pathPrefix.isEmpty() ? "" : pathPrefix + ".";
        List<ConfigProblem> out = new ArrayList<>(typos(extra, KNOWN, at));
        out.addAll(typos(postgresql.extra(), DynamicPostgresqlConfig.KNOWN, at + "postgresql."));
        return out;
    }

    private static List<ConfigProblem> typos(Map<String, Object> kept, List<String> known, String at) {
        return kept.keySet().stream()
                .flatMap(k -> Suggest.closest(k, known).stream()
                        .map(s -> new ConfigProblem(at + k, "unknown key (did you mean " + s + "?)")))
                .toList();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
