package io.pgha.backup;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the repository holds for a stanza: its status, the backups oldest first, and the range of
 * WAL in the archive. Read from {@code pgbackrest info --output=json}, whose shape pgBackRest keeps
 * stable.
 */
public record RepositoryInfo(int statusCode, String statusMessage, List<BackupSet> backups, Optional<String> archiveMin,
                             Optional<String> archiveMax) {
    /** pgBackRest's status code for a stanza that was never created. */
    public static final int MISSING_STANZA = 1;

    public RepositoryInfo {
        backups = List.copyOf(backups);
    }

    public boolean exists() {
        return statusCode != MISSING_STANZA;
    }

    public Optional<BackupSet> latest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(backups.size() - 1));
    }

    /** The earliest moment a point-in-time restore can reach: the end of the oldest backup. */
    public Optional<Instant> earliestRestorable() {
        return backups.stream().map(BackupSet::stop).min(Instant::compareTo);
    }

    public static RepositoryInfo parse(String json, String stanza) {
        JsonArray all;
        try {
            all = new JsonArray(json.strip());
        } catch (DecodeException e) {
            throw new BackupException("pgbackrest info did not answer JSON: " + firstLine(json));
        }
        for (int i = 0; i < all.size(); i++) {
            JsonObject s = all.getJsonObject(i);
            if (!stanza.equals(s.getString("name"))) {
                continue;
            }
            JsonObject status = s.getJsonObject("status", new JsonObject());
            List<BackupSet> sets = new ArrayList<>();
            JsonArray backups = s.getJsonArray("backup", new JsonArray());
            for (int j = 0; j < backups.size(); j++) {
                sets.add(set(backups.getJsonObject(j)));
            }
            Optional<String> min = Optional.empty();
            Optional<String> max = Optional.empty();
            JsonArray archive = s.getJsonArray("archive", new JsonArray());
            if (!archive.isEmpty()) {
                JsonObject last = archive.getJsonObject(archive.size() - 1);
                min = Optional.ofNullable(archive.getJsonObject(0).getString("min"));
                max = Optional.ofNullable(last.getString("max"));
            }
            return new RepositoryInfo(status.getInteger("code", -1), status.getString("message", ""), sets, min, max);
        }
        return new RepositoryInfo(MISSING_STANZA, "missing stanza path", List.of(), Optional.empty(), Optional.empty());
    }

    private static BackupSet set(JsonObject b) {
        JsonObject ts = b.getJsonObject("timestamp", new JsonObject());
        JsonObject lsn = b.getJsonObject("lsn", new JsonObject());
        JsonObject info = b.getJsonObject("info", new JsonObject());
        JsonObject repo = info.getJsonObject("repository", new JsonObject());
        JsonObject annotation = b.getJsonObject("annotation", new JsonObject());
        return new BackupSet(b.getString("label", ""), b.getString("type", ""), Instant.ofEpochSecond(ts.getLong("start", 0L)),
                Instant.ofEpochSecond(ts.getLong("stop", 0L)), lsn.getString("start", ""), lsn.getString("stop", ""),
                info.getLong("size", 0L), repo.getLong("delta", repo.getLong("size", 0L)),
                Optional.ofNullable(annotation.getString(Backrest.MEMBER_ANNOTATION)));
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("(no output)");
    }
}
