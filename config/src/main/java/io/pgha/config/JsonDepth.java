package io.pgha.config;

/**
 * How deeply a JSON text nests, measured before it is parsed. Nothing pgha reads (DCS keys, REST
 * bodies, the dynamic config) nests past a handful of levels, while a hostile 64 KiB body of
 * {@code [[[[…} nests 32 thousand deep; refusing it up front keeps recursive code (copy, encode,
 * merge) far from the stack limit whatever the JSON library's own limit is.
 */
public final class JsonDepth {
    /** Far above what Patroni or pgha write (the dynamic config nests four levels). */
    public static final int LIMIT = 32;

    private JsonDepth() {
    }

    /** The deepest nesting of objects and arrays, ignoring brackets inside strings. */
    public static int of(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }

    /** True when the text nests deeper than {@link #LIMIT}. */
    public static boolean tooDeep(String text) {
        return of(text) > LIMIT;
    }

    /** The one message every reader uses, so operators see the same words from the API and the DCS. */
    public static String message() {
        return "JSON nested deeper than " + LIMIT + " levels";
    }
}
