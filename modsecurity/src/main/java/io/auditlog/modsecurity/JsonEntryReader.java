package io.auditlog.modsecurity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a JSON entry: libmodsecurity 3's object ({@code transaction} holding everything) or ModSecurity 2's
 * ({@code transaction}, {@code request}, {@code response}, {@code audit_data} at the top).
 */
final class JsonEntryReader {
  /**
   * The most JSON tokens an entry may have. Its whole tree becomes the event's {@code modsecurity.json} detail, which
   * is stored only up to 60 KiB of text (some 30,000 tokens at the least two bytes a token), so no storable entry has
   * more; a tree takes up to some 75 bytes a token. Without it, 8 MB of {@code {},} made a tree and a copy that ran
   * the gateway out of heap in one request.
   */
  static final int MAX_TOKENS = 65_536;
  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build()).build()).build();
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss uuuu", Locale.ROOT);
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

  private JsonEntryReader() {
  }

  static Entry read(byte[] body, int from, Limits limits, Optional<String> summary)
      throws EntryRejected {
    JsonNode root;
    try {
      root = MAPPER.readTree(body, from, body.length - from);
    } catch (StreamConstraintsException e) {
      throw new EntryRejected("entry_too_large", "Entry has more than " + MAX_TOKENS + " JSON tokens");
    } catch (JsonProcessingException e) {
      throw new EntryRejected("unknown_format", "Entry is neither native nor valid JSON");
    } catch (IOException e) {
      throw new EntryRejected("unknown_format", "Entry cannot be read");
    }
    if (root == null || !root.isObject() || !root.path("transaction").isObject()) {
      throw new EntryRejected("missing_a", "Entry has no transaction object");
    }
    boolean v2 = root.has("audit_data") || root.has("request") || root.has("response");
    return v2 ? readV2(root, limits, summary) : readV3(root, limits, summary);
  }

  private static Entry readV3(JsonNode root, Limits limits, Optional<String> summary)
      throws EntryRejected {
    JsonNode tx = root.path("transaction");
    JsonNode request = tx.path("request");
    JsonNode response = tx.path("response");
    String version = text(request.path("http_version")).map(v -> "HTTP/" + v).orElse("");
    HttpHead requestHead = head(String.join(" ", text(request.path("method")).orElse(""),
        text(request.path("uri")).orElse(""), version).strip(), request.path("headers"));
    HttpHead responseHead = head((version + " " + text(response.path("http_code")).orElse("")).strip(),
        response.path("headers"));
    MessageList messages = new MessageList(limits.maxMessages());
    for (JsonNode message : tx.path("messages")) {
      messages.add(v3Message(message));
    }
    JsonNode producer = tx.path("producer");
    Trailer trailer = TrailerParser.trailer(messages, false, Optional.empty(), OptionalLong.empty(),
        OptionalLong.empty(), text(producer.path("modsecurity")),
        text(producer.path("secrules_engine")).map(JsonEntryReader::engineMode), Optional.empty(), List.of());
    ALine a = aLine(text(tx.path("time_stamp")).orElse("-"), Optional.empty(), text(tx.path("unique_id")),
        text(tx.path("client_ip")), tx.path("client_port"), text(tx.path("host_ip")), tx.path("host_port"));
    return new Entry("json-3", a, requestHead, responseHead, trailer, Optional.empty(), Optional.of(root), summary);
  }

  private static Entry readV2(JsonNode root, Limits limits, Optional<String> summary) throws EntryRejected {
    JsonNode tx = root.path("transaction");
    JsonNode response = root.path("response");
    JsonNode audit = root.path("audit_data");
    HttpHead requestHead = head(text(root.path("request").path("request_line")).orElse(""),
        root.path("request").path("headers"));
    HttpHead responseHead = head((text(response.path("protocol")).orElse("") + " "
        + text(response.path("status")).orElse("")).strip(), response.path("headers"));
    MessageList messages = new MessageList(limits.maxMessages());
    for (JsonNode message : audit.path("messages")) {
      String line = text(message).orElse("");
      messages.add(MessageParser.parse(line.startsWith("Message: ") ? line.substring(9) : line));
    }
    JsonNode action = audit.path("action");
    long stopwatch = 0;
    boolean timed = false;
    for (JsonNode value : audit.path("stopwatch")) {
      if (value.canConvertToLong() && value.asLong() >= 0) {
        stopwatch += value.asLong();
        timed = true;
      }
    }
    OptionalLong micros = timed ? OptionalLong.of(stopwatch) : OptionalLong.empty();
    JsonNode producer = audit.path("producer");
    Optional<String> producerText = producer.isArray() && producer.size() > 0
        ? text(producer.get(0)) : text(producer);
    Trailer trailer = TrailerParser.trailer(messages, action.path("intercepted").asBoolean(false),
        action.path("phase").canConvertToInt() ? Optional.of(action.path("phase").asInt()) : Optional.empty(),
        micros, micros, producerText, text(audit.path("engine_mode")), Optional.empty(), List.of());
    String time = text(tx.path("time")).orElse("-");
    ALine a = aLine("[" + time + "]", ALine.sensorTime(time), text(tx.path("transaction_id")),
        text(tx.path("remote_address")), tx.path("remote_port"), text(tx.path("local_address")),
        tx.path("local_port"));
    return new Entry("json-2", a, requestHead, responseHead, trailer, Optional.empty(), Optional.of(root), summary);
  }

  /**
   * The A part of a JSON entry. Its line (the idempotency hash input) is the time and the A fields joined by spaces;
   * the sensor time of a v3 entry is read when the event is made, in the sensor zone.
   */
  private static ALine aLine(String time, Optional<String> sensorTime, Optional<String> uniqueId,
      Optional<String> client, JsonNode clientPort, Optional<String> server, JsonNode serverPort)
      throws EntryRejected {
    String id = uniqueId.map(String::strip).orElse("");
    if (id.isEmpty()) {
      throw new EntryRejected("missing_unique_id", "Entry has no unique id");
    }
    String address = client.map(String::strip).orElse("");
    if (address.isEmpty()) {
      throw new EntryRejected("missing_a", "Entry has no client address");
    }
    String line = String.join(" ", time, id, address, text(clientPort).orElse("-"), server.orElse("-"),
        text(serverPort).orElse("-"));
    return new ALine(line, sensorTime, id, address, port(clientPort), server.filter(v -> !v.isBlank()),
        port(serverPort));
  }

  private static OptionalInt port(JsonNode node) {
    String value = text(node).orElse("");
    return Text.digits(value, 5) && Integer.parseInt(value) <= 65535
        ? OptionalInt.of(Integer.parseInt(value)) : OptionalInt.empty();
  }

  private static Message v3Message(JsonNode message) {
    JsonNode details = message.path("details");
    List<String> tags = new ArrayList<>();
    details.path("tags").forEach(tag -> text(tag).ifPresent(tags::add));
    String match = text(details.path("match")).orElse("");
    Message parsed = MessageParser.parse(match);
    Optional<String> msg = text(message.path("message")).filter(m -> !m.isEmpty());
    return new Message(text(details.path("ruleId")).filter(v -> !v.isEmpty()).orElse(null),
        msg.map(m -> Text.cutBytes(m, Message.MAX_MSG_BYTES)).orElse(null),
        Severity.number(text(details.path("severity")).orElse("")).isPresent()
            ? Severity.number(text(details.path("severity")).orElse("")).getAsInt() : null,
        parsed.text(),
        text(details.path("data")).filter(v -> !v.isEmpty()).map(d -> Text.cutBytes(d, Message.MAX_DATA_BYTES))
            .orElse(null),
        List.copyOf(tags), text(details.path("file")).filter(v -> !v.isEmpty()).orElse(null),
        text(details.path("lineNumber")).filter(v -> Text.digits(v, 9)).map(Integer::valueOf).orElse(null),
        text(details.path("rev")).filter(v -> !v.isEmpty()).orElse(null),
        text(details.path("ver")).filter(v -> !v.isEmpty()).orElse(null), parsed.disruptive(), parsed.phase());
  }

  /** A head from a first line and a JSON object of headers (an array value gives one line per element). */
  static HttpHead head(String firstLine, JsonNode headers) {
    List<Header> list = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = headers.isObject() ? headers.fields() : List.<Map.Entry<String,
        JsonNode>>of().iterator();
    while (fields.hasNext() && list.size() < HttpHead.MAX_HEADER_LINES) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isArray()) {
        field.getValue().forEach(v -> text(v).ifPresent(t -> list.add(new Header(field.getKey(), t))));
      } else {
        text(field.getValue()).ifPresent(t -> list.add(new Header(field.getKey(), t)));
      }
    }
    return new HttpHead(firstLine.isEmpty() ? Optional.empty() : Optional.of(firstLine), List.copyOf(list));
  }

  static Optional<String> text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static String engineMode(String mode) {
    return switch (mode) {
      case "Enabled" -> "ENABLED";
      case "DetectionOnly" -> "DETECTION_ONLY";
      case "Disabled" -> "DISABLED";
      default -> mode;
    };
  }

  /** An asctime time without a zone ({@code Wed Mar 12 10:18:09 2025}), read in the sensor zone, as RFC 3339. */
  static Optional<String> asctime(String text, ZoneId zone) {
    try {
      LocalDateTime local = LocalDateTime.parse(String.join(" ", Text.fields(text)), ASCTIME);
      return Optional.of(RFC3339.format(local.atZone(zone)));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
