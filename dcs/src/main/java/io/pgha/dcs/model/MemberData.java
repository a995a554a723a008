package io.pgha.dcs.model;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a node publishes under {@code members/<name>}, in Patroni's field names. Fields Patroni does
 * not define (pgha's own) travel in {@code extra} so that a round trip loses nothing.
 */
public record MemberData(
        String connUrl,
        String apiUrl,
        String state,
        String role,
        String version,
        Optional<Long> xlogLocation,
        Optional<Long> timeline,
        Optional<String> replicationState,
        Optional<Long> receiveLsn,
        Optional<Long> replayLsn,
        Map<String, Object> tags,
        boolean pendingRestart,
        boolean pause,
        Map<String, Object> extra) {

    private static final Set<String> KNOWN = Set.of("conn_url", "api_url", "state", "role", "version", "xlog_location",
            "timeline", "replication_state", "receive_lsn", "replay_lsn", "tags", "pending_restart", "pause");

    public MemberData {
        // A tag set to null is no tag (Patroni reads it so); Map.copyOf would throw on it, and one
        // member key with {"tags":{"x":null}} would then make the whole cluster unreadable.
        Map<String, Object> set = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (v != null) {
                set.put(k, v);
            }
        });
        tags = Map.copyOf(set);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static MemberData parse(String name, String text) {
        String what = "members/" + name;
        JsonObject o = Json.object(what, text);
        Map<String, Object> extra = new LinkedHashMap<>();
        o.getMap().forEach((k, v) -> {
            if (!KNOWN.contains(k)) {
                extra.put(k, v instanceof JsonObject j ? j.getMap() : v);
            }
        });
        return new MemberData(
                Json.string(o, what, "conn_url").orElse(""),
                Json.string(o, what, "api_url").orElse(""),
                Json.string(o, what, "state").orElse("unknown"),
                Json.string(o, what, "role").orElse("unknown"),
                Json.string(o, what, "version").orElse(""),
                Json.integer(o, what, "xlog_location"),
                Json.integer(o, what, "timeline"),
                Json.string(o, what, "replication_state"),
                Json.integer(o, what, "receive_lsn"),
                Json.integer(o, what, "replay_lsn"),
                Json.map(o, what, "tags"),
                Json.bool(o, what, "pending_restart"),
                Json.bool(o, what, "pause"),
                extra);
    }

    /** Compact JSON, Patroni's field order first. */
    public String toJson() {
        JsonObject o = new JsonObject()
                .put("conn_url", connUrl)
                .put("api_url", apiUrl)
                .put("state", state)
                .put("role", role)
                .put("version", version);
        xlogLocation.ifPresent(v -> o.put("xlog_location", v));
        timeline.ifPresent(v -> o.put("timeline", v));
        replicationState.ifPresent(v -> o.put("replication_state", v));
        receiveLsn.ifPresent(v -> o.put("receive_lsn", v));
        replayLsn.ifPresent(v -> o.put("replay_lsn", v));
        if (!tags.isEmpty()) {
            o.put("tags", new JsonObject(new LinkedHashMap<>(tags)));
        }
        if (pendingRestart) {
            o.put("pending_restart", true);
        }
        if (pause) {
            o.put("pause", true);
        }
        extra.forEach(o::put);
        return o.encode();
    }

    /** The tag value, if this member has it set. */
    public Optional<Object> tag(String name) {
        return Optional.ofNullable(tags.get(name));
    }

    /** It published itself as the primary ({@code master} in Patroni before 3.0). */
    public boolean isPrimaryRole() {
        return "primary".equals(role) || "master".equals(role);
    }

    /** Patroni's notion: a truthy tag ({@code nofailover: true}, {@code "true"}). */
    public boolean tagIsTrue(String name) {
        Object v = tags.get(name);
        return Boolean.TRUE.equals(v) || (v instanceof String s && s.equalsIgnoreCase("true"));
    }
}
