package io.pgha.provision.apply;

/** Single-quotes a word for sh; replaced by the transport's Shell.quote once that lands. */
final class Quote {
    private Quote() {
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
