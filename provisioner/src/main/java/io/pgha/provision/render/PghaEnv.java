package io.pgha.provision.render;

import io.pgha.provision.inventory.Settings;

/** /etc/pgha/pgha.env: the passwords pgha.yml leaves out, read by the three units (root:postgres 0640). */
final class PghaEnv {
    private PghaEnv() {
    }

    static String render(Settings s, String inventoryName) {
        return Managed.header("Passwords of the pgha units on this node", inventoryName)
                + "PGHA_SUPERUSER_PASSWORD=" + s.adminPassword().reveal() + "\n"
                + "PGHA_REPLICATION_PASSWORD=" + s.replicationPassword().reveal() + "\n";
    }
}
