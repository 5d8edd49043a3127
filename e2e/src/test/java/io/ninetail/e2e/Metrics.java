package io.ninetail.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One process's {@code /q/metrics} (Prometheus text format), read for one sample. */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");

    private Metrics() {
    }

    /** The value of the sample {@code name} whose labels include {@code labels}; 0 when there is none (yet). */
    static double value(LaunchedSystem system, String process, String name, Map<String, String> labels) {
        String text = scrape(system.url(process, "/q/metrics"));
        return text.lines().map(SAMPLE::matcher).filter(Matcher::find)
                .filter(sample -> sample.group(1).equals(name))
                .filter(sample -> labels.entrySet().stream().allMatch(label ->
                        sample.group(2) != null && sample.group(2).contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(sample -> Double.parseDouble(sample.group(3))).sum();
    }

    private static String scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
