package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The event's metadata items, in the order they are added; absent values add nothing. */
final class Metadata {
  private static final int MAX_BYTES = ModsecDetail.MAX_DETAIL_BYTES;
  private final ArrayNode array = JsonNodeFactory.instance.arrayNode();

  void text(String name, String value, int maxBytes) {
    text(name, Optional.of(Text.derived(value, maxBytes)));
  }

  /** A text item, its control characters replaced by U+FFFD. */
  void text(String name, Optional<String> value) {
    value.filter(v -> !v.isEmpty()).ifPresent(v -> item(name).put("value", Text.clean(v)));
  }

  void number(String name, OptionalInt value) {
    value.ifPresent(v -> item(name).put("value", v));
  }

  void list(String name, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(item(name).putArray("value")::add);
    }
  }

  void metric(String name, long value) {
    item(name).put("value", value).put("is_metric", true);
  }

  /** The items, lists shortened from their end (the last list first) until they fit the stored limit. */
  ArrayNode array() {
    for (int i = array.size() - 1; i >= 0 && Json.toBytes(array).length > MAX_BYTES; i--) {
      if (array.get(i).get("value") instanceof ArrayNode values) {
        while (!values.isEmpty() && Json.toBytes(array).length > MAX_BYTES) {
          values.remove(values.size() - 1);
        }
        if (values.isEmpty()) {
          array.remove(i);
        }
      }
    }
    return array;
  }

  private ObjectNode item(String name) {
    return array.addObject().put("name", name);
  }
}
