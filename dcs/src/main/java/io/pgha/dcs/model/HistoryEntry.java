package io.pgha.dcs.model;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One timeline switch as Patroni's {@code history} key records it: {@code [tl, lsn, reason, ts, leader]}. */
public record HistoryEntry(long timeline, long lsn, String reason, Optional<String> timestamp, Optional<String> newLeader) {
    /** How the reason of a {@code pgha restore --replace} entry ends: members whose data predates it must not lead. */
    public static final String RESTORE_MARK = "by pgha restore --replace";

    /** A restore's entry: the key derives the current timeline from the last entry plus one, so the entry is keyed just below the new one. */
    public static HistoryEntry restore(long newTimeline, long switchLsn, String what, String timestamp, String member) {
        return new HistoryEntry(newTimeline - 1, switchLsn, "restored to " + what + " " + RESTORE_MARK, Optional.of(timestamp), Optional.of(member));
    }

    public boolean isRestore() {
        return reason.endsWith(RESTORE_MARK);
    }


    public static List<HistoryEntry> parseAll(String text) {
        JsonArray rows = Json.array("history", text);
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object row = rows.getValue(i);
            if (!(row instanceof JsonArray r) || r.size() < 3) {
                throw new MalformedValueException("history[" + i + "]: expected [timeline, lsn, reason, ...], got " + Json.describe(row));
            }
            if (!(r.getValue(0) instanceof Number tl) || !(r.getValue(1) instanceof Number lsn)) {
                throw new MalformedValueException("history[" + i + "]: timeline and lsn must be integers");
            }
            entries.add(new HistoryEntry(tl.longValue(), lsn.longValue(), String.valueOf(r.getValue(2)),
                    r.size() > 3 && r.getValue(3) != null ? Optional.of(String.valueOf(r.getValue(3))) : Optional.empty(),
                    r.size() > 4 && r.getValue(4) != null ? Optional.of(String.valueOf(r.getValue(4))) : Optional.empty()));
        }
        return List.copyOf(entries);
    }

    public static String toJson(List<HistoryEntry> entries) {
        JsonArray rows = new JsonArray();
        for (HistoryEntry e : entries) {
            JsonArray r = new JsonArray().add(e.timeline).add(e.lsn).add(e.reason);
            if (e.timestamp.isPresent() || e.newLeader.isPresent()) {
                r.add(e.timestamp.orElse(null));
            }
            e.newLeader.ifPresent(r::add);
            rows.add(r);
        }
        return rows.encode();
    }
}
