package io.pgha.backup;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The scheduled backup the cluster last claimed, kept in the DCS ({@code pgha-backup}): which slot
 * of the schedule, which type, which member took it and how it went. A leader claims a slot with a
 * compare-and-swap on this key, so two members never claim the same one.
 */
public record BackupRun(Instant slot, BackupType type, String member, State state, Instant updated, String detail) {
    public enum State {
        RUNNING, DONE, FAILED
    }

    public String toJson() {
        return new JsonObject().put("slot", slot.toString()).put("type", type.key()).put("member", member)
                .put("state", state.name().toLowerCase()).put("updated", updated.toString()).put("detail", detail).encode();
    }

    /** Empty for a value that is not one of ours (hand-edited, or of another version): the schedule starts over. */
    public static Optional<BackupRun> parse(String json) {
        try {
            JsonObject o = new JsonObject(json);
            return Optional.of(new BackupRun(Instant.parse(o.getString("slot")), BackupType.ofKey(o.getString("type", "")).orElseThrow(),
                    o.getString("member", ""), State.valueOf(o.getString("state", "").toUpperCase()), Instant.parse(o.getString("updated")),
                    o.getString("detail", "")));
        } catch (DecodeException | DateTimeParseException | IllegalArgumentException | NullPointerException | ClassCastException
                 | java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }
}
