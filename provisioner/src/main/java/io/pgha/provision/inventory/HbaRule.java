package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code pg_hba_rules} in Pigsty's form: {@code user}, {@code db}, {@code addr} and
 * {@code auth} may be aliases ({@code ${admin}}, {@code intra}, {@code pwd} …) that {@link HbaRules}
 * expands; or, in the older form, {@code rawLines} that pass through as written (the four fields are
 * then empty).
 *
 * @param role  common, primary, replica or offline: on which members the rule is in effect
 * @param order lower first; Pigsty's defaults use 100–650, a rule without one sorts after them
 */
public record HbaRule(String user, String db, String addr, String auth, Optional<String> title, String role,
                      int order, List<String> rawLines) {
    /** What a rule without {@code order} gets: after every default rule, in declaration order. */
    public static final int DEFAULT_ORDER = 1000;
    public static final List<String> ROLES = List.of("common", "primary", "replica", "offline");

    public HbaRule {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(addr, "addr");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(role, "role");
        rawLines = List.copyOf(rawLines);
    }

    public HbaRule(String user, String db, String addr, String auth, Optional<String> title, String role) {
        this(user, db, addr, auth, title, role, DEFAULT_ORDER, List.of());
    }

    public boolean isRaw() {
        return !rawLines.isEmpty();
    }
}
