package io.pgha.provision.render;

/** Quoting for generated SQL: identifiers always quoted, literals with doubled quotes. */
final class Sql {
    private Sql() {
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
