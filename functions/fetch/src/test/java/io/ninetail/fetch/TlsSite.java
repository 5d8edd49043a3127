package io.ninetail.fetch;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

/**
 * A real HTTPS server on 127.0.0.1 with a self-signed certificate for the name {@code localhost}
 * only, made for the test by the JDK's keytool. Every path answers {@code secure}.
 */
final class TlsSite implements AutoCloseable {

    static final String PASSWORD = "changeit";

    private final HttpsServer server;
    private final Path keyStore;

    TlsSite(Path dir) throws Exception {
        keyStore = dir.resolve("site.p12");
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        String log = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + log);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    /** {@code https://<host>:<port><path>}; the certificate is valid for {@code localhost} only. */
    String url(String host, String path) {
        return "https://" + host + ":" + server.getAddress().getPort() + path;
    }

    /** The site's own key store, which as a trust store makes its certificate trusted. */
    Path keyStore() {
        return keyStore;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
