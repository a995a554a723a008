package io.pgha.migrate;

import io.pgha.migrate.Note.Treatment;

import java.util.List;

/** The conversion as the operator reads it: every key of the Patroni file under exactly one heading. */
final class ConversionReport {
    private ConversionReport() {
    }

    static String render(String from, String to, Conversion c) {
        StringBuilder b = new StringBuilder();
        b.append("converted ").append(from).append(" to ").append(to).append(": ")
                .append(c.carried().size()).append(" carried over, ")
                .append(count(c, Treatment.CHANGED)).append(" changed, ")
                .append(count(c, Treatment.DROPPED)).append(" dropped, ")
                .append(count(c, Treatment.KEPT_FOR_PATRONI)).append(" kept for Patroni\n");
        b.append("carried over:\n");
        c.carried().forEach(p -> b.append("  ").append(p).append('\n'));
        section(b, "changed:", c, Treatment.CHANGED);
        section(b, "dropped (what pgha does instead):", c, Treatment.DROPPED);
        section(b, "kept in the DCS config for the Patroni members:", c, Treatment.KEPT_FOR_PATRONI);
        return b.toString();
    }

    private static void section(StringBuilder b, String heading, Conversion c, Treatment t) {
        List<Note> notes = c.notes().stream().filter(n -> n.treatment() == t).toList();
        if (notes.isEmpty()) {
            return;
        }
        b.append(heading).append('\n');
        notes.forEach(n -> b.append("  ").append(n.path()).append(": ").append(n.instead()).append('\n'));
    }

    private static long count(Conversion c, Treatment t) {
        return c.notes().stream().filter(n -> n.treatment() == t).count();
    }
}
