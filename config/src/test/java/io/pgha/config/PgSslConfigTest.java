package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Patroni's libpq TLS keys under {@code postgresql.authentication.<role>}. */
class PgSslConfigTest {
    @Test
    void verifyFullWithItsFilesIsReadPerRoleAndRewindFallsBackToTheSuperuser() {
        PostgresqlAuthentication auth = PghaConfig.parse(Fixture.full()
                .set("postgresql.authentication.replication.sslmode", "verify-full")
                .set("postgresql.authentication.replication.sslrootcert", "/pg/cert/ca.crt")
                .set("postgresql.authentication.replication.sslcert", "/pg/cert/repl.crt")
                .set("postgresql.authentication.replication.sslkey", "/pg/cert/repl.key")
                .set("postgresql.authentication.replication.sslcrl", "/pg/cert/ca.crl")
                .set("postgresql.authentication.superuser.sslmode", "require")
                .remove("postgresql.authentication.rewind")
                .yaml(), Map.of()).postgresql().authentication();
        assertThat(auth.replicationSsl().libpq()).containsExactly(Map.entry("sslmode", "verify-full"), Map.entry("sslcert", "/pg/cert/repl.crt"),
                Map.entry("sslkey", "/pg/cert/repl.key"), Map.entry("sslrootcert", "/pg/cert/ca.crt"), Map.entry("sslcrl", "/pg/cert/ca.crl"));
        assertThat(auth.replicationSsl().rootCert()).contains(Path.of("/pg/cert/ca.crt"));
        assertThat(auth.rewindRoleSsl().mode()).isEqualTo(Optional.of("require"));
        assertThat(PgSsl.NONE.libpq()).as("libpq's default, as before").containsExactly(Map.entry("sslmode", "prefer"));
    }

    @Test
    void badValuesAreNamed() {
        assertThat(Fixture.full().set("postgresql.authentication.replication.sslmode", "verify").problems())
                .containsExactly("postgresql.authentication.replication.sslmode: expected one of disable, allow, prefer, require, verify-ca,"
                        + " verify-full, got \"verify\"");
        assertThat(Fixture.full().set("postgresql.authentication.replication.sslmode", "verify-full").problems())
                .containsExactly("postgresql.authentication.replication.sslrootcert: required with sslmode verify-full: the CA that signed"
                        + " the server's certificate");
        assertThat(Fixture.full().set("postgresql.authentication.rewind.sslcert", "/pg/cert/rw.crt").problems())
                .containsExactly("postgresql.authentication.rewind.sslkey: required together with sslcert");
        assertThat(Fixture.full().set("postgresql.authentication.superuser.sslrootcert", "ca.crt").problems())
                .containsExactly("postgresql.authentication.superuser.sslrootcert: must be an absolute path, got \"ca.crt\"");
        assertThat(Fixture.full().set("postgresql.authentication.superuser.sslpassword", "x").problems())
                .containsExactly("postgresql.authentication.superuser.sslpassword: not supported by pgha (use an unencrypted sslkey,"
                        + " mode 0600: a key password would sit in primary_conninfo and on pg_basebackup's command line)");
    }
}
