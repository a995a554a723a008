package io.pgha.dcs.model;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code sync} key: which members are synchronous standbys of which leader. In quorum mode
 * {@code quorum} says how many of them a promotion must hear from.
 */
public record SyncState(Optional<String> leader, List<String> syncStandbys, Optional<Long> quorum) {
    public static final SyncState EMPTY = new SyncState(Optional.empty(), List.of(), Optional.empty());

    public SyncState {
        syncStandbys = List.copyOf(syncStandbys);
    }

    public static SyncState parse(String text) {
        if (text.isBlank() || text.equals("{}")) {
            return EMPTY;
        }
        JsonObject o = Json.object("sync", text);
        List<String> standbys = Json.string(o, "sync", "sync_standby")
                .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
        return new SyncState(Json.string(o, "sync", "leader"), standbys, Json.integer(o, "sync", "quorum"));
    }

    public boolean isActive() {
        return leader.isPresent();
    }

    public boolean isSyncStandby(String member) {
        return syncStandbys.contains(member);
    }

    /** Written by a leader in quorum mode ({@code ANY n}): a promotion must hear from {@code quorum} voters. */
    public boolean isQuorum() {
        return quorum.isPresent();
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        leader.ifPresent(l -> o.put("leader", l));
        o.put("sync_standby", syncStandbys.isEmpty() ? null : String.join(",", syncStandbys));
        quorum.ifPresent(q -> o.put("quorum", q));
        return o.encode();
    }
}
