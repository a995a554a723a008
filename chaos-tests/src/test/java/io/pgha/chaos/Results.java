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
    final String mode = "async (the suite does not run synchronous_mode yet: lost rows are reported, not failed)";

    Results(long seed) {
        this.seed = seed;
    }

    String markdown(int totalAcked, int totalLost, int totalFindings) {
        StringBuilder b = new StringBuilder();
        b.append("# pgha chaos run\n\nseed ").append(seed).append(", ").append(rows.size()).append(" faults, 3 nodes, rto fast, ")
                .append(mode).append("\n\n");
        b.append("| # | fault | target | new primary | RTO (s) | healthy after (s) | acked | lost | split brain | note |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %d | %d | %s | %s |%n", r.number(), r.fault(), r.target(),
                    r.newPrimary(), fmt(r.rtoSeconds()), fmt(r.healthySeconds()), r.acked(), r.lost(),
                    r.splitBrainFindings() > 0 ? "**yes** (" + r.splitBrainFindings() + ")" : "no", r.note()));
        }
        b.append(String.format(Locale.ROOT, "%nTotal: %d acknowledged writes, %d missing on the final primary, split brain findings: %d%n",
                totalAcked, totalLost, totalFindings));
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
