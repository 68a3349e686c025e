package io.auditlog.query.history;

import io.auditlog.query.TimeParser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an export covers: leaves [{@code from}, {@code to}) of the tree of a stored {@code checkpoint}, and the size a
 * client already holds, whose consistency with the checkpoint is to be proven, if asked for. Read from
 * {@code from_seq}/{@code to_seq} (default 0 and the checkpoint's size) or {@code start}/{@code stop} (each the size of
 * the newest checkpoint signed at or before it, or 0), never both; {@code size} (a stored checkpoint, default the
 * latest) and {@code known_size}. Like the {@code from} of a consistency proof, {@code known_size} is a size the
 * client pinned, which need not be stored; it may be above {@code size} (a pin that moved past an older export) up to
 * the latest checkpoint's size. An event in the range erased by a record at or beyond {@code size} makes the range
 * unexplainable there: 409, as for a range under a retention record the checkpoint does not hold.
 */
record ExportRange(long from, long to, CheckpointRows.Stored checkpoint, OptionalLong knownSize) {

  /** The sizes a consistency proof spans, {@code from} ≤ {@code to}. */
  record Span(long from, long to) {
  }

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
    return checkpoints.requested(tenant, "query", "size", size)
        .compose(checkpoint -> requireKnownSizeCovered(tenant, knownSize, checkpoint, checkpoints))
        .compose(checkpoint -> {
          Future<Long> from = start.map(t -> checkpoints.sizeAt(tenant, t))
              .orElseGet(() -> Future.succeededFuture(fromSeq.orElse(0)));
          Future<Long> to = stop.map(t -> checkpoints.sizeAt(tenant, t))
              .orElseGet(() -> Future.succeededFuture(toSeq.orElse(checkpoint.size())));
          return Future.all(from, to).compose(both -> {
            ExportRange range = new ExportRange(from.result(), to.result(), checkpoint, knownSize);
            range.check(byTime);
            Future<Boolean> erased = erasures.erasedFrom(tenant, range.from, range.to, checkpoint.size());
            // Points past a retention record the checkpoint does not hold may be gone (they are deleted once a later
            // checkpoint holds it) and could not be explained there.
            Future<Boolean> retained = checkpoints.latest(tenant).compose(latest -> latest.isEmpty()
                || range.from >= range.to ? Future.succeededFuture(false)
                : erasures.retentionBetween(tenant, range.from, checkpoint.size(), latest.get().size()));
            return Future.all(erased, retained).map(found -> {
              if (erased.result() || retained.result()) {
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
  }

  /** Passes the checkpoint on if {@code known_size} is at most the latest checkpoint's size; 422 otherwise. */
  private static Future<CheckpointRows.Stored> requireKnownSizeCovered(long tenant, OptionalLong knownSize,
      CheckpointRows.Stored checkpoint, CheckpointRows checkpoints) {
    if (knownSize.isEmpty() || Long.compareUnsigned(knownSize.getAsLong(), checkpoint.size()) <= 0) {
      return Future.succeededFuture(checkpoint);
    }
    return checkpoints.latest(tenant).map(latest -> {
      long latestSize = latest.orElseThrow(HistoryErrors::checkpointNotFound).size();
      if (Long.compareUnsigned(knownSize.getAsLong(), latestSize) > 0) {
        throw HistoryErrors.notCovered("query", "known_size", "known_size "
            + Long.toUnsignedString(knownSize.getAsLong()), latestSize);
      }
      return checkpoint;
    });
  }

  /**
   * What the header's consistency proof spans when one was asked for and the sizes differ: from {@code known_size} to
   * the checkpoint's size, or from the checkpoint's size to a larger {@code known_size}.
   */
  Optional<Span> consistency() {
    if (knownSize.isEmpty() || knownSize.getAsLong() == checkpoint.size()) {
      return Optional.empty();
    }
    long known = knownSize.getAsLong();
    long size = checkpoint.size();
    return Optional.of(Long.compareUnsigned(known, size) < 0 ? new Span(known, size) : new Span(size, known));
  }
}
