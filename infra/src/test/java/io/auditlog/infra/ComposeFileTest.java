package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private static final Map<String, String> SECRETS = Map.of(
      "AUDIT_PG_PASSWORD", "pg-secret",
      "AUDIT_JWT_SECRET", "jwt-secret-jwt-secret-jwt-secret-jwt",
      "AUDIT_INTERNAL_SECRET", "internal-secret-internal-secret-int",
      "AUDIT_KEY_SECRET", "key-secret-key-secret-key-secret-key",
      "AUDIT_ADMIN_PASSWORD", "Admin@12345",
      "AUDIT_INFLUX_ADMIN_PASSWORD", "influx-admin-influx-admin-influx-admin",
      "AUDIT_INFLUX_WRITER_PASSWORD", "influx-writer-influx-writer-influx-wr",
      "AUDIT_INFLUX_TENANT_SECRET", "influx-tenant-influx-tenant-influx-te",
      "AUDIT_SMTP_HOST", "smtp.example.org");

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
        "query-service", "ingest-worker-1", "ingest-worker-2", "ingest-worker-3", "gateway");

    Result config = compose(SECRETS, "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(Pattern.compile("^    healthcheck:", Pattern.MULTILINE).matcher(config.output()).results().count())
        .as("a health check per service").isEqualTo(8);
    assertThat(config.output()).contains("condition: service_healthy", "INFLUXDB_HTTP_AUTH_ENABLED: \"true\"");
  }

  @Test
  void refusesToRenderWithoutItsSecrets() throws Exception {
    Result result = compose(Map.of(), "config", "-q");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("AUDIT_PG_PASSWORD");
  }

  @Test
  void everyDockerfileItNamesExists() throws IOException {
    Matcher dockerfiles = Pattern.compile("dockerfile: (\\S+)").matcher(Files.readString(COMPOSE));
    int count = 0;
    while (dockerfiles.find()) {
      assertThat(ROOT.resolve(dockerfiles.group(1))).isRegularFile();
      count++;
    }
    assertThat(count).isEqualTo(3);
  }
}
