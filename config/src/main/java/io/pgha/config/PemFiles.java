package io.pgha.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and keys ({@code etcd3.cert}/{@code key}, the CLI's {@code --cert}/{@code --key}). Keys come as PKCS#8 ({@code BEGIN PRIVATE
 * KEY}, openssl 3's default) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what older tooling and many
 * Ansible roles write); the JDK reads only the first, so PKCS#1 is wrapped into PKCS#8 here. Any
 * other form is refused with a message that names it and the command that converts it.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static PrivateKey privateKey(Path file) {
        String text = read(file);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = decode(file, m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrapPkcs1(der));
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException(file + ": an EC key in SEC1 form (BEGIN EC PRIVATE KEY) is not supported;"
                            + " convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pk8.pem");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(file + ": the key is encrypted (BEGIN ENCRYPTED PRIVATE KEY); pgha needs it unencrypted,"
                            + " readable only by its user (mode 0600)");
                default:
                    // a certificate or parameters block beside the key: look further
            }
        }
        if (text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException(file + ": the key is encrypted (Proc-Type: 4,ENCRYPTED); pgha needs it unencrypted");
        }
        throw new IllegalArgumentException(file + ": no PEM private key found (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }

    /** The certificate chain in the file, leaf first. */
    public static X509Certificate[] certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + ": no PEM certificate found (expected BEGIN CERTIFICATE)");
            }
            return certs.toArray(X509Certificate[]::new);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(Path file, String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64.replaceAll("(?m)^[A-Za-z-]+:.*$", "").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the PEM block is not valid base64", e);
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // the next algorithm, perhaps
            }
        }
        throw new IllegalArgumentException(file + ": a PKCS#8 key of an algorithm other than RSA, EC or Ed25519, or damaged");
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key as an octet string. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((n >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
