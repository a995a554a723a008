package io.pgha.ctl;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain text table: a header row and data rows, each column as wide as its widest cell, columns
 * two spaces apart, no trailing blanks. Used by every command that prints members, and by the demo.
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** One row; {@code null} cells print as "-" so that a missing value is visible, not a gap. */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null || c.toString().isEmpty() ? "-" : c.toString()).toList());
        return this;
    }

    public List<String> lines() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(headers, width));
        rows.forEach(r -> out.add(line(r, width)));
        return out;
    }

    public void print(PrintWriter out) {
        lines().forEach(out::println);
    }

    public void print(PrintStream out) {
        lines().forEach(out::println);
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append("  ");
            }
            b.append(cells.get(i));
            if (i < cells.size() - 1) {
                b.append(" ".repeat(width[i] - cells.get(i).length()));
            }
        }
        return b.toString().stripTrailing();
    }
}
