package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.accounts.SensorAuth.Sensor;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.Json;
import io.auditlog.modsecurity.BulkItem;
import io.auditlog.modsecurity.BulkReader;
import io.auditlog.modsecurity.Limits;
import io.auditlog.modsecurity.MappingOptions;
import io.auditlog.modsecurity.Source;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /rpc/auditLogReceiver/bulk}: a serial log, back-to-back concurrent files or JSON lines, gzipped or not,
 * read as a stream on worker threads ({@link BodyStream}, {@link BulkReader}) and published in chunks of at most
 * 1,000 entries, each chunk under one {@code event_id} with stages in file order. Every entry goes through the
 * {@link EntryStore}, so a re-post stores nothing twice. A rejected entry is listed with its offset and reading goes
 * on; more than the configured bytes or entries (256 MiB and 100,000 by default) is a 413, no entry at all a 422, a
 * Kafka failure a 503.
 */
final class BulkIntake {

  static final int CHUNK = 1_000;
  private static final Duration IDLE = Duration.ofSeconds(60);

  private final Stamping stamping;
  private final EntryStore store;
  private final Limits limits;
  private final MappingOptions mapping;
  private final long maxBytes;
  private final int maxEntries;
  private final ApiException tooLarge;

  BulkIntake(Stamping stamping, EntryStore store, Limits limits, MappingOptions mapping, int maxBytes,
      int maxEntries) {
    this.stamping = stamping;
    this.store = store;
    this.limits = limits;
    this.mapping = mapping;
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.tooLarge = ApiException.of(413, "payload_too_large",
        "A back-fill may hold at most " + maxBytes + " bytes and " + maxEntries + " entries.");
  }

  /** One entry of a chunk, with its place in the file. */
  private record Indexed(int index, ReceivedEntry entry) {
  }

  /** The entries read for one chunk, and whether the file holds more. */
  private record Chunk(List<Indexed> entries, boolean more) {
  }

  /** What a back-fill did so far; read and written one step after the other. */
  private static final class Tally {
    int entries;
    int stored;
    int duplicates;
    final ArrayNode rejected = Json.MAPPER.createArrayNode();
    final Map<Integer, String> ids = new TreeMap<>();

    ObjectNode body() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("entries", entries).put("stored", stored)
          .put("duplicates", duplicates);
      body.set("rejected", rejected);
      ids.values().forEach(body.putArray("ids")::add);
      return body;
    }
  }

  Future<ObjectNode> receive(Vertx vertx, HttpServerRequest request, Sensor sensor, Source source) {
    String length = request.getHeader("Content-Length");
    if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > maxBytes) {
      return Future.failedFuture(tooLarge);
    }
    BodyStream body = BodyStream.of(request, vertx.getOrCreateContext(), maxBytes, IDLE);
    Tally tally = new Tally();
    return vertx.executeBlocking(() -> new BulkReader(body, limits))
        .compose(reader -> chunks(vertx, reader, sensor, source, tally)
            .eventually(() -> vertx.executeBlocking(() -> {
              reader.close();
              return null;
            })))
        .compose(done -> tally.entries == 0
            ? Future.failedFuture(ApiException.of(422, "no_entries", "The body holds no audit-log entry."))
            : Future.succeededFuture(tally.body()));
  }

  private Future<Void> chunks(Vertx vertx, BulkReader reader, Sensor sensor, Source source, Tally tally) {
    return vertx.executeBlocking(() -> read(reader, source, tally))
        .compose(chunk -> publish(sensor, chunk.entries(), tally)
            .compose(v -> chunk.more() ? chunks(vertx, reader, sensor, source, tally) : Future.succeededFuture()));
  }

  /** Reads up to {@link #CHUNK} entries, noting the rejected ones; on a worker thread. */
  private Chunk read(BulkReader reader, Source source, Tally tally) {
    List<Indexed> entries = new ArrayList<>();
    try {
      while (entries.size() < CHUNK && reader.hasNext()) {
        BulkItem item = reader.next();
        if (++tally.entries > maxEntries) {
          throw tooLarge;
        }
        if (item.rejected().isPresent()) {
          reject(tally, item, item.rejected().get().type());
        } else {
          try {
            entries.add(new Indexed(item.index(), ReceivedEntry.of(item.entry().orElseThrow(), source, mapping)));
          } catch (ApiException invalid) {
            reject(tally, item, "invalid_event");
          }
        }
      }
      return new Chunk(entries, reader.hasNext());
    } catch (UncheckedIOException e) {
      throw e.getCause() instanceof BodyStream.TooLarge ? tooLarge
          : ApiException.of(400, "body_unreadable", "The body could not be read to its end.");
    }
  }

  private static void reject(Tally tally, BulkItem item, String type) {
    ObjectNode rejected = tally.rejected.addObject().put("entry", item.index()).put("offset", item.offset());
    rejected.put("unique_id", item.uniqueId().orElse(null));
    rejected.put("type", type);
  }

  /**
   * Stamps the chunk's events together and stores each entry; entries of the chunk with the same key wait for each
   * other, so that a file holding an entry twice stores it once.
   */
  private Future<Void> publish(Sensor sensor, List<Indexed> entries, Tally tally) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    String tenant = sensor.account().tenant();
    List<AuditEvent> events = entries.stream().map(e -> e.entry().event()).toList();
    BatchStamp stamp = stamping.stamp(tenant, events);
    Map<String, Future<Void>> byKey = new HashMap<>();
    List<Future<Void>> stored = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Indexed indexed = entries.get(i);
      BatchStamp part = stamp.part(i);
      String key = indexed.entry().entry().uniqueId();
      Future<Void> before = byKey.getOrDefault(key, Future.succeededFuture());
      Future<Void> one = before.transform(ignored -> store.store(tenant, sensor.name(), indexed.entry(), part))
          .map(result -> {
            if (result.duplicate()) {
              tally.duplicates++;
            } else {
              tally.stored++;
            }
            tally.ids.put(indexed.index(), result.id());
            return null;
          });
      byKey.put(key, one);
      stored.add(one);
    }
    return Future.all(stored).mapEmpty();
  }
}
