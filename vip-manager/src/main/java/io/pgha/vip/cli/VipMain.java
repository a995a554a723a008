package io.pgha.vip.cli;

import picocli.CommandLine;

/**
 * Runs {@code vip} on its own, without the rest of the pgha executable: what the network-namespace
 * tests start from the module's classpath (the shaded pgha.jar is built after this module).
 */
public final class VipMain {
    /** Held so the setting survives garbage collection: gRPC logs through JUL. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    private VipMain() {
    }

    public static void main(String[] args) {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(new CommandLine(new VipCommand()).execute(args));
    }
}
