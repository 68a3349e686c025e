package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The event's metadata items, in the order they are added; absent values add nothing. */
final class Metadata {
  private final ArrayNode array = JsonNodeFactory.instance.arrayNode();

  void text(String name, String value, int maxBytes) {
    text(name, Optional.of(Text.cutBytes(value, maxBytes)));
  }

  void text(String name, Optional<String> value) {
    value.filter(v -> !v.isEmpty()).ifPresent(v -> item(name).put("value", v));
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

  ArrayNode array() {
    return array;
  }

  private ObjectNode item(String name) {
    return array.addObject().put("name", name);
  }
}
