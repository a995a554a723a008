package io.pgha.ctl;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.SyncState;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * What an acknowledged commit is worth, as the DCS tells it: the configured synchronous mode and
 * who may take over (the sync key's voters and, in quorum mode, how many of them a promotion must
 * hear from). The leader's /patroni says the same from PostgreSQL's side ({@code pgha.durability}).
 */
record SyncSummary(String mode, boolean strict, boolean rejectsWrites, boolean keyOfLeader, List<String> voters, Optional<Long> quorum) {

    static Optional<SyncSummary> of(Cluster c) {
        Optional<JsonObject> config;
        try {
            config = c.configJson();
        } catch (DecodeException e) {
            return Optional.empty();
        }
        Object raw = config.map(j -> j.getValue("synchronous_mode")).orElse(false);
        String mode = raw instanceof String s ? s : Boolean.TRUE.equals(raw) ? "on" : "off";
        if (mode.equals("off") || mode.equals("false")) {
            return Optional.empty();
        }
        boolean strict = config.map(j -> Boolean.TRUE.equals(j.getValue("synchronous_mode_strict"))).orElse(false);
        boolean rejects = config.map(j -> "reject".equals(j.getValue("synchronous_mode_strict_writes"))).orElse(false);
        SyncState key = c.syncState();
        boolean ofLeader = key.isActive() && c.leaderName().equals(key.leader());
        return Optional.of(new SyncSummary(mode.equals("true") ? "on" : mode, strict, strict && rejects, ofLeader, key.syncStandbys(), key.quorum()));
    }

    /** The footer line of {@code pgha list}. */
    String line() {
        StringBuilder b = new StringBuilder("Synchronous mode: ").append(mode).append(strict ? (rejectsWrites ? ", strict (rejects writes)" : ", strict") : "");
        if (!keyOfLeader) {
            return b.append(" — the leader has not named its synchronous standbys yet").toString();
        }
        if (voters.isEmpty()) {
            return b.append(" — no synchronous standby confirmed: only the leader may be promoted").toString();
        }
        b.append(" — failover only to ").append(String.join(", ", voters));
        quorum.filter(q -> q > 0).ifPresent(q -> b.append(", with the answers of ").append(q).append(" other voter").append(q == 1 ? "" : "s"));
        return b.toString();
    }

    JsonObject toJson() {
        return new JsonObject().put("mode", mode).put("strict", strict).put("rejects_writes", rejectsWrites).put("key_of_leader", keyOfLeader)
                .put("voters", new JsonArray(voters)).put("quorum", quorum.orElse(null));
    }
}
