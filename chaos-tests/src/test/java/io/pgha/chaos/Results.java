package io.pgha.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results table: one row per fault, printed and written as Markdown. */
final class Results {
    record Row(int number, Fault fault, String target, String newPrimary, Double rtoSeconds, Double healthySeconds,
               int acked, int lost, int splitBrainFindings, String note) {
    }

    final List<Row> rows = new ArrayList<>();
    final long seed;
    final boolean synchronous;
    /** Wall time of the run (cluster creation to tear-down), when known. */
    Double elapsedSeconds;

    Results(long seed, boolean synchronous) {
        this.seed = seed;
        this.synchronous = synchronous;
    }

    String mode() {
        return synchronous
                ? "mode sync (synchronous_mode: true; every acknowledged row must be on the primary: lost rows fail the run)"
                : "mode async (asynchronous replication: lost rows are reported, not failed)";
    }

    String markdown(int totalAcked, int totalLost, int totalFindings) {
        StringBuilder b = new StringBuilder();
        b.append("# pgha chaos run, ").append(synchronous ? "sync" : "async").append(" mode\n\nseed ").append(seed).append(", ")
                .append(rows.size()).append(" faults, 3 nodes, rto fast, ").append(mode()).append("\n\n");
        b.append("| # | fault | target | new primary | RTO (s) | healthy after (s) | acked | lost | split brain | note |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %d | %d | %s | %s |%n", r.number(), r.fault(), r.target(),
                    r.newPrimary(), fmt(r.rtoSeconds()), fmt(r.healthySeconds()), r.acked(), r.lost(),
                    r.splitBrainFindings() > 0 ? "**yes** (" + r.splitBrainFindings() + ")" : "no", r.note()));
        }
        b.append(String.format(Locale.ROOT, "%nTotal: %d acknowledged writes, %d missing on the final primary, split brain findings: %d%n",
                totalAcked, totalLost, totalFindings));
        if (elapsedSeconds != null) {
            b.append(String.format(Locale.ROOT, "Run time: %.0f s%n", elapsedSeconds));
        }
        return b.toString();
    }

    private static String fmt(Double d) {
        return d == null ? "—" : String.format(Locale.ROOT, "%.1f", d);
    }

    void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
