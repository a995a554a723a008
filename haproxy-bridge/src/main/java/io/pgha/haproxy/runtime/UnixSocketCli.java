package io.pgha.haproxy.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command on an HAProxy CLI socket (the worker's runtime API or the master CLI): connect, send
 * the line, close our side, read until HAProxy closes. Closing our side matters: the master CLI
 * keeps a connection open otherwise. Every exchange ends within {@code timeout}.
 */
public final class UnixSocketCli {
    private final Path socket;
    private final Duration timeout;

    public UnixSocketCli(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    public String exchange(String command) {
        if (command.contains("\n")) {
            throw new IllegalArgumentException("one line per command, got " + command);
        }
        if (!Files.exists(socket)) {
            throw new HaproxyUnavailableException("HAProxy socket " + socket + " does not exist (is haproxy running with this socket configured?)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new HaproxyUnavailableException("HAProxy socket " + socket + " refuses connections (" + e.getMessage()
                        + "); haproxy is not running or was started with another socket", e);
            }
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ch.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                ch.register(selector, SelectionKey.OP_READ);
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new HaproxyUnavailableException("HAProxy socket " + socket + " did not answer \"" + command + "\" within "
                                + timeout.toMillis() + " ms");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    int n = ch.read(buf);
                    if (n < 0) {
                        return out.toString(StandardCharsets.UTF_8);
                    }
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
            }
        } catch (IOException e) {
            throw new HaproxyUnavailableException("HAProxy socket " + socket + ": " + e.getMessage(), e);
        }
    }
}
