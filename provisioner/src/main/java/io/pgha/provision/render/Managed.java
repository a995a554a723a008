package io.pgha.provision.render;

/** The first lines of every file the provisioner writes, so that nobody edits one by hand unwarned. */
final class Managed {
    private Managed() {
    }

    static String header(String what, String inventoryName) {
        return "# " + what + "\n# Written by `pgha provision apply` from " + inventoryName
                + "; edit the inventory and re-apply instead of this file.\n";
    }
}
