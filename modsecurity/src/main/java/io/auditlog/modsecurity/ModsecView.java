package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Read-only access to a stored event's ModSecurity data: the values of the filter variables. Native entries are read
 * from their raw B, F, C (else I), E and H sections, JSON entries from the received object. The heads are parsed once
 * and cookies and arguments decoded once per view, so one view serves every condition of a filter over the event.
 */
public final class ModsecView {
  private static final String URLENCODED = "application/x-www-form-urlencoded";
  private final StoredEntry stored;
  private final HttpHead request;
  private final HttpHead response;
  private final String requestBody;
  private final String responseBody;
  private final List<JsonNode> messages = new ArrayList<>();
  private List<Header> cookies;
  private List<Header> argsGet;
  private List<Header> argsPost;
  private List<Header> args;

  private ModsecView(StoredEntry stored) {
    this.stored = stored;
    if (stored.isNative()) {
      request = stored.section("B").map(HttpHead::parse).orElse(HttpHead.EMPTY);
      response = stored.section("F").map(HttpHead::parse).orElse(HttpHead.EMPTY);
      requestBody = stored.section("C").or(() -> stored.section("I")).orElse("");
      responseBody = stored.section("E").orElse("");
    } else {
      JsonNode json = stored.json();
      boolean v3 = !json.has("request") && !json.has("audit_data");
      JsonNode requestNode = v3 ? json.path("transaction").path("request") : json.path("request");
      JsonNode responseNode = v3 ? json.path("transaction").path("response") : json.path("response");
      String version = JsonEntryReader.text(requestNode.path("http_version")).map(v -> "HTTP/" + v).orElse("");
      request = JsonEntryReader.head(v3 ? String.join(" ", JsonEntryReader.text(requestNode.path("method"))
          .orElse(""), JsonEntryReader.text(requestNode.path("uri")).orElse(""), version).strip()
          : JsonEntryReader.text(requestNode.path("request_line")).orElse(""), requestNode.path("headers"));
      response = JsonEntryReader.head(v3 ? version
          : JsonEntryReader.text(responseNode.path("protocol")).orElse(""), responseNode.path("headers"));
      requestBody = body(requestNode.path("body"));
      responseBody = body(responseNode.path("body"));
    }
    stored.modsecurity().path("messages").forEach(messages::add);
  }

  /** The view of an event as read back; empty when the event has no {@code event.detail.modsecurity}. */
  public static Optional<ModsecView> of(JsonNode eventJson) {
    return StoredEntry.of(eventJson).map(ModsecView::new);
  }

  /**
   * The values of a variable, with an optional member for the collections (header and cookie names compared without
   * case, argument names with case).
   *
   * @throws IllegalArgumentException for an unknown variable, or a member given to a variable without members
   */
  public List<String> values(String variable, Optional<String> member) {
    String name = variable.toUpperCase(Locale.ROOT);
    Optional<List<Header>> collection = collection(name);
    if (collection.isPresent()) {
      boolean ignoreCase = !name.startsWith("ARGS");
      return collection.get().stream().filter(h -> member.isEmpty()
          || (ignoreCase ? h.name().equalsIgnoreCase(member.get()) : h.name().equals(member.get())))
          .map(Header::value).toList();
    }
    if (member.isPresent()) {
      throw new IllegalArgumentException(variable + " has no members");
    }
    return scalar(name);
  }

  private Optional<List<Header>> collection(String name) {
    return Optional.ofNullable(switch (name) {
      case "REQUEST_HEADERS" -> request.headers();
      case "RESPONSE_HEADERS" -> response.headers();
      case "REQUEST_COOKIES" -> cookies();
      case "ARGS" -> args();
      case "ARGS_GET" -> argsGet();
      case "ARGS_POST" -> argsPost();
      default -> null;
    });
  }

  private List<String> scalar(String name) {
    Optional<String> uri = requestUri();
    return switch (name) {
      case "REQUEST_HEADERS_NAMES" -> names(request.headers());
      case "RESPONSE_HEADERS_NAMES" -> names(response.headers());
      case "REQUEST_COOKIES_NAMES" -> names(cookies());
      case "ARGS_NAMES" -> names(collection("ARGS").orElseThrow());
      case "REQUEST_LINE" -> list(request.firstLine());
      case "REQUEST_METHOD" -> list(request.firstLineFields(1).stream().findFirst());
      case "REQUEST_URI" -> list(uri.map(RequestLine::path));
      case "REQUEST_URI_RAW" -> list(uri);
      case "QUERY_STRING" -> list(queryString());
      case "REQUEST_PROTOCOL" -> list(RequestLine.of(request, Optional.empty()).protocol());
      case "REQUEST_BODY" -> requestBody.isEmpty() ? List.of() : List.of(requestBody);
      case "RESPONSE_BODY" -> responseBody.isEmpty() ? List.of() : List.of(responseBody);
      case "RESPONSE_PROTOCOL" -> list(response.firstLineFields(1).stream().findFirst()
          .filter(p -> p.startsWith("HTTP/")));
      case "REMOTE_PORT" -> metadata("remote_port");
      case "SERVER_ADDR", "SERVER_NAME" -> metadata("server_addr");
      case "SERVER_PORT" -> metadata("server_port");
      case "UNIQUE_ID" -> metadata("unique_id");
      case "SENSOR_DATE" -> metadata("sensor_time");
      case "RULE_ID" -> messageValues("id");
      case "RULE_MSG" -> messageValues("msg");
      case "RULE_DATA" -> messageValues("data");
      case "RULE_FILE" -> messageValues("file");
      case "RULE_LINE" -> messageValues("line");
      case "RULE_SEV" -> messageValues("severity");
      case "MESSAGE" -> messageValues("text");
      case "RULE_TAG" -> tags();
      case "HIGHEST_SEVERITY" -> severity(s -> s.min());
      case "LOWEST_SEVERITY" -> severity(s -> s.max());
      case "WEBAPPID" -> list(webApp(0).or(() -> stored.metadata("webapp_id").map(JsonNode::asText)));
      case "SESSIONID" -> list(webApp(1));
      default -> throw new IllegalArgumentException("unknown variable " + name);
    };
  }

  private Optional<String> requestUri() {
    List<String> fields = request.firstLineFields(2);
    return RequestLine.of(request, Optional.empty()).uri().filter(u -> fields.size() >= 2);
  }

  private Optional<String> queryString() {
    return requestUri().filter(u -> u.indexOf('?') >= 0).map(u -> u.substring(u.indexOf('?') + 1));
  }

  private List<Header> args() {
    if (args == null) {
      List<Header> all = new ArrayList<>(argsGet());
      all.addAll(argsPost());
      args = all;
    }
    return args;
  }

  private List<Header> argsGet() {
    if (argsGet == null) {
      argsGet = queryString().map(FormArgs::decode).orElse(List.of());
    }
    return argsGet;
  }

  private List<Header> argsPost() {
    if (argsPost == null) {
      boolean form = request.header("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).startsWith(URLENCODED))
          .orElse(false);
      argsPost = form ? FormArgs.decode(requestBody.strip()) : List.of();
    }
    return argsPost;
  }

  private List<Header> cookies() {
    if (cookies == null) {
      cookies = decodeCookies();
    }
    return cookies;
  }

  private List<Header> decodeCookies() {
    List<Header> found = new ArrayList<>();
    request.headers().stream().filter(h -> h.name().equalsIgnoreCase("Cookie")).forEach(h -> {
      for (String pair : h.value().split(";")) {
        int equals = pair.indexOf('=');
        if (!pair.isBlank()) {
          found.add(equals < 0 ? new Header(pair.strip(), "")
              : new Header(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip()));
        }
      }
    });
    return found;
  }

  private List<String> messageValues(String key) {
    List<String> values = new ArrayList<>();
    messages.forEach(m -> {
      if (m.hasNonNull(key)) {
        values.add(m.get(key).asText());
      }
    });
    return values;
  }

  private List<String> tags() {
    List<String> values = new ArrayList<>();
    messages.forEach(m -> m.path("tags").forEach(t -> values.add(t.asText())));
    return values;
  }

  private List<String> severity(Function<java.util.stream.IntStream, OptionalInt> pick) {
    OptionalInt value = pick.apply(messages.stream().filter(m -> m.path("severity").isInt())
        .mapToInt(m -> m.path("severity").intValue()));
    return value.isPresent() ? List.of(String.valueOf(value.getAsInt())) : List.of();
  }

  private List<String> metadata(String name) {
    return stored.metadata(name).filter(JsonNode::isValueNode).map(JsonNode::asText).map(List::of)
        .orElse(List.of());
  }

  /** A field of the trailer's {@code WebApp-Info: "app" "session" "user"} line ("-" is none). */
  private Optional<String> webApp(int index) {
    Optional<String> trailer = stored.section("H");
    if (trailer.isEmpty()) {
      return Optional.empty();
    }
    ByteLines lines = ByteLines.of(trailer.get());
    while (lines.next()) {
      if (lines.startsWith("WebApp-Info: ")) {
        List<String> fields = TrailerParser.quoted(lines.text().substring("WebApp-Info: ".length()));
        return fields.size() > index ? Optional.of(fields.get(index)).filter(v -> !v.equals("-") && !v.isEmpty())
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static List<String> names(List<Header> headers) {
    return headers.stream().map(Header::name).toList();
  }

  private static List<String> list(Optional<String> value) {
    return value.map(List::of).orElse(List.of());
  }

  private static String body(JsonNode body) {
    if (body.isTextual()) {
      return body.textValue();
    }
    StringBuilder text = new StringBuilder();
    Iterator<JsonNode> parts = body.isArray() ? body.elements() : List.<JsonNode>of().iterator();
    parts.forEachRemaining(part -> text.append(part.asText()));
    return text.toString();
  }
}
