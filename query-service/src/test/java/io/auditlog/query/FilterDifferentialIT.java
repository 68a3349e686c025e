package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.store.read.StoredEventValues;
import io.auditlog.store.read.StoredEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.FilterParser;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.AuditEvent.MetadataItem;
import io.auditlog.model.AuditEvent.Resource;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.CompiledFilter;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.InfluxqlCompiler;
import io.auditlog.store.Statement;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated filters over generated events: the events InfluxDB returns for the compiled filter (finished by the
 * evaluator where the compilation is inexact) are exactly those the in-memory evaluator picks from all events, with
 * the events stored in either {@link TagShape} (one tenant each).
 */
class FilterDifferentialIT {

  private static final String TENANT = "diff" + UUID.randomUUID().toString().substring(0, 8);
  /** The same events in the four-tag shape. */
  private static final String TENANT_FOUR_TAGS = TENANT + "f";
  private static final Instant NOW = Instant.now();
  private static final Map<String, String[]> TEXT = Map.of(
      "method", new String[] {"GET", "POST", "PUT", "DELETE"},
      "status", new String[] {"200", "404", "500", "success", "denied"},
      "env", new String[] {"prod", "dev"},
      "app", new String[] {"a", "b"},
      "category", new String[] {"c1", "c2"},
      "level", new String[] {"info", "warn"},
      "event.name", new String[] {"Login", "Log out", "user.created", "a*b"},
      "resource.type", new String[] {"User", "Doc"},
      "origin", new String[] {"10.0.0.1", "10.0.1.7", "192.168.1.20", "::1"},
      "event.description", new String[] {"hello world", "x", "Hello"});
  private static final String[] PATTERNS = {"Log.*", "(?i)login", "user\\..*", "[45]\\d\\d", ".*o.*", "a\\*b", "",
      "Log*", "*out", "?ET", "p*", "D*", "10.0.*", "lo", "o", "20", "4", "hello", "User,Doc", "GET PUT", "(?i)LOG.*"};
  private static final String[] REGEXES = {"Log.*", "(?i)login", "user\\..*", "[45]\\d\\d", ".*o.*", "a\\*b", "",
      "10\\.0\\..*", "(?i)LOG.*", "lo", "D|P.*", "(GET|PUT)", "\\Qlog", "\\QUser.\\E.*", "(?i)\\QLOG"};
  private static final String[] TEXT_OPS = {"=", "!=", "@rx", "!@rx", "@pm", "@sx", "!@sx", "@in", "@contains",
      "!@contains", "@beginsWith", "@endsWith", "<", ">=", "<>"};
  private static final List<StampedEvent> EVENTS = new ArrayList<>();

  @BeforeAll
  static void store() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      String category = pick(random, TEXT.get("category"));
      Optional<Resource> resource = random.nextBoolean() ? Optional.of(new Resource(Optional.empty(),
          Optional.empty(), Optional.of(pick(random, TEXT.get("resource.type"))), Optional.empty()))
          : Optional.empty();
      List<MetadataItem> metadata = new ArrayList<>();
      if (random.nextInt(3) == 0) {
        metadata.add(new MetadataItem("team", Optional.empty(),
            Json.MAPPER.getNodeFactory().textNode(random.nextBoolean() ? "core" : "edge")));
      }
      if (random.nextBoolean()) {
        metadata.add(new MetadataItem("login_time", Optional.of(true),
            Json.MAPPER.getNodeFactory().numberNode(random.nextInt(6))));
      }
      AuditEvent event = new AuditEvent(category, pick(random, TEXT.get("app")), pick(random, TEXT.get("env")),
          pick(random, TEXT.get("method")), pick(random, TEXT.get("status")), pick(random, TEXT.get("level")),
          new Action(pick(random, TEXT.get("event.name")), "t", 1, 1, 0.1, random.nextInt(11) / 10.0, 1,
              random.nextBoolean() ? Optional.of(pick(random, TEXT.get("event.description"))) : Optional.empty(),
              Optional.empty()),
          new Actor(pick(random, TEXT.get("origin")), Optional.empty()), resource,
          metadata.isEmpty() ? Optional.empty() : Optional.of(metadata));
      EVENTS.add(new StampedEvent(TENANT, "e" + i, "r" + i, NOW.toEpochMilli() * 1_000_000L - i * 1000L, 1, event));
    }
    assertThat(TestQueryService.provisionedWriter(TENANT)
        .write(InfluxNames.database(TENANT), EVENTS.stream().map(LineProtocol::encode).toList())).isEmpty();
    assertThat(TestQueryService.provisionedWriter(TENANT_FOUR_TAGS).write(InfluxNames.database(TENANT_FOUR_TAGS),
        EVENTS.stream().map(e -> LineProtocol.encode(e, null, TagShape.FOUR_TAGS)).toList())).isEmpty();
  }

  @Test
  void everyOperatorOnEveryTextVariableAgrees() throws Exception {
    List<String> filters = new ArrayList<>();
    String[] probes = {"", "o", "20", "Log", "log", "*o*", "user", "10.0", "P*", "a*b", "success", "1"};
    for (Map.Entry<String, String[]> variable : new TreeMap<>(TEXT).entrySet()) {
      for (String op : TEXT_OPS) {
        List<String> literals = new ArrayList<>(List.of(op.endsWith("@rx") ? REGEXES : probes));
        if (!op.endsWith("@rx")) {
          literals.addAll(List.of(variable.getValue()));
        }
        literals.forEach(literal -> filters.add(variable.getKey() + " " + op + " " + quote(literal)));
      }
    }
    assertAgreement(filters, 500);
  }

  @Test
  void generatedCompoundFiltersAgree() throws Exception {
    Random random = new Random(7);
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      filters.add(i % 2 == 0 ? condition(random) : expression(random, 0));
    }
    assertAgreement(filters, 50);
  }

  @Test
  void timesBeyondWhatTheStoreHoldsAreItsEndsNotAnOverflow() throws Exception {
    Map<String, Integer> selected = Map.of(
        "time >= 2300-01-01", 0, "time < 2300-01-01", EVENTS.size(), "time < 1600-01-01", 0,
        "time > 1600-01-01", EVENTS.size(), "age > 20000w", 0, "age < 20000w", EVENTS.size(),
        "age > 999999999d", 0, "NOT age > 999999999d", EVENTS.size(), "age > 999999999w", 0);
    InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    for (Map.Entry<String, Integer> expected : selected.entrySet()) {
      Filter filter = FilterParser.parse(expected.getKey());
      assertThat(selectedInMemory(EVENTS, filter, evaluator)).as(expected.getKey()).hasSize(expected.getValue());
      for (String tenant : List.of(TENANT, TENANT_FOUR_TAGS)) {
        assertThat(selectedInInflux(tenant, filter, compiler.compile(filter), evaluator)).as(expected.getKey())
            .hasSize(expected.getValue());
      }
    }
  }

  private static void assertAgreement(List<String> filters, int minimumExact) throws Exception {
    InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    int exact = 0;
    for (String text : filters) {
      Filter filter = FilterParser.parse(text);
      Set<String> expected = selectedInMemory(EVENTS, filter, evaluator);
      CompiledFilter compiled = compiler.compile(filter);
      exact += compiled.exact() ? 1 : 0;
      for (String tenant : List.of(TENANT, TENANT_FOUR_TAGS)) {
        assertThat(selectedInInflux(tenant, filter, compiled, evaluator))
            .as("filter %s compiled as %s (exact: %s) on %s", text, compiled.where(), compiled.exact(), tenant)
            .isEqualTo(expected);
      }
    }
    assertThat(exact).as("filters compiled exactly").isGreaterThan(minimumExact);
  }

  /** The ids of the events the evaluator picks. */
  static Set<String> selectedInMemory(List<StampedEvent> events, Filter filter, FilterEvaluator evaluator) {
    Set<String> selected = new TreeSet<>();
    for (StampedEvent event : events) {
      if (evaluator.matches(filter, new ModelEventValues(event))) {
        selected.add(event.id());
      }
    }
    return selected;
  }

  /** The ids of the tenant's events InfluxDB returns for the compiled filter, finished by the evaluator if inexact. */
  static Set<String> selectedInInflux(String tenant, Filter filter, CompiledFilter compiled,
      FilterEvaluator evaluator) throws Exception {
    Set<String> selected = new TreeSet<>();
    for (JsonNode series : query(tenant, compiled.andTo(InfluxQl.sql("time >= 0")).statement())) {
      String category = series.path("name").asText();
      for (JsonNode values : series.path("values")) {
        Map<String, JsonNode> row = StoredEvents.row(series.path("columns"), values);
        if (compiled.exact() || evaluator.matches(filter, new StoredEventValues(category, row))) {
          selected.add(row.get("id").asText());
        }
      }
    }
    return selected;
  }

  private static String expression(Random random, int depth) {
    int choice = depth >= 2 ? 0 : random.nextInt(6);
    return switch (choice) {
      case 1 -> expression(random, depth + 1) + " AND " + expression(random, depth + 1);
      case 2 -> expression(random, depth + 1) + " OR " + expression(random, depth + 1);
      case 3 -> "NOT " + expression(random, depth + 1);
      case 4 -> "(" + expression(random, depth + 1) + ")";
      default -> condition(random);
    };
  }

  private static String condition(Random random) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      String[] ops = {"=", "!=", "<", "<=", ">", ">="};
      return "cpu_usage " + pick(random, ops) + " " + random.nextInt(11) / 10.0;
    }
    if (kind == 1) {
      String[] ops = {"=", "!=", "<", ">="};
      return "login_time " + pick(random, ops) + " " + random.nextInt(6);
    }
    if (kind == 2) {
      return "origin " + (random.nextBoolean() ? "@ipMatch" : "!@ipMatch") + " '"
          + pick(random, new String[] {"10.0.0.0/16", "192.168.1.0/24", "::1", "10.0.1.7,::1/128"}) + "'";
    }
    if (kind == 3) {
      return "metadata.team " + pick(random, new String[] {"=", "!=", "@rx"}) + " "
          + quote(pick(random, new String[] {"core", "edge", "c.*"}));
    }
    List<String> names = new ArrayList<>(TEXT.keySet());
    names.sort(null);
    String variable = names.get(random.nextInt(names.size()));
    String op = pick(random, TEXT_OPS);
    String literal = random.nextBoolean() ? pick(random, TEXT.get(variable)) : pick(random, PATTERNS);
    if (op.equals("@rx") || op.equals("!@rx")) {
      literal = pick(random, REGEXES);
    }
    return variable + " " + op + " " + quote(literal);
  }

  private static String quote(String literal) {
    return "'" + literal.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Every measurement's points where the condition holds, as InfluxDB answers it. */
  static ArrayNode query(Statement where) throws Exception {
    return query(TENANT, where);
  }

  static ArrayNode query(String tenant, Statement where) throws Exception {
    String statement = "SELECT * FROM /.*/ WHERE " + where.text();
    HttpResponse<String> response = TestQueryService.HTTP.send(HttpRequest.newBuilder(URI.create(
        TestQueryService.SERVICES.influx().url() + "/query?epoch=ns&db=" + InfluxNames.database(tenant) + "&q="
            + URLEncoder.encode(statement, StandardCharsets.UTF_8) + "&params="
            + URLEncoder.encode(where.paramsJson(), StandardCharsets.UTF_8)))
        .header("Authorization", TestQueryService.SERVICES.influx().admin().basicAuthorization()).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode result = Json.MAPPER.readTree(response.body()).path("results").path(0);
    assertThat(result.has("error")).as("%s -> %s", statement, response.body()).isFalse();
    return result.has("series") ? (ArrayNode) result.get("series") : Json.MAPPER.createArrayNode();
  }
}
