package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Maps a parsed entry to the event body (events.md), with {@code event.detail.modsecurity}. */
public final class EventMapper {
  static final int MAX_URI_BYTES = 4096;
  private static final int MAX_TAG_CHARS = 64;
  private static final int MAX_NAME_CHARS = 256;
  private static final int MAX_DESCRIPTION_CHARS = 4096;
  private static final int MAX_RULE_ID_BYTES = 64;
  private static final int MAX_RULE_TAG_BYTES = 128;
  private static final int MAX_RULE_TAGS = 100;
  private static final int MAX_SHORT_CHARS = 256;
  private static final String NONE = "-";
  private static final String TRANSACTION = "transaction";

  private EventMapper() {
  }

  public static ObjectNode toEvent(Entry entry, Source source, MappingOptions options) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    Trailer trailer = entry.trailer();
    List<Message> messages = trailer.messages();
    RequestLine request = RequestLine.of(entry.request(), entry.summary());
    ObjectNode event = json.objectNode();
    event.put("category", source.category());
    ObjectNode information = event.putObject("source_information");
    information.put("application", source.application());
    information.put("environment", source.environment());
    event.put("method", Text.tag(request.method().orElse(NONE), MAX_TAG_CHARS));
    event.put("status", Text.tag(status(entry).orElse(NONE), MAX_TAG_CHARS));
    OptionalInt severity = messages.stream().filter(m -> m.severity() != null).mapToInt(Message::severity).min();
    event.put("level", severity.isPresent() ? Severity.name(severity.getAsInt()) : "none");
    ObjectNode action = event.putObject("event");
    Optional<Message> first = messages.stream().findFirst();
    String name = options.eventNameIsTransaction() ? TRANSACTION
        : first.map(Message::msg).map(m -> Text.tag(m, MAX_NAME_CHARS)).filter(m -> !m.isBlank())
            .orElse(TRANSACTION);
    action.put("name", name);
    action.put("type", trailer.intercepted() ? "waf.intercepted" : messages.isEmpty() ? "waf.logged" : "waf.detected");
    action.set("total_duration", seconds(trailer.durationMicros()));
    action.set("latency", seconds(trailer.combinedMicros()));
    action.put("cpu_usage", 0);
    action.put("memory_usage", 0);
    action.put("affected_resources", 1);
    first.map(Message::text).ifPresent(text -> action.put("description", Text.cutChars(text, MAX_DESCRIPTION_CHARS)));
    action.putObject("detail").set("modsecurity", ModsecDetail.of(entry));
    event.putObject("actor").put("origin", Text.clean(Text.cutChars(entry.a().clientAddr(), MAX_SHORT_CHARS)));
    ObjectNode resource = event.putObject("resource");
    resource.put("type", "http");
    entry.request().header("Host").ifPresent(host -> resource.put("name", Text.derived(host, MAX_URI_BYTES)));
    request.uri().ifPresent(uri -> resource.put("id", RequestLine.path(uri)));
    event.set("metadata", metadata(entry, request, options));
    return event;
  }

  private static ArrayNode metadata(Entry entry, RequestLine request, MappingOptions options) {
    Metadata items = new Metadata();
    ALine a = entry.a();
    Trailer trailer = entry.trailer();
    items.text("unique_id", a.uniqueId(), MAX_URI_BYTES);
    items.text("sensor_time", sensorTime(entry, options));
    items.text("format", Optional.of(entry.format()));
    items.text("uri", request.uri());
    items.text("protocol", request.protocol().map(p -> Text.cutChars(p, MAX_TAG_CHARS)));
    items.text("host", entry.request().header("Host").map(h -> Text.derived(h, MAX_URI_BYTES)));
    items.text("user_agent", entry.request().header("User-Agent").map(h -> Text.derived(h, MAX_URI_BYTES)));
    items.number("remote_port", a.clientPort());
    items.text("server_addr", a.serverAddr().map(s -> Text.cutChars(s, MAX_SHORT_CHARS)));
    items.number("server_port", a.serverPort());
    List<String> ids = trailer.messages().stream().map(Message::id).filter(id -> id != null)
        .map(id -> Text.derived(id, MAX_RULE_ID_BYTES)).toList();
    items.list("rule_ids", ids);
    Set<String> tags = new LinkedHashSet<>();
    trailer.messages().forEach(m -> m.tags().forEach(t -> {
      if (tags.size() < MAX_RULE_TAGS) {
        tags.add(Text.derived(t, MAX_RULE_TAG_BYTES));
      }
    }));
    items.list("rule_tags", List.copyOf(tags));
    items.text("action", Optional.of(trailer.intercepted() ? "intercepted"
        : trailer.messages().isEmpty() ? "logged" : "detected"));
    trailer.interceptPhase().ifPresent(phase -> items.number("intercept_phase", OptionalInt.of(phase)));
    items.text("engine_mode", trailer.engineMode().map(m -> Text.cutChars(m, MAX_TAG_CHARS)));
    items.text("producer", trailer.producer().map(p -> Text.derived(p, MAX_URI_BYTES / 4)));
    items.text("sensor_id", trailer.sensorId().map(s -> Text.cutChars(s, MAX_SHORT_CHARS)));
    items.text("webapp_id", trailer.webappId().map(s -> Text.cutChars(s, MAX_SHORT_CHARS)));
    if (trailer.messagesDropped() > 0) {
      items.number("messages_dropped", OptionalInt.of(trailer.messagesDropped()));
    }
    AnomalyScore.of(trailer.messages()).ifPresent(score -> items.metric("anomaly_score", score));
    return items.array();
  }

  private static Optional<String> sensorTime(Entry entry, MappingOptions options) {
    if (entry.format().equals("json-3")) {
      return entry.json().flatMap(j -> JsonEntryReader.text(j.path("transaction").path("time_stamp")))
          .flatMap(t -> JsonEntryReader.asctime(t, options.sensorZone()));
    }
    return entry.a().sensorTime();
  }

  /** The status code: from the status line (F, or JSON), else from the summary line. */
  static Optional<String> status(Entry entry) {
    List<String> fields = entry.response().firstLineFields(2);
    for (int i = 0; i < Math.min(2, fields.size()); i++) {
      if (Text.digits(fields.get(i), 3) && fields.get(i).length() == 3) {
        return Optional.of(fields.get(i));
      }
    }
    if (entry.response().firstLine().isPresent()) {
      return Optional.empty();
    }
    return entry.summary().flatMap(SummaryLine::status);
  }

  private static com.fasterxml.jackson.databind.JsonNode seconds(OptionalLong micros) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    if (micros.isEmpty() || micros.getAsLong() == 0) {
      return json.numberNode(0);
    }
    return json.numberNode(micros.getAsLong() / 1_000_000.0);
  }
}
