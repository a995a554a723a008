package io.pgha.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A value of {@code synchronous_standby_names} as PostgreSQL reads it: a commit returns once
 * {@code count} of {@code names} have flushed it, the first ones in order ({@code FIRST}) or any of
 * them ({@code ANY}). {@code count} 0 with no names means commits wait for nobody.
 */
public record StandbyNames(boolean any, int count, List<String> names) {
    public static final StandbyNames NONE = new StandbyNames(false, 0, List.of());

    public StandbyNames {
        names = List.copyOf(names);
        if (count < 0 || count > names.size()) {
            throw new IllegalArgumentException("count " + count + " for " + names.size() + " standby name(s)");
        }
    }

    /** {@code FIRST n (names)} with every name required: what synchronous_mode on writes. */
    public static StandbyNames first(List<String> names) {
        return new StandbyNames(false, names.size(), names);
    }

    /** {@code ANY n (names)}: what synchronous_mode quorum writes. */
    public static StandbyNames any(int count, List<String> names) {
        return new StandbyNames(true, count, names);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The text for the GUC, names quoted so that any member name survives PostgreSQL's parser. */
    public String render() {
        if (isEmpty()) {
            return "";
        }
        List<String> quoted = names.stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList();
        return (any ? "ANY " : "FIRST ") + count + " (" + String.join(",", quoted) + ")";
    }

    /**
     * Parses any of PostgreSQL's forms: {@code FIRST n (..)}, {@code ANY n (..)}, {@code n (..)} and a
     * bare list (which means FIRST 1). {@code *} is kept as a name; it matches no member.
     */
    public static StandbyNames parse(String guc) {
        String s = guc == null ? "" : guc.trim();
        if (s.isEmpty()) {
            return NONE;
        }
        boolean any = false;
        int count = 1;
        String list = s;
        int open = s.indexOf('(');
        if (open >= 0 && s.endsWith(")")) {
            String head = s.substring(0, open).trim();
            String upper = head.toUpperCase(Locale.ROOT);
            if (upper.startsWith("ANY")) {
                any = true;
                head = head.substring(3).trim();
            } else if (upper.startsWith("FIRST")) {
                head = head.substring(5).trim();
            }
            if (!head.isEmpty()) {
                try {
                    count = Integer.parseInt(head);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("synchronous_standby_names: cannot read the count in \"" + s + "\"");
                }
            }
            list = s.substring(open + 1, s.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.startsWith("\"") && p.endsWith("\"") && p.length() >= 2) {
                p = p.substring(1, p.length() - 1).replace("\"\"", "\"");
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return new StandbyNames(any, Math.min(count, out.size()), out);
    }
}
