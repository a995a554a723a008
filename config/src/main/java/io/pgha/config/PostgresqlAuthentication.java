package io.pgha.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code postgresql.authentication}: the superuser (local control, rewind fallback), the
 * replication user (streaming, basebackup), and optionally a dedicated pg_rewind user; each with
 * its libpq TLS settings.
 */
public record PostgresqlAuthentication(Credentials superuser, Credentials replication, Optional<Credentials> rewind,
                                       PgSsl superuserSsl, PgSsl replicationSsl, PgSsl rewindSsl) {
    public static final String DEFAULT_SUPERUSER = "postgres";
    public static final String DEFAULT_REPLICATION = "replicator";
    public static final String DEFAULT_REWIND = "rewind_user";

    static final Keys KEYS = Keys.of("superuser", "replication", "rewind");
    private static final Keys ROLE_KEYS = Keys.of("username", "password", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslcrldir")
            .unsupported("sslpassword", "use an unencrypted sslkey, mode 0600: a key password would sit in primary_conninfo and on pg_basebackup's command line")
            .unsupported("gssencmode").unsupported("channel_binding");

    public PostgresqlAuthentication {
        Objects.requireNonNull(superuser, "superuser");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(rewind, "rewind");
        Objects.requireNonNull(superuserSsl, "superuserSsl");
        Objects.requireNonNull(replicationSsl, "replicationSsl");
        Objects.requireNonNull(rewindSsl, "rewindSsl");
    }

    public PostgresqlAuthentication(Credentials superuser, Credentials replication, Optional<Credentials> rewind) {
        this(superuser, replication, rewind, PgSsl.NONE, PgSsl.NONE, PgSsl.NONE);
    }

    /** Who pg_rewind connects to the source as: the rewind user if configured, else the superuser. */
    public Credentials rewindRole() {
        return rewind.orElse(superuser);
    }

    /** The TLS settings of {@link #rewindRole()}. */
    public PgSsl rewindRoleSsl() {
        return rewind.isPresent() ? rewindSsl : superuserSsl;
    }

    static PostgresqlAuthentication read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        Optional<Credentials> superuser = role(n.get("superuser"), DEFAULT_SUPERUSER, "PGHA_SUPERUSER_PASSWORD");
        Optional<Credentials> replication = role(n.get("replication"), DEFAULT_REPLICATION, "PGHA_REPLICATION_PASSWORD");
        Node rewindNode = n.get("rewind");
        Optional<Credentials> rewind = rewindNode.isPresent()
                ? role(rewindNode, DEFAULT_REWIND, "PGHA_REWIND_PASSWORD") : Optional.empty();
        PgSsl superuserSsl = PgSsl.read(n.get("superuser"));
        PgSsl replicationSsl = PgSsl.read(n.get("replication"));
        PgSsl rewindSsl = PgSsl.read(rewindNode);
        if (n.problems().addedSince(mark)) {
            return null;
        }
        return new PostgresqlAuthentication(superuser.orElseThrow(), replication.orElseThrow(), rewind,
                superuserSsl, replicationSsl, rewindSsl);
    }

    private static Optional<Credentials> role(Node n, String defaultUser, String passwordVariable) {
        if (!n.mapping(ROLE_KEYS)) {
            return Optional.empty();
        }
        String user = n.get("username").string().orElse(defaultUser);
        return n.get("password").required("or set " + passwordVariable).string().map(p -> new Credentials(user, p));
    }
}
