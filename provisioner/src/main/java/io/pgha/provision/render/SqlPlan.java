package io.pgha.provision.render;

import io.pgha.provision.inventory.DefaultRoles;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgDatabase;
import io.pgha.provision.inventory.PgUser;
import io.pgha.provision.inventory.Secret;
import io.pgha.provision.inventory.Settings;
import io.pgha.provision.inventory.State;
import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.Redaction;
import io.pgha.provision.transport.Shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.pgha.provision.render.Sql.ident;
import static io.pgha.provision.render.Sql.literal;

/**
 * Users and databases, declaratively: what is declared and missing is created, what differs is
 * altered (attributes, password, memberships added, owner, comment); nothing is dropped unless the
 * inventory says {@code state: absent}. A password is compared with the stored SCRAM verifier, so
 * an unchanged one is not set again.
 */
final class SqlPlan {
    private final PgCluster cluster;
    private final Settings settings;
    private final String host;
    private final Redaction redaction;

    SqlPlan(PgCluster cluster, Settings settings, String host, Redaction redaction) {
        this.cluster = cluster;
        this.settings = settings;
        this.host = host;
        this.redaction = redaction;
    }

    /** The psql command line the statements are fed to, as root on the primary. */
    String psql(String database) {
        return "runuser -u " + Shell.quote(settings.dbsu()) + " -- psql -X -q -v ON_ERROR_STOP=1 -h /run/postgresql -p "
                + cluster.vars().pgPort() + " -d " + Shell.quote(database) + " -f -";
    }

    /** The query of what the primary holds. */
    String query() {
        return "runuser -u " + Shell.quote(settings.dbsu()) + " -- psql -X -At -F \"$(printf '\\037')\" -R \"$(printf '\\036')\""
                + " -h /run/postgresql -p " + cluster.vars().pgPort() + " -d postgres -c " + Shell.quote(DbState.QUERY);
    }

    List<Change> plan(DbState have) {
        List<Change> out = new ArrayList<>();
        for (String role : DefaultRoles.NAMES) {
            if (!have.roles().containsKey(role)) {
                out.add(sql("create role " + role, defaultRole(role)));
            }
        }
        for (PgUser u : systemUsers()) {
            user(u, have, out);
        }
        for (PgUser u : cluster.vars().users()) {
            user(u, have, out);
        }
        for (PgDatabase d : cluster.vars().databases()) {
            database(d, have, out);
        }
        return out;
    }

    private void user(PgUser u, DbState have, List<Change> out) {
        Optional<DbState.Role> now = Optional.ofNullable(have.roles().get(u.name()));
        if (u.state() == State.ABSENT) {
            now.ifPresent(r -> out.add(sql("drop role " + u.name() + " (state: absent)", "DROP ROLE " + ident(u.name()))));
            return;
        }
        if (now.isEmpty()) {
            out.add(sql("create role " + u.name(), "CREATE ROLE " + ident(u.name()) + " WITH " + attributes(u)
                    + u.password().map(p -> " PASSWORD " + literal(p.reveal())).orElse("")));
        } else {
            DbState.Role r = now.get();
            List<String> differ = new ArrayList<>();
            flag(differ, "SUPERUSER", u.superuser(), r.superuser());
            flag(differ, "INHERIT", u.inherit(), r.inherit());
            flag(differ, "CREATEROLE", u.createrole(), r.createrole());
            flag(differ, "CREATEDB", u.createdb(), r.createdb());
            flag(differ, "LOGIN", u.login(), r.login());
            flag(differ, "REPLICATION", u.replication(), r.replication());
            flag(differ, "BYPASSRLS", u.bypassrls(), r.bypassrls());
            int limit = u.connlimit().orElse(-1);
            if (limit != r.connlimit()) {
                differ.add("CONNECTION LIMIT " + limit);
            }
            String until = u.expireAt().orElse("");
            if (!until.equals(r.validUntil())) {
                differ.add("VALID UNTIL " + literal(until.isEmpty() ? "infinity" : until));
            }
            if (!differ.isEmpty()) {
                out.add(sql("alter role " + u.name() + ": " + String.join(" ", differ),
                        "ALTER ROLE " + ident(u.name()) + " WITH " + String.join(" ", differ)));
            }
            if (u.password().isPresent() && !Scram.matches(u.password().get().reveal(), r.verifier())) {
                out.add(sql("set the password of " + u.name(), "ALTER ROLE " + ident(u.name()) + " WITH PASSWORD "
                        + literal(u.password().get().reveal())));
            }
        }
        Optional<DbState.Role> current = now;
        for (String g : u.roles()) {
            if (current.isEmpty() || !current.get().memberOf().contains(g)) {
                out.add(sql("grant " + g + " to " + u.name(), "GRANT " + ident(g) + " TO " + ident(u.name())));
            }
        }
        String comment = u.comment().orElse("");
        if (!comment.isEmpty() && (current.isEmpty() || !current.get().comment().equals(comment))) {
            out.add(sql("comment on role " + u.name(), "COMMENT ON ROLE " + ident(u.name()) + " IS " + literal(comment)));
        }
    }

    private void database(PgDatabase d, DbState have, List<Change> out) {
        Optional<DbState.Database> now = Optional.ofNullable(have.databases().get(d.name()));
        if (d.state() == State.ABSENT) {
            now.ifPresent(x -> out.add(sql("drop database " + d.name() + " (state: absent)", "DROP DATABASE " + ident(d.name()))));
            return;
        }
        if (now.isEmpty()) {
            StringBuilder s = new StringBuilder("CREATE DATABASE " + ident(d.name()));
            d.owner().ifPresent(o -> s.append(" OWNER ").append(ident(o)));
            d.template().ifPresent(t -> s.append(" TEMPLATE ").append(ident(t)));
            d.encoding().ifPresent(e -> s.append(" ENCODING ").append(literal(e)));
            d.locale().ifPresent(l -> s.append(" LOCALE ").append(literal(l)));
            out.add(sql("create database " + d.name(), s.toString()));
        } else if (d.owner().isPresent() && !d.owner().get().equals(now.get().owner())) {
            out.add(sql("database " + d.name() + ": owner " + now.get().owner() + " → " + d.owner().get(),
                    "ALTER DATABASE " + ident(d.name()) + " OWNER TO " + ident(d.owner().get())));
        }
        String comment = d.comment().orElse("");
        if (!comment.isEmpty() && (now.isEmpty() || !now.get().comment().equals(comment))) {
            out.add(sql("comment on database " + d.name(), "COMMENT ON DATABASE " + ident(d.name()) + " IS " + literal(comment)));
        }
    }

    /** The administrator and the monitoring user Pigsty has in every cluster (the replication user is the daemon's). */
    private List<PgUser> systemUsers() {
        PgUser admin = new PgUser(settings.adminUsername(), Optional.of(settings.adminPassword()), true, true, true, true, true,
                true, true, Optional.empty(), Optional.empty(), List.of(), Optional.of("pgha: administrator"), State.PRESENT);
        PgUser monitor = new PgUser(settings.monitorUsername(), Optional.of(settings.monitorPassword()), true, false, false,
                false, true, false, false, Optional.empty(), Optional.empty(), List.of("pg_monitor"),
                Optional.of("pgha: monitoring"), State.PRESENT);
        return List.of(admin, monitor);
    }

    /** Pigsty's RBAC skeleton: read-only, offline, read-write (in read-only), admin (in read-write). */
    private static String defaultRole(String role) {
        return switch (role) {
            case "dbrole_readonly" -> "CREATE ROLE dbrole_readonly NOLOGIN; GRANT pg_read_all_data TO dbrole_readonly";
            case "dbrole_offline" -> "CREATE ROLE dbrole_offline NOLOGIN; GRANT pg_read_all_data TO dbrole_offline";
            case "dbrole_readwrite" -> "CREATE ROLE dbrole_readwrite NOLOGIN IN ROLE dbrole_readonly; GRANT pg_write_all_data TO dbrole_readwrite";
            case "dbrole_admin" -> "CREATE ROLE dbrole_admin NOLOGIN CREATEROLE IN ROLE dbrole_readwrite, pg_monitor, pg_signal_backend";
            default -> throw new IllegalArgumentException(role);
        };
    }

    private static String attributes(PgUser u) {
        List<String> a = new ArrayList<>();
        a.add(u.login() ? "LOGIN" : "NOLOGIN");
        a.add(u.superuser() ? "SUPERUSER" : "NOSUPERUSER");
        a.add(u.inherit() ? "INHERIT" : "NOINHERIT");
        a.add(u.createrole() ? "CREATEROLE" : "NOCREATEROLE");
        a.add(u.createdb() ? "CREATEDB" : "NOCREATEDB");
        a.add(u.replication() ? "REPLICATION" : "NOREPLICATION");
        a.add(u.bypassrls() ? "BYPASSRLS" : "NOBYPASSRLS");
        u.connlimit().ifPresent(l -> a.add("CONNECTION LIMIT " + l));
        u.expireAt().ifPresent(e -> a.add("VALID UNTIL " + literal(e)));
        return String.join(" ", a);
    }

    private static void flag(List<String> differ, String name, boolean want, boolean have) {
        if (want != have) {
            differ.add(want ? name : "NO" + name);
        }
    }

    private Change sql(String what, String statement) {
        String text = statement.endsWith(";") ? statement + "\n" : statement + ";\n";
        return new Change.RunCommand(host, what, psql("postgres"), text, redaction.mask(text));
    }

    /** Secrets a plan of this cluster must never show. */
    static List<String> secrets(PgCluster c, Settings s) {
        List<String> out = new ArrayList<>(List.of(s.adminPassword().reveal(), s.replicationPassword().reveal(), s.monitorPassword().reveal()));
        c.vars().users().forEach(u -> u.password().map(Secret::reveal).ifPresent(out::add));
        return out;
    }
}
