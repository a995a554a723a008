package io.pgha.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority for tests, made with the {@code openssl} command in a directory of its
 * own: a CA certificate and key, and certificates it issues for servers and clients, with keys in
 * PKCS#8 (openssl's default), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC form.
 */
public final class TestCa {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final String name;

    /** A certificate and its key as files. */
    public record Issued(Path cert, Path key) {
    }

    public enum KeyFormat { PKCS8, PKCS1, EC }

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new self-signed CA named {@code name} in {@code dir} (created if missing). */
    public static TestCa create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCa ca = new TestCa(dir, name);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca.caKey().toString(), "-out", ca.caCert().toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    public Path caCert() {
        return dir.resolve(name + "-ca.crt");
    }

    private Path caKey() {
        return dir.resolve(name + "-ca.key");
    }

    /** For 127.0.0.1 and localhost, usable by servers and clients, valid for a day. */
    public Issued issue(String commonName) {
        return issue(commonName, "IP:127.0.0.1,DNS:localhost", KeyFormat.PKCS8, 1);
    }

    /**
     * @param subjectAltNames openssl's form, e.g. {@code IP:127.0.0.1,DNS:localhost}
     * @param days            0 makes a certificate that expires the second it is made
     */
    public Issued issue(String commonName, String subjectAltNames, KeyFormat format, int days) {
        String base = commonName + "-" + Long.toHexString(System.nanoTime());
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".crt");
        Path ext = dir.resolve(base + ".ext");
        try {
            Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\nextendedKeyUsage=serverAuth,clientAuth\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String newKey = format == KeyFormat.EC ? "ec" : "rsa:2048";
        List<String> req = new ArrayList<>(List.of("req", "-newkey", newKey, "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + commonName));
        if (format == KeyFormat.EC) {
            req.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        openssl(req.toArray(String[]::new));
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", caKey().toString(), "-CAcreateserial",
                "-out", cert.toString(), "-days", String.valueOf(days), "-extfile", ext.toString());
        if (format == KeyFormat.PKCS1) {
            openssl("rsa", "-in", key.toString(), "-traditional", "-out", key.toString());
        } else if (format == KeyFormat.EC) {
            openssl("ec", "-in", key.toString(), "-out", key.toString()); // SEC1: BEGIN EC PRIVATE KEY
        }
        return new Issued(cert, key);
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Command.run(command, TIMEOUT).orThrow();
    }
}
