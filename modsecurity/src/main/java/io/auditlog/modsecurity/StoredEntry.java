package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A stored {@code event.detail.modsecurity} object and the event's metadata, as read back. */
final class StoredEntry {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final JsonNode modsecurity;
  private final Map<String, JsonNode> metadata = new HashMap<>();

  private StoredEntry(JsonNode modsecurity, JsonNode metadata) {
    this.modsecurity = modsecurity;
    for (JsonNode item : metadata) {
      if (item.path("name").isTextual()) {
        this.metadata.putIfAbsent(item.path("name").textValue(), item.path("value"));
      }
    }
  }

  static Optional<StoredEntry> of(JsonNode eventJson) {
    JsonNode modsecurity = eventJson == null ? null : eventJson.path("event").path("detail").get("modsecurity");
    return modsecurity != null && modsecurity.isObject()
        ? Optional.of(new StoredEntry(modsecurity, eventJson.path("metadata"))) : Optional.empty();
  }

  JsonNode modsecurity() {
    return modsecurity;
  }

  Optional<JsonNode> metadata(String name) {
    return Optional.ofNullable(metadata.get(name));
  }

  boolean isNative() {
    return modsecurity.path("sections").isObject();
  }

  /** The bytes of a native section as kept (base64 ones decoded), or empty. */
  Optional<byte[]> sectionBytes(String letter) {
    JsonNode text = modsecurity.path("sections").get(letter);
    if (text == null || !text.isTextual()) {
      return Optional.empty();
    }
    boolean base64 = false;
    for (JsonNode name : modsecurity.path("base64")) {
      base64 |= letter.equals(name.asText());
    }
    if (!base64) {
      return Optional.of(text.textValue().getBytes(StandardCharsets.UTF_8));
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text.textValue()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A native section's text (malformed UTF-8 replaced), or empty. */
  Optional<String> section(String letter) {
    return sectionBytes(letter).map(bytes -> Text.lenient(bytes, 0, bytes.length));
  }

  /** The received JSON object of a JSON entry (stored as an object, or as text when too deep), or missing. */
  JsonNode json() {
    JsonNode json = modsecurity.path("json");
    if (json.isTextual()) {
      try {
        return MAPPER.readTree(json.textValue());
      } catch (IOException e) {
        return MAPPER.missingNode();
      }
    }
    return json;
  }
}
