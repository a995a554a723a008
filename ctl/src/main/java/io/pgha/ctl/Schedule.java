package io.pgha.ctl;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code --scheduled}: ISO 8601 with an offset, or a local date-time taken in the operator's zone
 * (as patronictl does), or {@code now}. A time not in the future is refused, not run at once.
 */
final class Schedule {
    private Schedule() {
    }

    /** Empty for "now" or no option. */
    static Optional<OffsetDateTime> parse(String text, Instant now, ZoneId zone) {
        if (text == null || text.equalsIgnoreCase("now")) {
            return Optional.empty();
        }
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            try {
                at = LocalDateTime.parse(text.strip()).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException e2) {
                throw CtlError.usage("--scheduled: expected ISO 8601 like 2030-01-31T14:00+01:00, or now; got \"" + text + "\"");
            }
        }
        if (!at.toInstant().isAfter(now)) {
            throw CtlError.usage("--scheduled " + text + " is in the past; nothing changed");
        }
        return Optional.of(at);
    }
}
