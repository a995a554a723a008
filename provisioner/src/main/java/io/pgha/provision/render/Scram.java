package io.pgha.provision.render;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether a password is the one a SCRAM-SHA-256 verifier in pg_authid was made from (RFC 5802,
 * 7677): so that re-applying an unchanged password changes nothing, without ever reading it back.
 */
final class Scram {
    private Scram() {
    }

    /** verifier: SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;; false for md5 or anything else. */
    static boolean matches(String password, String verifier) {
        if (!verifier.startsWith("SCRAM-SHA-256$")) {
            return false;
        }
        try {
            String[] parts = verifier.substring("SCRAM-SHA-256$".length()).split("[$:]");
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] storedKey = Base64.getDecoder().decode(parts[2]);
            // PostgreSQL SASLprep-normalises the password; for ASCII passwords that is the identity.
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
            byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] computed = MessageDigest.getInstance("SHA-256").digest(clientKey);
            return MessageDigest.isEqual(computed, storedKey);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
