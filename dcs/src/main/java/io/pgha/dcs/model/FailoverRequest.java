package io.pgha.dcs.model;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code failover} key: a requested switchover ({@code leader} named) or failover (only
 * {@code member}, the candidate), possibly scheduled. Patroni's legacy {@code "leader:candidate"}
 * string form is read too.
 */
public record FailoverRequest(Optional<String> leader, Optional<String> candidate, Optional<OffsetDateTime> scheduledAt) {
    public static final FailoverRequest NONE = new FailoverRequest(Optional.empty(), Optional.empty(), Optional.empty());

    public static FailoverRequest parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("{}")) {
            return NONE;
        }
        if (!t.startsWith("{")) {
            int colon = t.indexOf(':');
            String leader = colon < 0 ? t : t.substring(0, colon);
            String candidate = colon < 0 ? "" : t.substring(colon + 1);
            return new FailoverRequest(nonEmpty(leader), nonEmpty(candidate), Optional.empty());
        }
        JsonObject o = Json.object("failover", t);
        Optional<OffsetDateTime> at = Json.string(o, "failover", "scheduled_at").map(s -> {
            try {
                return OffsetDateTime.parse(s);
            } catch (DateTimeParseException e) {
                throw new MalformedValueException("failover.scheduled_at: expected ISO 8601 with a time zone, got \"" + s + "\"");
            }
        });
        return new FailoverRequest(Json.string(o, "failover", "leader").flatMap(FailoverRequest::nonEmpty),
                Json.string(o, "failover", "member").flatMap(FailoverRequest::nonEmpty), at);
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public boolean isEmpty() {
        return leader.isEmpty() && candidate.isEmpty();
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        leader.ifPresent(l -> o.put("leader", l));
        candidate.ifPresent(c -> o.put("member", c));
        scheduledAt.ifPresent(s -> o.put("scheduled_at", s.toString()));
        return o.encode();
    }
}
