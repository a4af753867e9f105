package io.wharf.server.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a server that counts how often the client sent a given text (an {@code X-Amz-Target}).
 * Bytes pass untouched, so SigV4 signatures over the Host header still verify behind it.
 */
final class CountingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final byte[] needle;
    final AtomicInteger count = new AtomicInteger();

    CountingProxy(int target, String needle) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.needle = needle.getBytes(StandardCharsets.ISO_8859_1);
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Thread.ofVirtual().start(() -> pump(client, server, true));
                Thread.ofVirtual().start(() -> pump(server, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counting) {
        byte[] buf = new byte[64 << 10];
        byte[] tail = new byte[0]; // the end of the previous read, so a needle split across reads is found
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
                if (counting) {
                    byte[] window = new byte[tail.length + n];
                    System.arraycopy(tail, 0, window, 0, tail.length);
                    System.arraycopy(buf, 0, window, tail.length, n);
                    count.addAndGet(occurrences(window));
                    int keep = Math.min(needle.length - 1, window.length);
                    tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
                }
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            close(from);
            close(to);
        }
    }

    private int occurrences(byte[] window) {
        int found = 0;
        outer:
        for (int i = 0; i + needle.length <= window.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (window[i + j] != needle[j]) {
                    continue outer;
                }
            }
            found++;
        }
        return found;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
