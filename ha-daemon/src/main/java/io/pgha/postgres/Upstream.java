package io.pgha.postgres;

import java.net.URI;
import java.util.Optional;

/** The member a replica streams from, as its {@code conn_url} names it. */
public record Upstream(String member, String host, int port) {

    /** From a member's {@code conn_url} ({@code postgres://host:port/postgres}). */
    public static Optional<Upstream> fromConnUrl(String member, String connUrl) {
        try {
            URI uri = URI.create(connUrl);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new Upstream(member, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A libpq connection string; passwords come from the passfile, never from the string. */
    public String conninfo(String user, String passfile, String applicationName, String dbname) {
        StringBuilder b = new StringBuilder();
        add(b, "host", host);
        add(b, "port", Integer.toString(port));
        add(b, "user", user);
        add(b, "passfile", passfile);
        if (dbname != null) {
            add(b, "dbname", dbname);
        }
        add(b, "application_name", applicationName);
        add(b, "connect_timeout", "2");
        add(b, "sslmode", "prefer");
        // Notice a dead upstream in seconds, not after the kernel's two-hour keepalive default.
        add(b, "keepalives", "1");
        add(b, "keepalives_idle", "2");
        add(b, "keepalives_interval", "1");
        add(b, "keepalives_count", "3");
        return b.toString().strip();
    }

    private static void add(StringBuilder b, String key, String value) {
        b.append(key).append("='").append(value.replace("\\", "\\\\").replace("'", "\\'")).append("' ");
    }
}
