package io.auditlog.store.read;

import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.TagShape;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TagShape} of a tenant's stored points, as InfluxDB's index tells it: eight tags when {@code method} is a
 * tag anywhere in the tenant's database, else four. The ingest workers write each tenant in one shape, so the answer
 * holds for every point. A read in the four-tag shape is right on either shape (it never groups by, or deletes by, a
 * string that may be a field), only slower on eight-tag points; so "eight" is remembered for good, and "four", which
 * an empty database also answers, for {@value #FOUR_SECONDS} seconds.
 */
public final class StoredShapes {

  static final int FOUR_SECONDS = 10;
  private static final InfluxQl METHOD_TAG = InfluxQl.sql("SHOW TAG VALUES WITH KEY = ")
      .then(InfluxQl.identifier(InfluxNames.TAG_METHOD)).then(" LIMIT 1");

  private final InfluxQueries influx;
  private final Set<String> eight = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> fourUntil = new ConcurrentHashMap<>();

  public StoredShapes(InfluxQueries influx) {
    this.influx = influx;
  }

  public Future<TagShape> of(String tenant) {
    if (eight.contains(tenant)) {
      return Future.succeededFuture(TagShape.EIGHT_TAGS);
    }
    Long until = fourUntil.get(tenant);
    if (until != null && System.nanoTime() - until < 0) {
      return Future.succeededFuture(TagShape.FOUR_TAGS);
    }
    return influx.run(tenant, METHOD_TAG).map(result -> {
      if (result.path("series").isEmpty()) {
        fourUntil.put(tenant, System.nanoTime() + FOUR_SECONDS * 1_000_000_000L);
        return TagShape.FOUR_TAGS;
      }
      eight.add(tenant);
      fourUntil.remove(tenant);
      return TagShape.EIGHT_TAGS;
    });
  }
}
