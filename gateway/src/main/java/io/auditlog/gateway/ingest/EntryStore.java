package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes a ModSecurity entry's event once: the key {@code modsec/<sensor>/<unique id>} with the SHA-256 of the A
 * line as the body hash, in the Idempotency-Key store. A resend (same key, same A line) answers the first event's id
 * and publishes nothing; another A line under the same key (unique ids that collide) is stored under the key plus a
 * hash suffix, and counted; an entry still in flight is a 503, so that mlogc retries it.
 */
final class EntryStore {

  static final String KEY_PREFIX = "modsec/";

  private final IdempotencyKeys keys;
  private final EventPublisher publisher;
  private final Counter collisions;

  EntryStore(IdempotencyKeys keys, EventPublisher publisher, MeterRegistry registry) {
    this.keys = keys;
    this.publisher = publisher;
    this.collisions = Counter.builder("auditlog_modsec_unique_id_collisions")
        .description("entries whose unique id a different entry of the same sensor had").register(registry);
  }

  /** What became of an entry: its answer ({@code id}, {@code event_id}, {@code unique_id}) and whether it was new. */
  record Stored(JsonNode answer, boolean duplicate) {

    String id() {
      return answer.path("id").asText();
    }

    /** The 200 body of the receiver. */
    ObjectNode body() {
      return ((ObjectNode) answer.deepCopy()).put("duplicate", duplicate);
    }
  }

  Future<Stored> store(String tenant, String sensor, ReceivedEntry entry, BatchStamp stamp) {
    String key = KEY_PREFIX + sensor + "/" + entry.uniqueId();
    return once(tenant, key, entry, stamp)
        .recover(e -> {
          if (e instanceof ApiException error && error.type().equals("idempotency_key_reused")) {
            collisions.increment();
            return once(tenant, key + "/" + entry.aLineHash().substring(0, 16), entry, stamp);
          }
          return Future.failedFuture(e);
        })
        .recover(e -> Future.failedFuture(e instanceof ApiException error
            && error.type().equals("idempotency_key_in_progress")
            ? ApiException.unavailable("entry_in_flight", "The same entry is being stored; retry later.", 2) : e));
  }

  private Future<Stored> once(String tenant, String key, ReceivedEntry entry, BatchStamp stamp) {
    AtomicBoolean published = new AtomicBoolean();
    return keys.once(tenant, key, entry.aLineHash(), stamp, s -> {
      published.set(true);
      return publisher.publish(s.apply(tenant, List.of(entry.event())), true).map(v -> answer(s, entry));
    }).map(text -> new Stored(Json.parseBody(text.getBytes(StandardCharsets.UTF_8)), !published.get()));
  }

  private static String answer(BatchStamp stamp, ReceivedEntry entry) {
    return Json.toText(Json.MAPPER.createObjectNode().put("id", stamp.ids().get(0)).put("event_id", stamp.eventId())
        .put("unique_id", entry.uniqueId()));
  }
}
