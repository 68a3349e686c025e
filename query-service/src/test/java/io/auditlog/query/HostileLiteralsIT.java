package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.FilterParser;
import io.auditlog.filter.FilterSyntaxException;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.CompiledFilter;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.InfluxqlCompiler;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.read.StoredEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property test of the InfluxQL encoding against the real InfluxDB: generated strings from a hostile alphabet
 * (backslash runs at the end and before a slash, quotes, slashes, line breaks, tab, NUL, statement separators and
 * comments, regex metacharacters, non-ASCII) are stored as tag and field values, then used as literals and patterns
 * of every text operator. For each, the events InfluxDB selects with the compiled (bound) condition are exactly the
 * events the in-memory evaluator picks, and afterwards no database has appeared on the server.
 */
class HostileLiteralsIT {

  private static final String TENANT = "hostile" + UUID.randomUUID().toString().substring(0, 8);
  private static final Instant NOW = Instant.now();
  private static final String[] ALPHABET = {"\\", "\\\\", "\\/", "'", "\"", "/", "\n", "\r", "\t", "\u0000", ";",
      "--", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$", "\u00e9", "\u65e5", "\ud83d\ude00", " ",
      ",", "=", "a", "b", "x/); CREATE DATABASE \"probe\" --", "' OR ''='", "/ OR time > 0 --", "$p0", "\\'"};
  private static final String[] OPERATORS = {"=", "!=", "@contains", "!@contains", "@beginsWith", "@endsWith",
      "@rx", "!@rx", "@pm", "@sx", "@in"};
  private static final String[] VARIABLES = {"event.name", "method", "event.description", "origin"};
  private static final List<StampedEvent> EVENTS = new ArrayList<>();
  private static final List<String> STORED = new ArrayList<>();

  @BeforeAll
  static void store() throws Exception {
    Random random = new Random(11);
    for (int i = 0; i < 120; i++) {
      String value = hostile(random);
      String tag = storableAsTag(value);
      String field = value.replace("\u0000", "").replace("\r", "").replace("\n", "");
      STORED.add(tag);
      STORED.add(field);
      AuditEvent event = new AuditEvent("c1", "app", "env", tag.isEmpty() ? "GET" : tag, "200", "info",
          new Action(tag.isEmpty() ? "n" : tag, "t", 1, 1, 0.1, 0.5, 1, Optional.of(field), Optional.empty()),
          new Actor(field.isEmpty() ? "o" : field, Optional.empty()), Optional.empty(), Optional.empty());
      EVENTS.add(new StampedEvent(TENANT, "h" + i, "r" + i, NOW.toEpochMilli() * 1_000_000L - i * 1000L, 1, event));
    }
    assertThat(TestQueryService.provisionedWriter(TENANT).write(InfluxNames.database(TENANT), EVENTS.stream().map(LineProtocol::encode).toList())).isEmpty();
  }

  @Test
  void everyHostileLiteralSelectsExactlyWhatTheEvaluatorSelects() throws Exception {
    Random random = new Random(23);
    String databasesBefore = databases();
    InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    int checked = 0;
    int matchedSome = 0;
    for (int i = 0; i < 400; i++) {
      String literal = random.nextBoolean() ? STORED.get(random.nextInt(STORED.size())) : hostile(random);
      String op = OPERATORS[random.nextInt(OPERATORS.length)];
      if (op.endsWith("@rx")) {
        literal = random.nextBoolean() ? Pattern.quote(literal) : literal;
        if (!validRe2(literal)) {
          continue;
        }
      }
      String variable = VARIABLES[random.nextInt(VARIABLES.length)];
      String text = variable + " " + op + " " + quote(literal);
      if (random.nextInt(3) == 0) {
        text = text + " AND " + VARIABLES[random.nextInt(VARIABLES.length)] + " = " + quote(hostile(random) + "/");
      }
      Filter filter = FilterParser.parse(text);
      Set<String> expected = FilterDifferentialIT.selectedInMemory(EVENTS, filter, evaluator);
      CompiledFilter compiled = compiler.compile(filter);
      Set<String> actual = FilterDifferentialIT.selectedInInflux(TENANT, filter, compiled, evaluator);
      assertThat(actual).as("filter %s compiled as %s", text, compiled.where()).isEqualTo(expected);
      checked++;
      matchedSome += expected.isEmpty() ? 0 : 1;
    }
    assertThat(checked).isGreaterThan(300);
    assertThat(matchedSome).as("literals that matched stored values").isGreaterThan(50);
    assertThat(databases()).isEqualTo(databasesBefore).doesNotContain("probe");
  }

  @Test
  void hostileValuesAndCategoriesReadBackExactlyAsWritten() throws Exception {
    String tenant = "hostcat" + UUID.randomUUID().toString().substring(0, 8);
    Random random = new Random(31);
    List<StampedEvent> events = new ArrayList<>();
    Set<String> categories = new TreeSet<>();
    while (categories.size() < 40) {
      String category = hostile(random).replace(" ", "_").replace(",", ";");
      if (EventValidator.isPossibleCategory(category)) {
        categories.add(category);
      }
    }
    int i = 0;
    for (String category : categories) {
      String tag = storableAsTag(hostile(random));
      String field = hostile(random).replace("\u0000", "");
      AuditEvent event = new AuditEvent(category, "app", "env", "GET", "200", "info",
          new Action(tag.isEmpty() ? "n" : tag, "t", 1, 1, 0.1, 0.5, 1, Optional.of(field), Optional.empty()),
          new Actor("o", Optional.empty()), Optional.empty(), Optional.empty());
      events.add(new StampedEvent(tenant, "k" + i, "r" + i, NOW.toEpochMilli() * 1_000_000L - i++ * 1000L, 1, event));
    }
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant),
        events.stream().map(LineProtocol::encode).toList())).isEmpty();
    for (StampedEvent stamped : events) {
      JsonNode answer = TestQueryService.SERVICES.influx().query(InfluxNames.database(tenant),
          InfluxQl.sql("SELECT * FROM ").then(InfluxQl.identifier(stamped.event().category())).statement());
      JsonNode series = answer.path("results").path(0).path("series");
      assertThat(series.size()).as("one series for %s", stamped.event().category()).isEqualTo(1);
      assertThat(series.path(0).path("name").asText()).isEqualTo(stamped.event().category());
      assertThat(series.path(0).path("values").size()).isEqualTo(1);
      Map<String, JsonNode> row = StoredEvents.row(series.path(0).path("columns"), series.path(0).path("values").path(0));
      assertThat(row.get(InfluxNames.TAG_EVENT_NAME).asText()).isEqualTo(stamped.event().event().name());
      assertThat(row.get(InfluxNames.FIELD_DESCRIPTION).asText())
          .isEqualTo(stamped.event().event().description().orElseThrow());
    }
  }

  @Test
  void everyPatternTheParserAcceptsInfluxDbCompilesToo() throws Exception {
    InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);
    int accepted = 0;
    for (String pattern : List.of("a{1000}", "(a{1000}){2}", "(a{10}){100}", "(a{11}){100}", "(a{2}){400}",
        "((a{5}){5}){40}", "((a{5}){5}){41}", "(?:x{500}){2}", "(a{1000}){1}", "(a*){1000}", "[ab]{999}c",
        // Syntax one engine might take and the other not: named groups, quotes, classes, flags, escapes.
        "(?<n>a)", "(?P<n>a)", "[(?<n>]", "\\(?<n>", "\\Qa", "\\Qa\\E.*", "\\Q(?<n>", "(?U)a*", "\\pL",
        "\\p{Greek}", "\\P{^Greek}", "[[:alpha:]]", "\\x{41}", "a{,2}", "\\C", "(?s).", "\\z", "(?i:A)b")) {
      Filter filter;
      try {
        filter = FilterParser.parse("origin @rx '" + pattern + "'");
      } catch (FilterSyntaxException refused) {
        continue;
      }
      // The query asserts that InfluxDB answered without an error.
      FilterDifferentialIT.query(TENANT, compiler.compile(filter).andTo(InfluxQl.sql("time >= 0")).statement());
      accepted++;
    }
    assertThat(accepted).as("patterns within the limits").isGreaterThanOrEqualTo(6);
  }

  @Test
  void theAlphabetIsHostileEnough() {
    Random random = new Random(5);
    Set<Character> seen = new TreeSet<>();
    boolean endsInBackslash = false;
    boolean backslashBeforeSlash = false;
    for (int i = 0; i < 200; i++) {
      String value = hostile(random);
      value.chars().forEach(c -> seen.add((char) c));
      endsInBackslash |= value.endsWith("\\");
      backslashBeforeSlash |= value.contains("\\/");
    }
    assertThat(seen).contains('\\', '\'', '"', '/', '\n', '\r', '\t', '\u0000', ';', '$');
    assertThat(endsInBackslash).isTrue();
    assertThat(backslashBeforeSlash).isTrue();
  }

  /** One to six pieces of the alphabet; every fourth ends in a backslash. */
  static String hostile(Random random) {
    StringBuilder value = new StringBuilder();
    int pieces = 1 + random.nextInt(6);
    for (int i = 0; i < pieces; i++) {
      value.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    if (random.nextInt(4) == 0) {
      value.append('\\');
    }
    return value.toString();
  }

  /** What the event validator accepts as a tag: no control characters, no backslash before ' ', ',', '=' or at the end. */
  private static String storableAsTag(String value) {
    String tag = value.replaceAll("[\\x00-\\x1f]", "");
    while (tag.endsWith("\\") || tag.contains("\\ ") || tag.contains("\\,") || tag.contains("\\=")) {
      tag = tag.replace("\\ ", " ").replace("\\,", ",").replace("\\=", "=");
      tag = tag.endsWith("\\") ? tag.substring(0, tag.length() - 1) : tag;
    }
    return tag;
  }

  private static boolean validRe2(String pattern) {
    try {
      Pattern.compile(pattern);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static String quote(String literal) {
    return "'" + literal.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String databases() throws Exception {
    return TestQueryService.SERVICES.influx().execute("SHOW DATABASES").toString();
  }
}
