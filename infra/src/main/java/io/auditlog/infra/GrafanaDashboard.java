package io.auditlog.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provisioned Grafana dashboard (infra/grafana/dashboards): its panels, their PromQL expressions, and the metric
 * names those expressions read, so tests can hold them against what the services really expose.
 */
public record GrafanaDashboard(JsonNode json) {

  /** Label matchers, ranges, grouping clauses and strings: none of them names a metric. */
  private static final Pattern NOT_METRICS = Pattern.compile(
      "\\{[^}]*}|\\[[^]]*]|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)|\"[^\"]*\"");
  /** An identifier not followed by an opening parenthesis (which would make it a function or an aggregation). */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)(?!\\s*\\(|[\\w:])");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

  public static GrafanaDashboard load(Path file) {
    try {
      return new GrafanaDashboard(Json.MAPPER.readTree(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    json.path("panels").forEach(panels::add);
    return panels;
  }

  /** Every target's PromQL expression, in panel order. */
  public List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    panels().forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
    return expressions;
  }

  /** The metric names every expression reads. */
  public Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    expressions().forEach(expression -> names.addAll(metricNames(expression)));
    return names;
  }

  /** The metric names one PromQL expression reads. */
  public static Set<String> metricNames(String expression) {
    Set<String> names = new TreeSet<>();
    Matcher identifiers = IDENTIFIER.matcher(NOT_METRICS.matcher(expression).replaceAll(" "));
    while (identifiers.find()) {
      if (!KEYWORDS.contains(identifiers.group(1).toLowerCase(Locale.ROOT))) {
        names.add(identifiers.group(1));
      }
    }
    return names;
  }
}
