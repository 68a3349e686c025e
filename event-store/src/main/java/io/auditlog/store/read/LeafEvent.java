package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.HistoryLeaf;
import java.util.Map;

/**
 * A stored event in its read shape ({@link StoredEvents#toEvent}) and its leaf in the tenant's verifiable history,
 * read from the point's {@code seq} and {@code salt}; {@code leaf} is null for an event stored outside the history.
 */
public record LeafEvent(ObjectNode event, HistoryLeaf leaf) {

  static LeafEvent of(InfluxEventStore.Row row) {
    Map<String, JsonNode> columns = row.columns();
    JsonNode seq = columns.get(InfluxNames.FIELD_SEQ);
    JsonNode salt = columns.get(InfluxNames.FIELD_SALT);
    HistoryLeaf leaf = seq != null && seq.canConvertToLong() && salt != null && salt.isTextual()
        ? new HistoryLeaf(seq.asLong(), salt.textValue()) : null;
    return new LeafEvent(StoredEvents.toEvent(row.category(), columns), leaf);
  }

  /** The event's id. */
  public String id() {
    return event.path("id").asText();
  }
}
