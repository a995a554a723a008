package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code pg_databases}: name, owner, template, encoding, locale, comment, extensions, state. */
final class DatabaseReader {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DatabaseReader() {
    }

    static List<PgDatabase> read(Node list, Reading r) {
        List<PgDatabase> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Node item : list.items()) {
            if (!r.checkFields(item, ImplementedKeys.DATABASE_FIELDS, "pg_databases")) {
                continue;
            }
            Node nameNode = item.get("name").required();
            Optional<String> name = Read.matching(nameNode, s -> NAME.matcher(s).matches(),
                    "a database name of lowercase letters, digits and '_' (at most 63)");
            if (name.isEmpty()) {
                continue;
            }
            String first = seen.putIfAbsent(name.get(), nameNode.path());
            if (first != null) {
                nameNode.problem("database " + name.get() + " is declared twice (first at " + first + "): merge the two entries");
                continue;
            }
            out.add(new PgDatabase(name.get(), UserReader.roleName(item.get("owner")), item.get("template").string(),
                    item.get("encoding").string(), item.get("locale").string(), item.get("comment").string(),
                    extensions(item.get("extensions"), r), StateReader.read(item.get("state"))));
        }
        return out;
    }

    /** Pigsty writes an extension as a name or as {@code {name, schema}}; pgha creates it by name. */
    private static List<String> extensions(Node list, Reading r) {
        List<String> out = new ArrayList<>();
        for (Node item : list.items()) {
            Node name = item;
            if (item.value() instanceof Map<?, ?>) {
                r.checkFields(item, List.of("name"), "pg_databases[].extensions");
                name = item.get("name").required();
            }
            name.string().ifPresent(out::add);
        }
        return out;
    }
}
