package io.pgha.provision.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Small inventories for the tests, built around one etcd member and a two-member pg-test. */
public final class Inventories {
    static final String PRIMARY_AND_REPLICA = """
                    10.10.10.11: { pg_seq: 1, pg_role: primary }
                    10.10.10.12: { pg_seq: 2, pg_role: replica }
            """;

    private Inventories() {
    }

    /** {@code hosts} are lines under pg-test.hosts, {@code clusterVars} under pg-test.vars, {@code allVars} under all.vars (8/8/4 spaces). */
    static String inventory(String hosts, String clusterVars, String allVars) {
        return """
                all:
                  children:
                    etcd:
                      hosts:
                        10.10.10.10: { etcd_seq: 1 }
                    pg-test:
                      hosts:
                """ + hosts + """
                      vars:
                        pg_cluster: pg-test
                """ + clusterVars + """
                  vars:
                    admin_ip: 10.10.10.10
                """ + allVars;
    }

    static String withClusterVars(String clusterVars) {
        return inventory(PRIMARY_AND_REPLICA, clusterVars, "");
    }

    static String withAllVars(String allVars) {
        return inventory(PRIMARY_AND_REPLICA, "", allVars);
    }

    public static Inventory parse(String yaml) {
        return InventoryReader.parse(yaml, "test.yml");
    }

    static List<String> problems(String yaml) {
        InventoryException e = catchThrowableOfType(InventoryException.class, () -> parse(yaml));
        assertThat(e).as("the inventory should have been refused").isNotNull();
        return e.problems().stream().map(InventoryProblem::toString).toList();
    }
}
