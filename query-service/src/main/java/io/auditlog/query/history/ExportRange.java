package io.auditlog.query.history;

import io.auditlog.query.TimeParser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an export covers: leaves [{@code from}, {@code to}) of the tree of a stored {@code checkpoint}, and the size
 * a consistency proof starts from, if asked for. Read from {@code from_seq}/{@code to_seq} (default 0 and the
 * checkpoint's size) or {@code start}/{@code stop} (each the size of the newest checkpoint signed at or before it, or
 * 0), never both; {@code size} (a stored checkpoint, default the latest) and {@code known_size} (at most {@code size}).
 * An event in the range erased by a record at or beyond {@code size} makes the range unexplainable there: 409.
 */
record ExportRange(long from, long to, CheckpointRows.Stored checkpoint, OptionalLong knownSize) {

  static Future<ExportRange> resolve(long tenant, MultiMap query, TimeParser time, CheckpointRows checkpoints,
      ErasureRows erasures) {
    boolean bySeq = query.contains("from_seq") || query.contains("to_seq");
    boolean byTime = query.contains("start") || query.contains("stop");
    if (bySeq && byTime) {
      throw HistoryErrors.invalid("query", "start", "give from_seq/to_seq or start/stop, not both",
          "value_error.mixed_range");
    }
    OptionalLong fromSeq = UnsignedParams.optional(query, "from_seq");
    OptionalLong toSeq = UnsignedParams.optional(query, "to_seq");
    OptionalLong size = UnsignedParams.optional(query, "size");
    OptionalLong knownSize = UnsignedParams.optional(query, "known_size");
    Optional<Instant> start = Optional.ofNullable(query.get("start")).map(text -> time.parse("start", text));
    Optional<Instant> stop = Optional.ofNullable(query.get("stop")).map(text -> time.parse("stop", text));
    if (start.isPresent() && stop.isPresent() && !start.get().isBefore(stop.get())) {
      throw HistoryErrors.invalid("query", "stop", "must be after start", "value_error.time_order");
    }
    return checkpoints.requested(tenant, "query", "size", size).compose(checkpoint -> {
      Future<Long> from = start.map(t -> checkpoints.sizeAt(tenant, t))
          .orElseGet(() -> Future.succeededFuture(fromSeq.orElse(0)));
      Future<Long> to = stop.map(t -> checkpoints.sizeAt(tenant, t))
          .orElseGet(() -> Future.succeededFuture(toSeq.orElse(checkpoint.size())));
      return Future.all(from, to).compose(both -> {
        ExportRange range = new ExportRange(from.result(), to.result(), checkpoint, knownSize);
        range.check(byTime);
        return erasures.erasedFrom(tenant, range.from, range.to, checkpoint.size()).map(conflict -> {
          if (conflict) {
            throw HistoryErrors.erasedAfterCheckpoint();
          }
          return range;
        });
      });
    });
  }

  private void check(boolean byTime) {
    long size = checkpoint.size();
    if (Long.compareUnsigned(to, size) > 0) {
      throw HistoryErrors.notCovered("query", byTime ? "stop" : "to_seq", "to_seq " + Long.toUnsignedString(to),
          size);
    }
    if (Long.compareUnsigned(from, to) > 0) {
      throw HistoryErrors.invalid("query", byTime ? "start" : "from_seq", "must be at most to_seq ("
          + Long.toUnsignedString(to) + ")", "value_error.from_after_to");
    }
    if (knownSize.isPresent() && Long.compareUnsigned(knownSize.getAsLong(), size) > 0) {
      throw HistoryErrors.notCovered("query", "known_size", "known_size "
          + Long.toUnsignedString(knownSize.getAsLong()), size);
    }
  }

  /** The consistency proof's start, when one was asked for and the sizes differ. */
  OptionalLong consistencyFrom() {
    return knownSize.isPresent() && knownSize.getAsLong() != checkpoint.size() ? knownSize : OptionalLong.empty();
  }
}
