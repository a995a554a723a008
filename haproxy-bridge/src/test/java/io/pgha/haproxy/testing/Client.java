package io.pgha.haproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A client session through HAProxy to a {@link FakePostgres}: who answered, and is the session still alive. */
public final class Client implements AutoCloseable {
    private final Socket socket;
    private final String server;

    private Client(Socket socket, String server) {
        this.socket = socket;
        this.server = server;
    }

    /** Connects and reads the greeting; empty when HAProxy closes the connection (no server available). */
    public static Optional<Client> connect(int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(1000);
            String line = readLine(s.getInputStream());
            if (line == null) {
                s.close();
                return Optional.empty();
            }
            return Optional.of(new Client(s, line));
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            return Optional.empty();
        }
    }

    /** The member whose stand-in greeted us, or empty when nobody would. */
    public static Optional<String> whoAnswers(int port) {
        return connect(port).map(c -> {
            c.close();
            return c.server;
        });
    }

    public String server() {
        return server;
    }

    /** Whether a round trip still works within {@code timeoutMs}: false once HAProxy has cut the session. */
    public boolean roundTrip(int timeoutMs) {
        try {
            socket.setSoTimeout(timeoutMs);
            socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            String echo = readLine(socket.getInputStream());
            return "ping".equals(echo);
        } catch (SocketTimeoutException e) {
            return true; // neither an answer nor a close: not cut, just slow
        } catch (IOException e) {
            return false;
        }
    }

    /** True once the peer has closed: a read sees end of stream (or a reset) rather than timing out. */
    public boolean closedByPeer(int waitMs) {
        try {
            socket.setSoTimeout(waitMs);
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString();
            }
            b.append((char) c);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
