package io.pgha.config;

/**
 * The DCS namespace every cluster key sits under ({@code /service} by default, as in Patroni).
 * Normalised here, where the file is read, so the DCS layer and the config agree on one spelling.
 */
public final class Namespace {
    public static final String DEFAULT = "/service";

    private Namespace() {
    }

    /** A leading '/', no trailing '/'; blank means {@link #DEFAULT}. */
    public static String normalize(String namespace) {
        String ns = namespace == null || namespace.isBlank() ? DEFAULT : namespace.trim();
        if (!ns.startsWith("/")) {
            ns = "/" + ns;
        }
        while (ns.length() > 1 && ns.endsWith("/")) {
            ns = ns.substring(0, ns.length() - 1);
        }
        return ns;
    }
}
