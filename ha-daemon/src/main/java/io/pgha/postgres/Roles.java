package io.pgha.postgres;

import io.pgha.config.Credentials;
import io.pgha.config.PostgresqlAuthentication;

import java.sql.SQLException;

/** The roles a fresh cluster needs: superuser password, replication user, pg_rewind user. */
public final class Roles {
    private final PostgresqlAuthentication auth;

    public Roles(PostgresqlAuthentication auth) {
        this.auth = auth;
    }

    public void create(Postgres pg) throws SQLException {
        // The statements below carry passwords: keep them out of PostgreSQL's log whatever
        // log_statement, log_min_duration_statement or log_min_error_statement say (as Patroni does).
        pg.execute("SET log_statement = 'none'; SET log_min_duration_statement = -1; SET log_min_error_statement = 'panic'");
        try {
            createRoles(pg);
        } finally {
            pg.execute("RESET log_statement; RESET log_min_duration_statement; RESET log_min_error_statement");
        }
    }

    private void createRoles(Postgres pg) throws SQLException {
        Credentials su = auth.superuser();
        pg.execute("ALTER ROLE " + ident(su.username()) + " WITH PASSWORD " + literal(su.password()));
        ensure(pg, auth.replication(), "REPLICATION LOGIN");
        if (auth.rewind().isPresent()) {
            Credentials rw = auth.rewind().get();
            ensure(pg, rw, "LOGIN");
            String r = ident(rw.username());
            // What pg_rewind reads from the source server, and nothing more.
            pg.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO " + r);
            pg.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO " + r);
            pg.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO " + r);
            pg.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO " + r);
        }
    }

    private void ensure(Postgres pg, Credentials c, String attributes) throws SQLException {
        if (c.username().equals(auth.superuser().username())) {
            return;
        }
        pg.execute("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal(c.username()) + ") THEN "
                + "CREATE ROLE " + ident(c.username()) + "; END IF; END$$");
        pg.execute("ALTER ROLE " + ident(c.username()) + " WITH " + attributes + " PASSWORD " + literal(c.password()));
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
