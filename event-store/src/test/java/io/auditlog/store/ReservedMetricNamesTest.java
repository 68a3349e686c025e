package io.auditlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.EventValidator;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A custom metric becomes a field of the event's point, so its name must never be one of the tag or field keys the
 * encoder writes itself, in either shape: every such key, read off the line of a fully populated event, is refused at
 * the edge.
 */
class ReservedMetricNamesTest {

  /** The seed event has every optional part: description, every detail, a resource with all keys, metadata. */
  private static final String OWN_METRIC = "login_time";

  @Test
  void everyTagAndFieldKeyTheEncoderWritesIsRefusedAsAMetricName() {
    StampedEvent event = SampleEvents.stamped("5", 1).get(0);
    Set<String> keys = new TreeSet<>();
    for (TagShape shape : TagShape.values()) {
      keys.addAll(keysOf(LineProtocol.encode(event, new HistoryLeaf(7, "AAECAwQFBgcICQoLDA0ODw=="), shape)));
    }
    keys.remove(OWN_METRIC);
    assertThat(keys).contains("app", "resource_type", "id", "stage", "resource", "resource_name", "metadata", "seq",
        "salt");
    for (String key : keys) {
      for (String name : List.of(key, key.toUpperCase(Locale.ROOT))) {
        ObjectNode body = SampleEvents.seedJson();
        ((ObjectNode) body.withArray("metadata").get(0)).put("name", name);
        ApiException refused = catchThrowableOfType(() -> new EventValidator().validate(body), ApiException.class);
        assertThat(refused).as(name).isNotNull();
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.fieldErrors()).as(name).singleElement().satisfies(error -> {
          assertThat(error.loc()).isEqualTo(List.of("body", "metadata", 0, "name"));
          assertThat(error.type()).isEqualTo("value_error.reserved");
        });
      }
    }
    assertThat(EventValidator.RESERVED_NAMES).containsAll(keys);
  }

  /** The tag keys (after the measurement) and field keys of one line of line protocol. */
  private static Set<String> keysOf(String line) {
    List<String> sections = split(line, ' ');
    assertThat(sections).hasSize(3);
    List<String> pairs = new ArrayList<>(split(sections.get(0), ','));
    pairs.remove(0);
    pairs.addAll(split(sections.get(1), ','));
    Set<String> keys = new TreeSet<>();
    for (String pair : pairs) {
      keys.add(split(pair, '=').get(0));
    }
    return keys;
  }

  /** Splits at {@code separator} where it is neither escaped by a backslash nor inside a quoted string value. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        part.append(c).append(text.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }
}
