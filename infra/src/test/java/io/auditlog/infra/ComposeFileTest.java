package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/compose.yaml, checked by Debian's docker-compose (there is no Docker engine here to run it): it parses,
 * describes the cluster, gives every service a health check, demands its secrets, and names Dockerfiles that exist.
 */
class ComposeFileTest {

  private static final Path ROOT = ProjectLayout.locate().root();
  private static final Path COMPOSE = ROOT.resolve("infra/compose.yaml");
  private static final Map<String, String> SECRETS = Map.ofEntries(
      Map.entry("AUDIT_PG_PASSWORD", "pg-secret"),
      Map.entry("AUDIT_PG_GATEWAY_PASSWORD", "pg-gateway-pg-gateway-pg-gateway-pg-gat"),
      Map.entry("AUDIT_PG_WORKER_PASSWORD", "pg-worker-pg-worker-pg-worker-pg-worker"),
      Map.entry("AUDIT_PG_QUERY_PASSWORD", "pg-query-pg-query-pg-query-pg-query-pg"),
      Map.entry("AUDIT_JWT_SECRET", "jwt-secret-jwt-secret-jwt-secret-jwt"),
      Map.entry("AUDIT_INTERNAL_SECRET", "internal-secret-internal-secret-int"),
      Map.entry("AUDIT_KEY_SECRET", "key-secret-key-secret-key-secret-key"),
      Map.entry("AUDIT_ADMIN_PASSWORD", "Admin@12345"),
      Map.entry("AUDIT_SMTP_HOST", "smtp.example.org"),
      Map.entry("KAFKA_NODE_PASSWORD", "node0123"),
      Map.entry("KAFKA_OPERATOR_PASSWORD", "operator0123"),
      Map.entry("KAFKA_GATEWAY_PASSWORD", "gateway0123"),
      Map.entry("KAFKA_WORKER_PASSWORD", "worker0123"),
      Map.entry("KAFKA_TLS_PASSWORD", "tls0123"),
      Map.entry("AUDIT_INFLUX_ADMIN_PASSWORD", "influx-admin-influx-admin-influx-admin"),
      Map.entry("AUDIT_INFLUX_WRITER_PASSWORD", "influx-writer-influx-writer-influx-wr"),
      Map.entry("AUDIT_INFLUX_TENANT_SECRET", "influx-tenant-influx-tenant-influx-te"),
      Map.entry("AUDIT_TLOG_SECRET", "tlog-secret-tlog-secret-tlog-secret-tl"),
      Map.entry("GRAFANA_ADMIN_PASSWORD", "grafana-admin-grafana-admin"));

  private record Result(int exitCode, String output) {
  }

  private static Result compose(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  @Test
  void describesTheWholeClusterWithHealthChecks() throws Exception {
    Result services = compose(SECRETS, "config", "--services");
    assertThat(services.exitCode()).as(services.output()).isZero();
    assertThat(services.output().lines().toList()).containsExactlyInAnyOrder("kafka", "postgres", "influxdb",
        "gateway-schema", "worker-schema", "query-service", "ingest-worker-1", "ingest-worker-2", "ingest-worker-3",
        "gateway", "prometheus", "grafana");

    Result config = compose(SECRETS, "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(Pattern.compile("^    healthcheck:", Pattern.MULTILINE).matcher(config.output()).results().count())
        .as("a health check per long-running service").isEqualTo(10);
    assertThat(config.output()).contains("condition: service_healthy", "INFLUXDB_HTTP_AUTH_ENABLED: \"true\"");
  }

  @Test
  void kafkaAuthenticatesEveryListenerAndEveryServiceLogsIn() throws Exception {
    Result config = compose(SECRETS, "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output()).contains("/opt/auditlog/kafka-start", "KAFKA_NODE_PASSWORD: node0123",
        "AUDIT_KAFKA_PASSWORD: gateway0123", "AUDIT_KAFKA_ADMIN_PASSWORD: operator0123",
        "AUDIT_KAFKA_PRODUCER_PROTOCOL: SASL_SSL");
    assertThat(Pattern.compile("AUDIT_KAFKA_PASSWORD: worker0123").matcher(config.output()).results().count())
        .as("each ingest worker logs in as the workers' principal").isEqualTo(3);
    String start = Files.readString(ROOT.resolve("infra/kafka/kafka-start"));
    assertThat(start).contains("PRODUCERS:SASL_SSL", "CONTROLLER:SASL_PLAINTEXT", "INTERNAL:SASL_PLAINTEXT",
        "allow.everyone.if.no.acl.found=false", "StandardAuthorizer",
        "listener.name.producers.scram-sha-512.connections.max.reauth.ms").doesNotContain("PLAINTEXT:PLAINTEXT");
  }

  @Test
  void everyServiceLogsInToPostgresqlAsItsOwnRoleAndOnlyTheSchemaJobsAsTheOwner() throws Exception {
    Result config = compose(SECRETS, "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    String output = config.output();
    assertThat(output).contains("AUDIT_PG_USER: auditlog_gateway",
        "AUDIT_PG_PASSWORD: pg-gateway-pg-gateway-pg-gateway-pg-gat", "AUDIT_PG_USER: auditlog_query",
        "AUDIT_PG_PASSWORD: pg-query-pg-query-pg-query-pg-query-pg", "10-service-roles.sh",
        "condition: service_completed_successfully");
    assertThat(Pattern.compile("AUDIT_PG_USER: auditlog_worker").matcher(output).results().count())
        .as("each ingest worker logs in as the workers' role").isEqualTo(3);
    assertThat(Pattern.compile("AUDIT_PG_PASSWORD: pg-secret").matcher(output).results().count())
        .as("the owner's password: the postgres image and the two schema jobs").isEqualTo(2);
    assertThat(Pattern.compile("AUDIT_PG_MIGRATE: \"off\"").matcher(output).results().count())
        .as("the gateway and three workers migrate nothing").isEqualTo(4);
    assertThat(Pattern.compile("- migrate$", Pattern.MULTILINE).matcher(output).results().count()).isEqualTo(2);
  }

  @Test
  void refusesToRenderWithoutItsSecrets() throws Exception {
    Result result = compose(Map.of(), "config", "-q");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("in infra/.env");
    for (String name : SECRETS.keySet()) {
      Map<String, String> without = new HashMap<>(SECRETS);
      without.remove(name);
      Result missing = compose(without, "config", "-q");
      assertThat(missing.exitCode()).as(name).isNotZero();
      assertThat(missing.output()).as(name).contains("set " + name + " in infra/.env");
    }
  }

  @Test
  void prometheusScrapesEveryServiceAndMonitoringListensOnLoopbackOnly() throws Exception {
    Result config = compose(SECRETS, "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output()).contains("GF_SECURITY_ADMIN_PASSWORD: grafana-admin-grafana-admin",
        "GF_AUTH_ANONYMOUS_ENABLED: \"false\"", "AUDIT_METRICS_PORT: '9464'");
    assertThat(config.output()).as("Prometheus and Grafana on loopback; the gateway's metrics not published")
        .contains("- 127.0.0.1:9090:9090/tcp", "- 127.0.0.1:3000:3000/tcp").doesNotContain(":9464/tcp");

    String prometheus = Files.readString(ROOT.resolve("infra/prometheus/prometheus.yml"));
    assertThat(prometheus).contains("gateway:9464", "query-service:8081");
    for (int worker = 1; worker <= 3; worker++) {
      assertThat(prometheus).contains("ingest-worker-" + worker + ":8082");
    }
  }

  @Test
  void everyDockerfileItNamesExists() throws IOException {
    Matcher dockerfiles = Pattern.compile("dockerfile: (\\S+)").matcher(Files.readString(COMPOSE));
    Set<String> named = new HashSet<>();
    while (dockerfiles.find()) {
      assertThat(ROOT.resolve(dockerfiles.group(1))).isRegularFile();
      named.add(dockerfiles.group(1));
    }
    assertThat(named).as("the three services' images; the schema jobs run two of them")
        .containsExactlyInAnyOrder("gateway/Dockerfile", "ingest-worker/Dockerfile", "query-service/Dockerfile");
  }
}
