package io.pgha.provision.render;

/** Single-quoting for the command lines rendered here (run by sh on the host). */
final class Quote {
    private Quote() {
    }

    static String sh(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
