package io.auditlog.query.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.store.read.HistoryPoints;
import io.auditlog.store.read.LeafEvent;
import io.auditlog.store.read.ReadBudget;
import io.auditlog.verify.CompactRange;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Writes an export (§6 of the history's contract): the header with the compact ranges left and right of the range
 * (and a consistency proof if asked for), one line per seq, the proofs of the erasure records beyond the range that
 * explain its redacted lines, and the end. The leaves are read {@value #CHUNK} at a time (their entries, the erasure
 * records and erased ids among them, then the events' points between the earliest and latest of their times), and
 * each chunk is written before the next is read, so a slow client slows the reading rather than filling memory.
 *
 * <p>A leaf is an {@code event} line when its point is stored with its seq and id, an {@code erasure} line for an
 * erasure record, and a {@code redacted} line (its entry only) for an erased event or a point that is gone. An event
 * stamped before the tree's retention cutoff is explained by its last retention record, proven with the others when
 * it lies beyond the range.
 */
final class HistoryExport {

  /** Leaves per chunk: a divisor of the bundle width, so that a chunk lies in one bundle. */
  static final int CHUNK = 64;

  private final CheckpointRows checkpoints;
  private final TileRows tiles;
  private final TreeTiles tree;
  private final ErasureRows erasures;
  private final HistoryPoints points;

  HistoryExport(CheckpointRows checkpoints, TileRows tiles, ErasureRows erasures, HistoryPoints points) {
    this.checkpoints = checkpoints;
    this.tiles = tiles;
    this.tree = new TreeTiles(tiles);
    this.erasures = erasures;
    this.points = points;
  }

  /** One export's state: where it is, and the erasure records beyond it that its redacted lines need. */
  private final class Run {
    private final long tenant;
    private final String tenantId;
    private final ExportRange range;
    private final EncodedBody body;
    private final SortedSet<Long> explaining = new TreeSet<>();
    private List<String> measurements;
    private Optional<ErasureRows.Retention> retention;

    Run(long tenant, ExportRange range, EncodedBody body) {
      this.tenant = tenant;
      this.tenantId = Long.toString(tenant);
      this.range = range;
      this.body = body;
    }

    Future<Void> write() {
      // The categories are read before the header, so that a failure to list them is an error answer, not a cut one.
      return points.measurements(tenantId)
          .compose(names -> {
            measurements = names;
            return header();
          })
          .compose(v -> erasures.retentionBelow(tenant, range.checkpoint().size()))
          .compose(last -> {
            retention = last;
            return chunksFrom(range.from());
          })
          .compose(v -> erasureProofs())
          .compose(proofs -> body.end(ExportLines.text(List.of(ExportLines.end(range.to() - range.from())))));
    }

    private Future<Void> header() {
      long size = range.checkpoint().size();
      Future<String> origin = checkpoints.origin(tenant).map(found -> found.orElseThrow(() ->
          new IllegalStateException("tenant " + tenant + " has checkpoints and no tree")));
      Future<List<List<byte[]>>> frame = tree.compute(tenant, subtrees -> List.of(
          CompactRange.of(0, range.from(), subtrees),
          CompactRange.of(range.to(), size, subtrees),
          range.consistency().map(span -> Proofs.consistency(span.from(), span.to(), subtrees)).orElse(List.of())));
      return Future.all(origin, frame).compose(both -> body.write(ExportLines.text(List.of(ExportLines.header(
          origin.result(), range, frame.result().get(0), frame.result().get(1), frame.result().get(2))))));
    }

    private Future<Void> chunksFrom(long from) {
      if (from >= range.to()) {
        return Future.succeededFuture();
      }
      long to = Math.min(range.to(), (from / CHUNK + 1) * CHUNK);
      return written(from, to).compose(v -> chunksFrom(to));
    }

    /**
     * Writes the lines of [from, to). Events near their size limits make a chunk's points more than one InfluxDB answer
     * may hold ({@code query_too_large}): such a chunk is read in halves, down to one event, which always fits.
     */
    private Future<Void> written(long from, long to) {
      return chunk(from, to).map(Optional::of)
          .recover(e -> to - from > 1 && ReadBudget.isAnswerTooLarge(e) ? Future.succeededFuture(Optional.empty())
              : Future.failedFuture(e))
          .compose(lines -> {
            if (lines.isPresent()) {
              return body.write(lines.get());
            }
            long middle = from + (to - from) / 2;
            return written(from, middle).compose(v -> written(middle, to));
          });
    }

    private Future<byte[]> chunk(long from, long to) {
      Future<byte[]> bundle = tiles.bundle(tenant, from >>> 8).map(found -> found.filter(bytes ->
              bytes.length >= (int) ((to - 1) & 0xff) * LeafEntry.SIZE + LeafEntry.SIZE)
          .orElseThrow(() -> new IllegalStateException("tenant " + tenant + " lacks the entries of " + from)));
      Future<List<ErasureRows.Stored>> records = erasures.recordsIn(tenant, from, to);
      Future<List<ErasureRows.Erased>> erased = erasures.erasedIn(tenant, from, to);
      return Future.all(bundle, records, erased).compose(all -> {
        Map<Long, ErasureRows.Stored> recordsBySeq = new HashMap<>();
        records.result().forEach(record -> recordsBySeq.put(record.seq(), record));
        // Only what a record the checkpoint holds erased is redacted here; a later erasure cannot be explained.
        Map<Long, ErasureRows.Erased> erasedBySeq = new HashMap<>();
        erased.result().stream().filter(e -> Long.compareUnsigned(e.erasureSeq(), range.checkpoint().size()) < 0)
            .forEach(e -> erasedBySeq.put(e.seq(), e));
        List<LeafEntry> entries = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
          int offset = (int) (seq & 0xff) * LeafEntry.SIZE;
          entries.add(LeafEntry.parse(Arrays.copyOfRange(bundle.result(), offset, offset + LeafEntry.SIZE)));
        }
        return stored(from, to, entries, erasedBySeq).compose(found -> unexplainedSinceCheckpoint(from, to, entries,
            erasedBySeq, found).map(v -> lines(from, entries, recordsBySeq, erasedBySeq, found)));
      });
    }

    /**
     * Fails when an event of the chunk is gone because it was erased after the export's checkpoint (a delete or a
     * retention run that finished while the export was being read): its line could not be explained at that size, and
     * a verifier would report it MISSING. The records are read after the points, so a deletion that removed a point
     * before it was read is seen here. A point gone without any record stays a redacted line: that is MISSING.
     */
    private Future<Void> unexplainedSinceCheckpoint(long from, long to, List<LeafEntry> entries,
        Map<Long, ErasureRows.Erased> erased, Map<Long, LeafEvent> stored) {
      List<Long> gone = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        long seq = from + i;
        LeafEntry entry = entries.get(i);
        boolean retained = retention.isPresent() && entry.timestampNanos() < retention.get().beforeNanos();
        if (entry.kind() == LeafEntry.Kind.EVENT && !stored.containsKey(seq) && !erased.containsKey(seq)
            && !retained) {
          gone.add(seq);
        }
      }
      if (gone.isEmpty()) {
        return Future.succeededFuture();
      }
      return Future.all(erasures.erasedIn(tenant, from, to), erasures.cutoff(tenant)).compose(both -> {
        List<ErasureRows.Erased> since = both.resultAt(0);
        long cutoff = both.<Long>resultAt(1);
        boolean erasedSince = since.stream().anyMatch(e -> gone.contains(e.seq()))
            || gone.stream().anyMatch(seq -> entries.get((int) (seq - from)).timestampNanos() < cutoff);
        return erasedSince ? Future.failedFuture(HistoryErrors.erasedAfterCheckpoint()) : Future.succeededFuture();
      });
    }

    /** The points of the chunk's unerased events, by seq. */
    private Future<Map<Long, LeafEvent>> stored(long from, long to, List<LeafEntry> entries,
        Map<Long, ErasureRows.Erased> erased) {
      long earliest = Long.MAX_VALUE;
      long latest = Long.MIN_VALUE;
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i).kind() == LeafEntry.Kind.EVENT && !erased.containsKey(from + i)) {
          earliest = Math.min(earliest, entries.get(i).timestampNanos());
          latest = Math.max(latest, entries.get(i).timestampNanos());
        }
      }
      if (earliest > latest) {
        return Future.succeededFuture(Map.of());
      }
      return points.inRange(tenantId, measurements, from, to, earliest, latest).map(found -> {
        Map<Long, LeafEvent> bySeq = new HashMap<>();
        for (LeafEvent point : found) {
          if (point.leaf() == null) {
            continue;
          }
          long seq = point.leaf().seq();
          if (point.id().equals(entries.get((int) (seq - from)).id().toString())) {
            bySeq.put(seq, point);
          }
        }
        return bySeq;
      });
    }

    private byte[] lines(long from, List<LeafEntry> entries, Map<Long, ErasureRows.Stored> records,
        Map<Long, ErasureRows.Erased> erased, Map<Long, LeafEvent> stored) {
      List<ObjectNode> lines = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        long seq = from + i;
        LeafEntry entry = entries.get(i);
        LeafEvent point = stored.get(seq);
        ErasureRows.Stored record = records.get(seq);
        if (entry.kind() == LeafEntry.Kind.ERASURE && record != null) {
          lines.add(ExportLines.erasure(record));
        } else if (entry.kind() == LeafEntry.Kind.EVENT && point != null) {
          lines.add(ExportLines.event(seq, point.leaf().salt(), point.event()));
        } else {
          lines.add(ExportLines.redacted(seq, entry.bytes()));
          ErasureRows.Erased by = erased.get(seq);
          if (by != null && by.erasureSeq() >= range.to()) {
            explaining.add(by.erasureSeq());
          } else if (by == null && retention.isPresent() && entry.timestampNanos() < retention.get().beforeNanos()
              && retention.get().seq() >= range.to()) {
            explaining.add(retention.get().seq());
          }
        }
      }
      return ExportLines.text(lines);
    }

    /** The erasure records at or beyond {@code to_seq} that explain redacted lines, each proven at the tree size. */
    private Future<Void> erasureProofs() {
      if (explaining.isEmpty()) {
        return Future.succeededFuture();
      }
      long size = range.checkpoint().size();
      Future<List<ErasureRows.Stored>> records = erasures.recordsAt(tenant, explaining);
      Future<List<List<byte[]>>> proofs = tree.compute(tenant, subtrees ->
          explaining.stream().map(seq -> Proofs.inclusion(seq, size, subtrees)).toList());
      return Future.all(records, proofs).compose(both -> {
        if (records.result().size() != explaining.size()) {
          throw new IllegalStateException("tenant " + tenant + " lacks erasure records among " + explaining);
        }
        List<ObjectNode> lines = new ArrayList<>();
        for (int i = 0; i < records.result().size(); i++) {
          lines.add(ExportLines.erasureProof(records.result().get(i), proofs.result().get(i)));
        }
        return body.write(ExportLines.text(lines));
      });
    }
  }

  /** Writes the export of {@code range} to {@code body} and ends it. */
  Future<Void> write(long tenant, ExportRange range, EncodedBody body) {
    return new Run(tenant, range, body).write();
  }
}
