package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a request's events were stamped with: the shared {@code event_id} (null for an empty batch), each event's
 * {@code id} and salt (null in stamps kept before salts existed), the first timestamp (the others follow 1 ns apart)
 * and the first stage (1 for a whole request). Kept
 * with an {@code Idempotency-Key}, it stamps the same body again into the very same events, so a retry after a
 * partial publish rewrites the points already stored instead of adding new ones.
 */
record BatchStamp(String eventId, List<String> ids, List<String> salts, long firstNanos, int firstStage) {

  static BatchStamp of(List<StampedEvent> stamped) {
    if (stamped.isEmpty()) {
      return new BatchStamp(null, List.of(), List.of(), 0, 1);
    }
    return new BatchStamp(stamped.get(0).eventId(), stamped.stream().map(StampedEvent::id).toList(),
        stamped.stream().map(StampedEvent::salt).toList(), stamped.get(0).timestampNanos(), 1);
  }

  /** The stamp of the {@code index}th event alone, as it was stamped within this batch. */
  BatchStamp part(int index) {
    return new BatchStamp(eventId, List.of(ids.get(index)), Collections.singletonList(salts.get(index)),
        firstNanos + index, firstStage + index);
  }

  /** The events stamped exactly as before; {@code events} are those of the body this stamp was made for. */
  List<StampedEvent> apply(String tenant, List<AuditEvent> events) {
    if (events.size() != ids.size()) {
      throw new IllegalStateException("a stamp of " + ids.size() + " events for " + events.size());
    }
    List<StampedEvent> stamped = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      stamped.add(new StampedEvent(tenant, ids.get(i), eventId, firstNanos + i, firstStage + i, events.get(i),
          salts.get(i)));
    }
    return stamped;
  }

  /** The 202 body: {@code {"event_id", "ids", "accepted"}}. */
  String answer() {
    return Json.toText(identity().put("accepted", ids.size()));
  }

  String toJson() {
    ObjectNode node = identity().put("first", firstNanos).put("stage", firstStage);
    salts.forEach(node.putArray("salts")::add);
    return Json.toText(node);
  }

  private ObjectNode identity() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("event_id", eventId);
    ids.forEach(node.putArray("ids")::add);
    return node;
  }

  static BatchStamp fromJson(String text) {
    JsonNode node = Json.parseBody(text.getBytes(StandardCharsets.UTF_8));
    List<String> ids = new ArrayList<>();
    node.path("ids").forEach(id -> ids.add(id.textValue()));
    List<String> salts = new ArrayList<>(Collections.nCopies(ids.size(), null));
    for (int i = 0; i < Math.min(ids.size(), node.path("salts").size()); i++) {
      salts.set(i, node.path("salts").get(i).textValue());
    }
    return new BatchStamp(node.path("event_id").textValue(), ids, salts, node.path("first").longValue(),
        node.path("stage").asInt(1));
  }
}
