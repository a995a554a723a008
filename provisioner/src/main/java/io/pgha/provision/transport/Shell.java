package io.pgha.provision.transport;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting: what a command line sent to {@code sh -c} (locally or over SSH) is built with. */
public final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /**
     * The word quoted so that any POSIX shell reads it back as exactly {@code word}: unchanged when it
     * holds only characters no shell treats specially, otherwise in single quotes, each embedded
     * single quote written as {@code '\''}.
     */
    public static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by spaces: a command line. */
    public static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    public static String join(String... words) {
        return join(List.of(words));
    }
}
