package io.pgha.vip.cli;

import picocli.CommandLine;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@code vip} on its own, without the rest of the pgha executable: what the network-namespace
 * tests start from the module's classpath (the shaded pgha.jar is built after this module).
 */
public final class VipMain {
    /** Held so the setting survives garbage collection: gRPC logs through JUL. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    private VipMain() {
    }

    public static void main(String[] args) {
        GRPC_LOG.setLevel(Level.WARNING);
        System.exit(new CommandLine(new VipCommand()).execute(args));
    }
}
