package io.pgha.demo;

import java.util.List;
import java.util.Map;

/**
 * The JVM settings every pgha daemon runs with, wherever it is started from (bin/pgha, the demo,
 * the test harness). They keep an idle daemon under 96 MB RSS: a small serial-collected heap, C1
 * only, small stacks and code cache, and Netty without its pooled direct arenas, which alone hold
 * several MB per arena for a process that moves a few KB a second.
 */
public final class DaemonJvm {
    public static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=16m", "-Xss256k", "-XX:MaxMetaspaceSize=64m",
            "-XX:MaxDirectMemorySize=16m", "-Dio.netty.allocator.type=unpooled");

    /** glibc would otherwise give each busy thread its own malloc arena. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private DaemonJvm() {
    }
}
