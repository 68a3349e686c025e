package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rebuilds a stored entry: a native one byte for byte from its boundary, line endings, order and sections; a JSON one
 * as the received object (compact). Empty when the event has no entry, or when something was cut or not kept.
 */
public final class RawEntry {
  private RawEntry() {
  }

  public static Optional<byte[]> rebuild(JsonNode eventJson) {
    Optional<StoredEntry> stored = StoredEntry.of(eventJson);
    if (stored.isEmpty() || stored.get().modsecurity().path("truncated").size() > 0) {
      return Optional.empty();
    }
    if (!stored.get().isNative()) {
      JsonNode json = stored.get().json();
      return json.isObject() ? Optional.of(Json.toBytes(json)) : Optional.empty();
    }
    return rebuildNative(stored.get());
  }

  private static Optional<byte[]> rebuildNative(StoredEntry stored) {
    JsonNode modsecurity = stored.modsecurity();
    List<String> order = new ArrayList<>();
    modsecurity.path("order").forEach(letter -> order.add(letter.asText()));
    Set<String> distinct = new HashSet<>(order);
    String boundary = modsecurity.path("boundary").asText("");
    String eol = modsecurity.path("eol").asText("");
    List<String> eols = new ArrayList<>();
    modsecurity.path("eols").forEach(e -> eols.add(e.asText()));
    boolean uniform = eols.isEmpty();
    if (order.isEmpty() || distinct.size() != order.size() || boundary.isEmpty()
        || (uniform && !eol.equals("\n") && !eol.equals("\r\n")) || (!uniform && eols.size() != 2 * order.size() - 1)) {
      return Optional.empty();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(modsecurity.path("lead").asText("").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < order.size(); i++) {
      String letter = order.get(i);
      Optional<byte[]> text = stored.sectionBytes(letter);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      out.writeBytes(("--" + boundary + "-" + letter + "--" + (uniform ? eol : eols.get(2 * i)))
          .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(text.get());
      if (i < order.size() - 1) {
        out.writeBytes((uniform ? eol : eols.get(2 * i + 1)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Optional.of(out.toByteArray());
  }
}
