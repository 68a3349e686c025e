package io.auditlog.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's {@code /metrics} page (Prometheus text) and the samples in it. */
final class Scrape {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{[^}]*})? (\\S+)$",
      Pattern.MULTILINE);

  private Scrape() {
  }

  /**
   * The page of the service at {@code service} (its base URL), over HTTP/1.1: an h2c upgrade of a request whose
   * answer is this large was seen to fail.
   */
  static String of(String service) throws Exception {
    HttpResponse<String> response = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(service + "/metrics"))
        .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(service + "/metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
  static double sum(String scrape, String name, String... labels) {
    double total = 0;
    Matcher sample = SAMPLE.matcher(scrape);
    while (sample.find()) {
      String tags = sample.group(2) == null ? "" : sample.group(2);
      if (sample.group(1).equals(name) && Arrays.stream(labels).allMatch(tags::contains)) {
        total += Double.parseDouble(sample.group(3));
      }
    }
    return total;
  }

  static Set<String> names(String scrape) {
    Set<String> names = new TreeSet<>();
    Matcher sample = SAMPLE.matcher(scrape);
    while (sample.find()) {
      names.add(sample.group(1));
    }
    return names;
  }
}
