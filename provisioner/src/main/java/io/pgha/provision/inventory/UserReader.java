package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Pattern;

/** {@code pg_users}: each user's attributes, with Pigsty's defaults (login and inherit on, the rest off). */
final class UserReader {
    /** A role name pgha can write unquoted in SQL and in pg_hba.conf. */
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    private UserReader() {
    }

    static List<PgUser> read(Node list, Reading r) {
        List<PgUser> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Node item : list.items()) {
            if (!r.checkFields(item, ImplementedKeys.USER_FIELDS, "pg_users")) {
                continue;
            }
            Node nameNode = item.get("name");
            Optional<String> name = roleName(nameNode.required());
            if (name.isEmpty()) {
                continue;
            }
            String first = seen.putIfAbsent(name.get(), nameNode.path());
            if (first != null) {
                nameNode.problem("user " + name.get() + " is declared twice (first at " + first + "): merge the two entries");
                continue;
            }
            Optional<Integer> connlimit = Read.intIn(item.get("connlimit"), -1, Integer.MAX_VALUE, "a connection limit ≥ -1 (-1: none)");
            out.add(new PgUser(name.get(),
                    Read.secret(item.get("password")),
                    Read.bool(item.get("login"), true),
                    Read.bool(item.get("superuser"), false),
                    Read.bool(item.get("createdb"), false),
                    Read.bool(item.get("createrole"), false),
                    Read.bool(item.get("inherit"), true),
                    Read.bool(item.get("replication"), false),
                    Read.bool(item.get("bypassrls"), false),
                    connlimit.filter(c -> c >= 0),
                    expireAt(item.get("expire_at")),
                    memberOf(item.get("roles"), r),
                    item.get("comment").string(),
                    StateReader.read(item.get("state"))));
        }
        return out;
    }

    static Optional<String> roleName(Node n) {
        return Read.matching(n, s -> NAME.matcher(s).matches(),
                "a role name of lowercase letters, digits and '_' (at most 63)");
    }

    /** Pigsty allows a name or {@code {name, admin, ...}} per entry; pgha grants by name. */
    private static List<String> memberOf(Node roles, Reading r) {
        List<String> out = new ArrayList<>();
        for (Node item : roles.items()) {
            Node name = item;
            if (item.value() instanceof Map<?, ?>) {
                r.checkFields(item, List.of("name", "state"), "pg_users[].roles");
                if ("absent".equals(item.get("state").value())) {
                    // Ignoring it would grant the very role the entry asks to revoke.
                    item.get("state").problem("revoking a role is not supported by pgha: remove the entry (pgha then leaves the grant as it is)");
                    continue;
                }
                name = item.get("name").required();
            }
            roleName(name).ifPresent(out::add);
        }
        return out;
    }

    /** YAML reads an unquoted {@code 2030-12-31} as a timestamp; both spellings are the same date. */
    private static Optional<String> expireAt(Node n) {
        if (n.value() instanceof Date d) {
            SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd");
            f.setTimeZone(TimeZone.getTimeZone("UTC"));
            return Optional.of(f.format(d));
        }
        Optional<String> s = n.string();
        if (s.isPresent() && !s.get().matches("\\d{4}-\\d{2}-\\d{2}")) {
            n.problem("expected a date like 2030-12-31, got " + Values.describe(s.get()));
            return Optional.empty();
        }
        return s;
    }
}
