package io.auditlog.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How an export writes events: NDJSON (one event per line, the shape of {@code /audit/log} items) or CSV (a header
 * line, then one line per event with the fields an analyst sorts by and the metadata as JSON). CSV cells are quoted
 * as RFC 4180 asks, and a text cell that a spreadsheet would run as a formula (it starts with {@code = + - @}, a tab
 * or a carriage return) gets a leading {@code '}, so an event cannot smuggle a formula into the analyst's sheet.
 */
enum ExportFormat {

  NDJSON("application/x-ndjson; charset=utf-8", "ndjson") {
    @Override
    String header() {
      return "";
    }

    @Override
    String line(ObjectNode event) {
      try {
        return Json.MAPPER.writeValueAsString(event) + "\n";
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  },

  CSV("text/csv; charset=utf-8", "csv") {
    @Override
    String header() {
      return String.join(",", COLUMNS.stream().map(Column::name).toList()) + "\r\n";
    }

    @Override
    String line(ObjectNode event) {
      StringBuilder line = new StringBuilder();
      for (Column column : COLUMNS) {
        if (!line.isEmpty()) {
          line.append(',');
        }
        line.append(cell(column.value(event)));
      }
      return line.append("\r\n").toString();
    }
  };

  /** A CSV column: its header and where its value lies in an event. */
  record Column(String name, String... path) {
    JsonNode value(ObjectNode event) {
      JsonNode node = event;
      for (String step : path) {
        node = node.path(step);
      }
      return node;
    }
  }

  static final List<Column> COLUMNS = List.of(
      new Column("timestamp", "timestamp"), new Column("id", "id"), new Column("event_id", "event_id"),
      new Column("category", "category"), new Column("application", "source_information", "application"),
      new Column("environment", "source_information", "environment"), new Column("method", "method"),
      new Column("status", "status"), new Column("level", "level"), new Column("origin", "actor", "origin"),
      new Column("event_name", "event", "name"), new Column("event_type", "event", "type"),
      new Column("description", "event", "description"), new Column("stage", "event", "stage"),
      new Column("total_duration", "event", "total_duration"),
      new Column("affected_resources", "event", "affected_resources"), new Column("latency", "event", "latency"),
      new Column("cpu_usage", "event", "cpu_usage"), new Column("memory_usage", "event", "memory_usage"),
      new Column("resource_type", "resource", "type"), new Column("resource_id", "resource", "id"),
      new Column("resource_name", "resource", "name"), new Column("metadata", "metadata"));

  private final String contentType;
  private final String extension;

  ExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  abstract String header();

  abstract String line(ObjectNode event);

  String contentType() {
    return contentType;
  }

  String fileName() {
    return "events." + extension;
  }

  /** {@code format}: {@code ndjson} (the default) or {@code csv}. */
  static ExportFormat of(String format) {
    if (format == null || format.isEmpty() || format.equals("ndjson")) {
      return NDJSON;
    }
    if (format.equals("csv")) {
      return CSV;
    }
    throw ApiException.validation(new FieldError(List.of("query", "format"), "must be csv or ndjson",
        "value_error"));
  }

  /** One CSV cell: numbers as they are, text defused and quoted when it must be, objects and arrays as JSON. */
  static String cell(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return "";
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    String text = value.isTextual() ? value.textValue() : value.toString();
    if (startsLikeAFormula(text)) {
      text = "'" + text;
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }

  /**
   * A cell a spreadsheet could run: its first character, or its first after leading spaces of any kind (which some
   * imports trim), starts a formula.
   */
  private static boolean startsLikeAFormula(String text) {
    if (!text.isEmpty() && "\t\r".indexOf(text.charAt(0)) >= 0) {
      return true;
    }
    int first = 0;
    while (first < text.length() && (Character.isWhitespace(text.charAt(first))
        || Character.isSpaceChar(text.charAt(first)))) {
      first++;
    }
    return first < text.length() && "=+-@".indexOf(text.charAt(first)) >= 0;
  }
}
