package io.pgha.provision.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles and databases a cluster's primary holds, parsed from {@link #QUERY}'s output (every
 * column text, as UNION ALL needs one type per column): fields
 * separated by 0x1f and records by 0x1e, so that comments with any text survive.
 */
record DbState(Map<String, Role> roles, Map<String, Database> databases) {
    static final String FIELD = "\u001f";
    static final String RECORD = "\u001e";

    static final String QUERY = """
            SELECT 'R', r.rolname, r.rolsuper::text, r.rolinherit::text, r.rolcreaterole::text, r.rolcreatedb::text,
                   r.rolcanlogin::text, r.rolreplication::text, r.rolbypassrls::text, r.rolconnlimit::text,
                   coalesce(to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''), coalesce(a.rolpassword, ''),
                   coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m
                             JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), ''),
                   coalesce(shobj_description(r.oid, 'pg_authid'), '')
              FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname !~ '^pg_'
            UNION ALL
            SELECT 'D', d.datname, pg_get_userbyid(d.datdba), coalesce(shobj_description(d.oid, 'pg_database'), ''),
                   '', '', '', '', '', '', '', '', '', ''
              FROM pg_database d WHERE NOT d.datistemplate
            """;

    record Role(String name, boolean superuser, boolean inherit, boolean createrole, boolean createdb, boolean login,
                boolean replication, boolean bypassrls, int connlimit, String validUntil, String verifier,
                Set<String> memberOf, String comment) {
        @Override
        public String toString() {
            return "Role[" + name + "]"; // the verifier is not a password, but not for logs either
        }
    }

    record Database(String name, String owner, String comment) {
    }

    static DbState parse(String output) {
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, Database> dbs = new LinkedHashMap<>();
        for (String rec : output.split(RECORD)) {
            String r = rec.startsWith("\n") ? rec.substring(1) : rec;
            if (r.isBlank()) {
                continue;
            }
            String[] f = r.split(FIELD, -1);
            if (f[0].equals("R") && f.length >= 14) {
                roles.put(f[1], new Role(f[1], t(f[2]), t(f[3]), t(f[4]), t(f[5]), t(f[6]), t(f[7]), t(f[8]),
                        Integer.parseInt(f[9]), f[10], f[11], f[12].isEmpty() ? Set.of() : Set.copyOf(List.of(f[12].split(","))), f[13]));
            } else if (f[0].equals("D") && f.length >= 4) {
                dbs.put(f[1], new Database(f[1], f[2], f[3]));
            }
        }
        return new DbState(roles, dbs);
    }

    private static boolean t(String v) {
        return v.equals("t") || v.equals("true"); // psql prints a boolean cast to text as "true"
    }
}
