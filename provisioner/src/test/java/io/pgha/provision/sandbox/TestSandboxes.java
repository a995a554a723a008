package io.pgha.provision.sandbox;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Sandboxes for tests: a random name ("sb" + 4 base36 characters) and a random 10.222.x.0/24, so runs never collide. */
public final class TestSandboxes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();
    private static final java.util.Set<SandboxSpec> MADE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // A test run that ends without its @AfterAll (Ctrl-C, a failure in setup) still leaves nothing behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(TestSandboxes::downQuietly), "down-test-sandboxes"));
    }

    private TestSandboxes() {
    }

    /** {@code hosts} hosts at .11, .12, … of a fresh subnet; the bridge takes .1. */
    public static SandboxSpec fresh(int hosts) {
        StringBuilder name = new StringBuilder("sb");
        for (int i = 0; i < 4; i++) {
            name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        String prefix = "10.222." + freeThirdOctet() + ".";
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            addresses.add(prefix + (11 + i));
        }
        SandboxSpec spec = SandboxSpec.of(name.toString(), addresses);
        MADE.add(spec);
        return spec;
    }

    /**
     * A third octet no sandbox of this JVM has taken and no route of this machine covers: two random picks
     * collide often enough (birthday odds over a run's sandboxes) to have failed CI once.
     */
    private static synchronized int freeThirdOctet() {
        String routes = Cmd.run("ip", "-4", "route", "show").orThrow().output();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int octet = RANDOM.nextInt(256);
            if (!TAKEN.contains(octet) && !routes.contains("10.222." + octet + ".")) {
                TAKEN.add(octet);
                return octet;
            }
        }
        throw new IllegalStateException("no free 10.222.x.0/24 left for a test sandbox");
    }

    /** Tears down, never throwing over an earlier failure of the test. */
    public static void downQuietly(SandboxSpec spec) {
        if (spec == null) {
            return;
        }
        try {
            Sandbox.down(spec.name(), spec.stateDir());
            MADE.remove(spec);
        } catch (RuntimeException e) {
            System.err.println("could not tear down sandbox " + spec.name() + ": " + e.getMessage());
        }
    }
}
