import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves this folder on 127.0.0.1 for `./ninetail demo`: `java Serve.java <port>`. A single-file
 * Java program, so the demo needs nothing but the JDK.
 */
public class Serve {
    public static void main(String[] args) throws IOException {
        // Without it each answer waits ~40 ms for the client's delayed ACK before its last segment.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args.length > 0 ? args[0] : "4000");
        Path root = Path.of(System.getProperty("site.dir", ".")).toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().add("content-type",
                        file.toString().endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        System.out.println("sample site on http://127.0.0.1:" + port + "/");
    }
}
