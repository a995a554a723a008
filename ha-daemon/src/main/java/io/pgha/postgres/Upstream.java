package io.pgha.postgres;

import io.pgha.config.PgSsl;

import java.net.URI;
import java.util.Optional;

/**
 * What a replica streams from: a member, as its {@code conn_url} names it, or, for the leader of a
 * standby cluster, the remote primary ({@code remote}), whose {@code host} may list several
 * addresses and whose slot, if any, the remote cluster keeps ({@code remoteSlot}).
 */
public record Upstream(String member, String host, int port, boolean remote, Optional<String> remoteSlot, String remotePorts) {
    /** What a standby leader's upstream is called in logs and in {@code following}. */
    public static final String REMOTE = "the remote primary";

    public Upstream(String member, String host, int port) {
        this(member, host, port, false, Optional.empty(), "");
    }

    /** {@code hosts} and {@code ports} as libpq lists them: comma-separated, one port or one per host. */
    public static Upstream remote(String hosts, String ports, Optional<String> slot) {
        return new Upstream(REMOTE, hosts, Integer.parseInt(ports.split(",")[0]), true, slot, ports);
    }

    /** host:port as logs show it. */
    public String where() {
        return remote ? host + " port " + remotePorts : host + ":" + port;
    }

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
        return conninfo(user, passfile, applicationName, dbname, PgSsl.NONE);
    }

    /** The same, with the role's TLS settings ({@code sslmode=prefer} when none are given). */
    public String conninfo(String user, String passfile, String applicationName, String dbname, PgSsl ssl) {
        StringBuilder b = new StringBuilder();
        add(b, "host", host);
        add(b, "port", remote ? remotePorts : Integer.toString(port));
        add(b, "user", user);
        add(b, "passfile", passfile);
        if (dbname != null) {
            add(b, "dbname", dbname);
        }
        add(b, "application_name", applicationName);
        if (host.contains(",")) {
            // Several addresses of a remote cluster: libpq takes the one that is primary now, so a
            // standby cluster follows its source across the source's failovers.
            add(b, "target_session_attrs", "primary");
        }
        add(b, "connect_timeout", "2");
        ssl.libpq().forEach((k, v) -> add(b, k, v));
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
