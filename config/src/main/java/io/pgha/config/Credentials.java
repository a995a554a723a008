package io.pgha.config;

import java.util.Objects;
import java.util.Optional;

/** A username and password. The password never appears in {@link #toString()}. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    /**
     * Reads {@code username}/{@code password} under {@code n}, which must be given both or neither:
     * half a pair is almost always a forgotten secret, not an intent to log in without one.
     */
    static Optional<Credentials> readPair(Node n) {
        Node user = n.get("username");
        Node pass = n.get("password");
        Optional<String> u = user.string();
        Optional<String> p = pass.string();
        if (user.isPresent() && !pass.isPresent()) {
            pass.problem("required together with username");
        }
        if (pass.isPresent() && !user.isPresent()) {
            user.problem("required together with password");
        }
        return u.isPresent() && p.isPresent() ? Optional.of(new Credentials(u.get(), p.get())) : Optional.empty();
    }
}
