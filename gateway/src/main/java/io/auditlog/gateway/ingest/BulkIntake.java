package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.GatewayConfig.BulkLimits;
import io.auditlog.gateway.accounts.SensorAuth.Sensor;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.Json;
import io.auditlog.modsecurity.BulkItem;
import io.auditlog.modsecurity.BulkReader;
import io.auditlog.modsecurity.Limits;
import io.auditlog.modsecurity.MappingOptions;
import io.auditlog.modsecurity.Source;
import io.auditlog.store.read.TenantWorkers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code POST /rpc/auditLogReceiver/bulk}: a serial log, back-to-back concurrent files or JSON lines, gzipped or not,
 * read as a stream ({@link BodyStream}, {@link BulkReader}) on worker threads of its own, so that a slow upload
 * holds none of the threads other requests wait for, and published in chunks of at most 1,000 entries (fewer when
 * their events pass 8 MiB), each chunk under one {@code event_id} with stages in file order. Every entry goes through
 * the {@link EntryStore}, so a re-post stores nothing twice. A rejected entry is listed with its offset and reading
 * goes on; more than the configured bytes (as sent and, for a gzipped body, decompressed) or entries (256 MiB and
 * 100,000 by default) is a 413, a body that pauses or takes longer than configured a 408, no entry at all a 422, a
 * Kafka failure a 503.
 */
final class BulkIntake {

  static final int CHUNK = 1_000;
  /**
   * The most event bytes (compact JSON) a chunk holds before it is published: a chunk of large events ends sooner, so
   * that what waits for Kafka stays a few MiB whatever the entries hold.
   */
  static final int CHUNK_BYTES = 8 * 1024 * 1024;

  private final Stamping stamping;
  private final EntryStore store;
  private final Limits limits;
  private final MappingOptions mapping;
  private final BulkLimits bulk;
  private final TenantWorkers workers;
  private final ApiException tooLarge;
  private final ApiException timedOut;

  BulkIntake(Stamping stamping, EntryStore store, Limits limits, MappingOptions mapping, BulkLimits bulk,
      TenantWorkers workers) {
    this.stamping = stamping;
    this.store = store;
    this.limits = limits;
    this.mapping = mapping;
    this.bulk = bulk;
    this.workers = workers;
    this.tooLarge = ApiException.of(413, "payload_too_large",
        "A back-fill may hold at most " + bulk.maxBytes() + " bytes and " + bulk.maxEntries() + " entries.");
    this.timedOut = ApiException.of(408, "body_timeout", "A back-fill may pause for at most "
        + bulk.idle().toSeconds() + " s and take at most " + bulk.duration().toSeconds() + " s in all.");
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
        && Long.parseLong(length) > bulk.maxBytes()) {
      return Future.failedFuture(tooLarge);
    }
    BodyStream body = BodyStream.of(request, vertx.getOrCreateContext(), bulk.maxBytes(), bulk.idle(),
        bulk.duration());
    Tally tally = new Tally();
    String tenant = sensor.account().tenant();
    return blocking(tenant, () -> new BulkReader(body, limits))
        .compose(reader -> chunks(reader, body, sensor, source, tally)
            .eventually(() -> blocking(tenant, () -> {
              reader.close();
              return null;
            })))
        .compose(done -> tally.entries == 0
            ? Future.failedFuture(ApiException.of(422, "no_entries", "The body holds no audit-log entry."))
            : Future.succeededFuture(tally.body()));
  }

  private Future<Void> chunks(BulkReader reader, BodyStream body, Sensor sensor, Source source, Tally tally) {
    return blocking(sensor.account().tenant(), () -> read(reader, body, source, tally))
        .compose(chunk -> publish(sensor, chunk.entries(), tally)
            .compose(v -> chunk.more() ? chunks(reader, body, sensor, source, tally) : Future.succeededFuture()));
  }

  /**
   * Runs {@code work} on the back-fill threads in the tenant's turn (one tenant's back-fills, gzip bombs among them,
   * never hold every thread), in no order with other work; a body that could not be read fails it with its answer.
   */
  private <T> Future<T> blocking(String tenant, Callable<T> work) {
    return workers.execute(tenant, () -> {
      try {
        return work.call();
      } catch (UncheckedIOException e) {
        throw e.getCause() instanceof BodyStream.TooLarge ? tooLarge
            : e.getCause() instanceof BodyStream.TimedOut ? timedOut
            : ApiException.of(400, "body_unreadable", "The body could not be read to its end.");
      }
    });
  }

  /**
   * Reads up to {@link #CHUNK} entries, rejected ones included, or fewer whose events reach {@link #CHUNK_BYTES},
   * noting the rejected ones; on a worker thread. Past the back-fill's time it is a 408, however fast the body came:
   * what is read of it may take longer than its sending.
   */
  private Chunk read(BulkReader reader, BodyStream body, Source source, Tally tally) {
    List<Indexed> entries = new ArrayList<>();
    long eventBytes = 0;
    for (int read = 0; read < CHUNK && eventBytes < CHUNK_BYTES && reader.hasNext(); read++) {
      BulkItem item = reader.next();
      if (++tally.entries > bulk.maxEntries() || reader.bytesRead() > bulk.maxBytes()) {
        throw tooLarge;
      }
      if (body.overtime()) {
        throw timedOut;
      }
      if (item.rejected().isPresent()) {
        reject(tally, item, item.rejected().get().type());
      } else {
        try {
          ReceivedEntry entry = ReceivedEntry.of(item.entry().orElseThrow(), source, mapping);
          entries.add(new Indexed(item.index(), entry));
          eventBytes += entry.eventBytes();
        } catch (ApiException refused) {
          reject(tally, item, refused.type());
        }
      }
    }
    boolean more = reader.hasNext();
    if (reader.bytesRead() > bulk.maxBytes()) {
      throw tooLarge;
    }
    return new Chunk(entries, more);
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
      String key = indexed.entry().uniqueId();
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
