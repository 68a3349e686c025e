package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The check of an event against its sample's golden event, for a mapped event and a stored one read back alike: the
 * event without {@code event.detail}, {@code id}, {@code event_id}, {@code timestamp} and {@code event.stage} equals
 * the EXPECTED event (metadata in order, numbers by value), and the EXPECTED-MESSAGES keys hold in
 * {@code event.detail.modsecurity.messages}.
 */
public final class Golden {

  /** Numbers equal by value (0 and 0.0), everything else by Jackson's equality. */
  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
      ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;

  private Golden() {
  }

  public static void assertEvent(String name, JsonNode event) {
    ObjectNode compared = event.deepCopy();
    compared.remove(List.of("id", "event_id", "timestamp"));
    ObjectNode action = (ObjectNode) compared.get("event");
    action.remove("stage");
    JsonNode detail = action.remove("detail");
    assertThat(compared.equals(NUMBERS_BY_VALUE, Samples.expected(name)))
        .as("%s event%n%s%nexpected%n%s", name, compared.toPrettyString(), Samples.expected(name).toPrettyString())
        .isTrue();
    JsonNode messages = detail.path("modsecurity").path("messages");
    JsonNode expected = Samples.expectedMessages(name);
    assertThat(messages.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      List<String> keys = new ArrayList<>();
      expected.get(i).fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        assertThat(messages.get(i).get(key)).as("%s message %d %s", name, i, key).isEqualTo(expected.get(i).get(key));
      }
      if (!expected.get(i).has("phase")) {
        assertThat(messages.get(i).has("phase")).isFalse();
      }
    }
  }
}
