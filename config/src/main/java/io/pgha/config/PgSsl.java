package io.pgha.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A role's libpq TLS settings under {@code postgresql.authentication.<role>}, as Patroni names them:
 * {@code sslmode} and the files libpq reads. Empty {@code mode} keeps libpq's {@code prefer}.
 */
public record PgSsl(Optional<String> mode, Optional<Path> cert, Optional<Path> key, Optional<Path> rootCert,
                    Optional<Path> crl, Optional<Path> crlDir) {
    public static final PgSsl NONE = new PgSsl(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
    static final String[] MODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};

    public PgSsl {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rootCert, "rootCert");
        Objects.requireNonNull(crl, "crl");
        Objects.requireNonNull(crlDir, "crlDir");
    }

    /** The libpq keywords given, in a fixed order; {@code sslmode} defaults to {@code prefer}. */
    public Map<String, String> libpq() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sslmode", mode.orElse("prefer"));
        cert.ifPresent(p -> m.put("sslcert", p.toString()));
        key.ifPresent(p -> m.put("sslkey", p.toString()));
        rootCert.ifPresent(p -> m.put("sslrootcert", p.toString()));
        crl.ifPresent(p -> m.put("sslcrl", p.toString()));
        crlDir.ifPresent(p -> m.put("sslcrldir", p.toString()));
        return m;
    }

    /** Whether libpq checks the server's certificate against {@code sslrootcert}. */
    public boolean verifiesServer() {
        return mode.filter(m -> m.startsWith("verify-")).isPresent();
    }

    static PgSsl read(Node n) {
        Optional<String> mode = n.get("sslmode").oneOf(MODES);
        Optional<Path> cert = n.get("sslcert").absolutePath();
        Optional<Path> key = n.get("sslkey").absolutePath();
        Optional<Path> rootCert = n.get("sslrootcert").absolutePath();
        if (cert.isPresent() != key.isPresent()) {
            n.get(cert.isPresent() ? "sslkey" : "sslcert").problem("required together with " + (cert.isPresent() ? "sslcert" : "sslkey"));
        }
        if (mode.filter(m -> m.startsWith("verify-")).isPresent() && rootCert.isEmpty()) {
            n.get("sslrootcert").problem("required with sslmode " + mode.get()
                    + ": the CA that signed the server's certificate");
        }
        return new PgSsl(mode, cert, key, rootCert, n.get("sslcrl").absolutePath(), n.get("sslcrldir").absolutePath());
    }
}
