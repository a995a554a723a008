package io.pgha.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A member's {@code GET /operation} document: the last switchover, failover, restart or reinit it
 * ran, with the phases it went through so far.
 */
record Operation(String id, String kind, String state, List<Phase> phases, Optional<String> result, JsonObject raw) {
    record Phase(String phase, String at, String detail) {
        private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        /** {@code 12:00:01.234  checkpoint  (detail)}, the time in the operator's zone. */
        String line() {
            String time;
            try {
                time = CLOCK.format(OffsetDateTime.parse(at).atZoneSameInstant(ZoneId.systemDefault()));
            } catch (DateTimeParseException e) {
                time = at;
            }
            return time + "  " + phase + (detail.isEmpty() ? "" : "  (" + detail + ")");
        }
    }

    Operation {
        phases = List.copyOf(phases);
    }

    boolean running() {
        return "running".equals(state);
    }

    /** Empty when the body is not an operation document (an older daemon, a proxy's error page). */
    static Optional<Operation> parse(JsonObject o) {
        if (!(o.getValue("id") instanceof String id)) {
            return Optional.empty();
        }
        List<Phase> phases = new ArrayList<>();
        if (o.getValue("phases") instanceof JsonArray a) {
            for (Object p : a) {
                if (p instanceof JsonObject j && j.getValue("phase") instanceof String name) {
                    phases.add(new Phase(name, String.valueOf(j.getValue("at", "")), j.getValue("detail") == null ? "" : String.valueOf(j.getValue("detail"))));
                }
            }
        }
        return Optional.of(new Operation(id, String.valueOf(o.getValue("kind", "")), String.valueOf(o.getValue("state", "")),
                phases, Optional.ofNullable(o.getValue("result")).map(String::valueOf), o));
    }
}
