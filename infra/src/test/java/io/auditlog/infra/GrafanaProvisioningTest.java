package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Grafana's provisioning in infra/grafana, as Grafana reads it: the dashboard provider points at the folder compose
 * mounts the dashboards into, every panel queries a provisioned data source with PromQL and has a place on the grid.
 * That the queries name only metrics the services expose is checked against a real scrape (stack's
 * MetricsEndpointsIT).
 */
class GrafanaProvisioningTest {

  private static final Path INFRA = ProjectLayout.locate().root().resolve("infra");
  private static final Path DASHBOARDS = INFRA.resolve("grafana/dashboards");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
    return (List<Map<String, Object>>) map.get(key);
  }

  /** The container path compose mounts {@code host} (relative to infra/) at, in the grafana service. */
  @SuppressWarnings("unchecked")
  private static String mountOf(String host) throws IOException {
    Map<String, Object> grafana = (Map<String, Object>) ((Map<String, Object>) yaml(INFRA.resolve("compose.yaml"))
        .get("services")).get("grafana");
    for (Object volume : (List<Object>) grafana.get("volumes")) {
      String[] parts = volume.toString().split(":");
      if (parts[0].equals(host)) {
        return parts[1];
      }
    }
    throw new AssertionError("compose mounts no " + host + " into grafana");
  }

  @Test
  void theProviderLoadsTheDashboardFolderThatComposeMounts() throws IOException {
    assertThat(mountOf("./grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
    List<Map<String, Object>> providers = list(yaml(INFRA.resolve("grafana/provisioning/dashboards/auditlog.yaml")),
        "providers");
    assertThat(providers).singleElement().satisfies(provider -> {
      assertThat(provider.get("type")).isEqualTo("file");
      assertThat(((Map<?, ?>) provider.get("options")).get("path")).isEqualTo(mountOf("./grafana/dashboards"));
    });
    assertThat(DASHBOARDS.resolve("auditlog.json")).isRegularFile();
  }

  @Test
  void everyPanelQueriesAProvisionedDataSourceAndHasAPlace() throws IOException {
    Set<String> sources = list(yaml(INFRA.resolve("grafana/provisioning/datasources/prometheus.yaml")), "datasources")
        .stream().map(source -> source.get("type") + "/" + source.get("uid")).collect(Collectors.toSet());
    assertThat(sources).containsExactly("prometheus/prometheus");

    GrafanaDashboard dashboard = GrafanaDashboard.load(DASHBOARDS.resolve("auditlog.json"));
    for (String key : List.of("title", "uid", "panels", "schemaVersion")) {
      assertThat(dashboard.json().has(key)).as(key).isTrue();
    }
    assertThat(dashboard.json().path("schemaVersion").isInt()).isTrue();
    assertThat(dashboard.panels()).hasSizeGreaterThanOrEqualTo(6);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.panels()) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("id of " + title + " is unique").isTrue();
      JsonNode source = panel.path("datasource");
      assertThat(sources).as(title).contains(source.path("type").asText() + "/" + source.path("uid").asText());
      for (String axis : List.of("x", "y", "w", "h")) {
        assertThat(panel.path("gridPos").path(axis).isInt()).as(title + " gridPos." + axis).isTrue();
      }
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("refId").asText()).as(title).isNotEmpty();
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
        assertThat(GrafanaDashboard.metricNames(target.path("expr").asText())).as(title).isNotEmpty();
      }
    }
    assertThat(String.join("\n", dashboard.expressions())).as("ingest rate, lag, latency, errors")
        .contains("auditlog_events_accepted_total", "auditlog_consumer_lag", "auditlog_batch_write_seconds_bucket",
            "vertx_http_server_response_time_seconds_bucket", "auditlog_events_dead_lettered_total",
            "code=~\"5..\"");
  }

  @Test
  void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrRanges() {
    assertThat(GrafanaDashboard.metricNames(
        "histogram_quantile(0.99, sum by (le, route) (rate(http_seconds_bucket{code=~\"5..\", job=\"gw\"}[5m])))"))
        .containsExactly("http_seconds_bucket");
    assertThat(GrafanaDashboard.metricNames("sum(a_total) / ignoring(x) b_total or on (y) c offset 5m"))
        .containsExactly("a_total", "b_total", "c");
  }
}
