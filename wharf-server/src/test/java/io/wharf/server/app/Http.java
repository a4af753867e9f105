package io.wharf.server.app;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** Small HTTP helpers: java.net.http for normal requests, a raw socket for request targets it would not send. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One response read off a persistent connection: status line plus body (Content-Length framed). */
    record Raw(int status, String head, String body) {
    }

    /** Sends {@code METHOD target} verbatim over a fresh connection and reads the response. */
    static Raw raw(int port, String method, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            send(s.getOutputStream(), method, target, false);
            return read(s.getInputStream());
        }
    }

    static void send(OutputStream out, String method, String target, boolean keepAlive) throws IOException {
        out.write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(ISO_8859_1));
        out.flush();
    }

    static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head.toString(ISO_8859_1));
            }
            head.write(b);
        }
        String h = head.toString(ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        String body = new String(in.readNBytes(length), ISO_8859_1);
        return new Raw(Integer.parseInt(h.substring(9, 12)), h, body);
    }
}
