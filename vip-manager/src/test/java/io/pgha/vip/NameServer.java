package io.pgha.vip;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Runs inside a node's namespace and answers every TCP connection with the node's name, so a test
 * can tell which node a connection to the VIP reached. Listens on every address, the VIP included.
 */
public final class NameServer {
    private NameServer() {
    }

    public static void main(String[] args) throws IOException {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("::"))) {
            System.out.println("answering with " + name + " on port " + port);
            while (true) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
