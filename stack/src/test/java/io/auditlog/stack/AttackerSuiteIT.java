package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standing attacker suite, against the running services: an ordinary account and a read-only token with a
 * view send every payload family through every parameter of every read endpoint. No answer is a 500, none holds a
 * row of another tenant, none escapes the view, no database appears, the victim's events stay; and the account's
 * direct-producer principal can do nothing in Kafka but write the ingress topic.
 */
class AttackerSuiteIT {

  private static final List<String> PAYLOADS = List.of(
      "'", "\"", "\\", "x\\", "\\/", "\\\\/", "/", "/.*/", ";", "--", "$p0", "\u0000", "a\r\nb", "\t", "\u00e9\u65e5",
      "x' OR '1'='1", "\"; DROP DATABASE x; --",
      "origin @contains \\ AND origin = 'x/); CREATE DATABASE \"probe\" --'",
      "origin @contains \\ AND origin = 'x/) OR \"stage\" >= 0 --'",
      "event.name @endsWith '\\\\' OR event.name = '/ OR time > 0 --'",
      "origin @rx '(a|aa)*(.*a){12}b' OR metadata.x = y", "origin @rx '(?=a)b'", "origin @rx '\\\\'",
      "(".repeat(400) + "method = GET" + ")".repeat(400),
      String.join(" OR ", java.util.Collections.nCopies(120, "method = GET")),
      "x".repeat(70_000), "-1", "0", "999999999w", "origin @rx '((a{1000}){1000}){1000}'",
      "origin @rx '(a{1000}){2}'", "99999999999999999999", "1e309", "now()", "1d; DROP");
  private static final List<String> TEMPLATES = List.of(
      "/audit/log?category=$&app=app", "/audit/log?category=web&app=$", "/audit/log?category=web&app=app&env=$",
      "/audit/log?category=web&app=app&method=$", "/audit/log?category=web&app=app&status=$",
      "/audit/log?category=web&app=app&origin=$", "/audit/log?category=web&app=app&start=$",
      "/audit/log?category=web&app=app&stop=$", "/audit/log?category=web&app=app&page=$",
      "/audit/log?category=web&app=app&size=$", "/audit/log?category=web&app=app&filter=$", "/audit/log/$",
      "/audit/metrics/$?category=web&app=app", "/audit/metrics/cpu_usage?category=$&app=app",
      "/audit/metrics/cpu_usage?category=web&app=app&interval=$", "/audit/metrics/cpu_usage?category=web&app=app&agg=$",
      "/audit/metrics/cpu_usage?category=web&app=app&group_by=$",
      "/audit/metrics/cpu_usage?category=web&app=app&filter=$", "/audit/metrics/$/count?category=web&app=app",
      "/audit/metrics/status/count?category=web&app=app&filter=$", "/api/events/count?filter=$",
      "/api/events/count?variable=$", "/api/events/count?variable=REQUEST_METHOD&filter=$",
      "/api/events/list?filter=$", "/api/events/list?limit=$", "/api/events/get?$", "/api/events/delete?filter=$",
      "/api/events/export?filter=$");

  /** HTTP/1.1 only: hostile request lines are the point, not the client's upgrade to HTTP/2. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static Cluster cluster;
  private static Cluster.Tenant victim;
  private static Cluster.Tenant attacker;
  private static String viewToken;
  private static final List<String> VICTIM_IDS = new ArrayList<>();
  private static final List<String> ATTACKER_IDS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
    victim = cluster.newTenant();
    attacker = cluster.newTenant();
    post(victim, 5, "app");
    post(attacker, 3, "app");
    awaitStored(victim, 5);
    awaitStored(attacker, 3);
    VICTIM_IDS.addAll(send("/api/events/list?limit=-1", "Bearer " + victim.token()).body().lines().toList());
    ATTACKER_IDS.addAll(send("/api/events/list?limit=-1", "Bearer " + attacker.token()).body().lines().toList());
    assertThat(VICTIM_IDS).hasSize(5);
    assertThat(ATTACKER_IDS).hasSize(3);
    viewToken = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
        + "/users/tokens")).header("Authorization", "Bearer " + attacker.token())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"narrow\",\"view\":\"app = nothing_visible\"}"))
        .build(), HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
    assertThat(viewToken).isNotEmpty();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void noParameterOfAnyEndpointReachesAnotherTenantEscapesAViewOrChangesTheStore() throws Exception {
    String databases = cluster.databases();
    int requests = 0;
    for (String template : TEMPLATES) {
      for (String payload : PAYLOADS) {
        String encoded = URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20");
        String path = template.replace("$", template.contains("/$") ? encoded.replace("%2F", "%252F") : encoded);
        for (boolean throughView : new boolean[] {false, true}) {
          HttpResponse<String> response = throughView
              ? send(path + (path.contains("?") ? "&" : "?") + "_jwall_token=" + viewToken, "Bearer " + viewToken)
              : send(path, "Bearer " + attacker.token());
          requests++;
          String what = (throughView ? "view token " : "account ") + abbreviated(path) + " -> "
              + response.statusCode() + " " + abbreviated(response.body());
          assertThat(response.statusCode()).as(what).isNotEqualTo(500).isBetween(200, 499);
          for (String id : VICTIM_IDS) {
            assertThat(response.body()).as(what).doesNotContain(id);
          }
          if (throughView && response.statusCode() == 200) {
            // The view shows nothing, not even the attacker's own events: no id, no positive count.
            for (String id : ATTACKER_IDS) {
              assertThat(response.body()).as(what).doesNotContain(id);
            }
            if (path.startsWith("/api/events/count?filter")) {
              assertThat(response.body().strip()).as(what).isEqualTo("0");
            }
          }
        }
      }
    }
    assertThat(requests).isEqualTo(TEMPLATES.size() * PAYLOADS.size() * 2);
    assertThat(cluster.databases()).as("no database appeared or vanished").isEqualTo(databases)
        .doesNotContain("probe");
    assertThat(cluster.storedEvents(victim.id())).as("the victim's events stay").isEqualTo(5);
  }

  @Test
  void theProducerPrincipalCanOnlyWriteTheIngressTopic() throws Exception {
    JsonNode credential = cluster.kafkaCredential(attacker);
    Map<String, Object> properties = Cluster.producerProperties(credential);
    properties.put("request.timeout.ms", 10_000);
    properties.put("default.api.timeout.ms", 15_000);
    try (Admin admin = Admin.create(properties)) {
      refused(admin.createTopics(List.of(new NewTopic("attacker-topic", 1, (short) 1))).all());
      refused(admin.deleteTopics(List.of(Topics.EVENTS, Topics.INGRESS)).all());
      refused(admin.deleteRecords(Map.of(new TopicPartition(Topics.INGRESS, 0), RecordsToDelete.beforeOffset(1)))
          .all());
      refused(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGRESS),
          List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))).all());
      refused(admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.EVENTS,
          PatternType.LITERAL), new AccessControlEntry("User:" + credential.path("username").asText(), "*",
          AclOperation.ALL, AclPermissionType.ALLOW)))).all());
      refused(admin.deleteConsumerGroups(List.of("auditlog-ingest")).all());
      Collection<String> visible = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      assertThat(visible).as("topics the principal can see").isSubsetOf(Set.of(Topics.INGRESS));
    }
    assertThat(cluster.storedEvents(victim.id())).isEqualTo(5);
  }

  @Test
  void parallelRequestsCannotIssueMoreKafkaCredentialsThanTheLimit() throws Exception {
    Cluster.Tenant greedy = cluster.newTenant();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      requests.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(cluster.base + "/users/kafka-credentials"))
          .header("Authorization", "Bearer " + greedy.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (var request : requests) {
      statuses.add(request.get(60, TimeUnit.SECONDS).statusCode());
    }
    assertThat(statuses).filteredOn(status -> status == 201).as("%s", statuses).hasSize(10);
    assertThat(statuses).filteredOn(status -> status == 409).hasSize(4);
    assertThat(Cluster.JSON.readTree(send("/users/kafka-credentials", "Bearer " + greedy.token()).body()))
        .hasSize(10);
  }

  private static void refused(org.apache.kafka.common.KafkaFuture<?> future) {
    assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(AuthorizationException.class);
  }

  private static void post(Cluster.Tenant tenant, int count, String app) throws Exception {
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      ObjectNode event = events.addObject();
      event.put("category", "web");
      event.putObject("source_information").put("application", app).put("environment", "prod");
      event.put("method", "GET").put("status", "200").put("level", "info");
      event.putObject("event").put("name", "request").put("type", "http").put("total_duration", 0.5)
          .put("affected_resources", 1).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3);
      event.putObject("actor").put("origin", "10.6.6." + i);
    }
    HttpResponse<String> response = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
        .header("api-key", tenant.accessKey()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(events.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  private static void awaitStored(Cluster.Tenant tenant, long count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (cluster.storedEvents(tenant.id()) < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(cluster.storedEvents(tenant.id())).isEqualTo(count);
  }

  private static HttpResponse<String> send(String path, String authorization) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + path))
        .header("Authorization", authorization).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String abbreviated(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
