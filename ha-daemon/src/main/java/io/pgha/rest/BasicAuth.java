package io.pgha.rest;

import io.pgha.config.Credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks an {@code Authorization: Basic} header against {@code restapi.authentication}. Both sides
 * are hashed before a constant-time comparison, so neither the content nor the length of the
 * password leaks through response timing.
 */
final class BasicAuth {
    private final byte[] expected;

    BasicAuth(Credentials credentials) {
        this.expected = sha256((credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
    }

    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String h = authorization.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(h.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(given), expected);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
