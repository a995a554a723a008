package io.pgha.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Where a point-in-time restore stops: a moment, an LSN, or the end of the archive. */
public sealed interface RestoreTarget {
    /** pgBackRest's {@code --type} and {@code --target} for this target. */
    List<String> arguments();

    String describe();

    record Time(Instant at) implements RestoreTarget {
        private static final DateTimeFormatter PG = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

        @Override
        public List<String> arguments() {
            return List.of("--type=time", "--target=" + PG.format(at));
        }

        @Override
        public String describe() {
            return "time " + at;
        }
    }

    record Lsn(String lsn) implements RestoreTarget {
        @Override
        public List<String> arguments() {
            return List.of("--type=lsn", "--target=" + lsn);
        }

        @Override
        public String describe() {
            return "LSN " + lsn;
        }
    }

    record Latest() implements RestoreTarget {
        @Override
        public List<String> arguments() {
            return List.of("--type=default");
        }

        @Override
        public String describe() {
            return "the end of the archive";
        }
    }
}
