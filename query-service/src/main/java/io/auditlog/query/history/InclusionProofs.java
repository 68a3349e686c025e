package io.auditlog.query.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventStamper;
import io.auditlog.model.Json;
import io.auditlog.query.Filters;
import io.auditlog.store.read.ConsoleCommands;
import io.auditlog.store.read.LeafEvent;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The inclusion proof of an event or erasure record by its id. An event is looked for as {@code /api/events/get}
 * finds it (inside the caller's view) and its point gives its seq and salt; an erased event is found in the erased
 * index (redacted, with the proof of the record that erased it); an erasure record by its own id. Callers with a view
 * find only events in their view: erased events and erasure records (whose bodies are gone or name other events)
 * are unknown to them.
 *
 * <p>202 pending while no checkpoint covers the leaf yet (with the default size), or while the id is unknown and its
 * UUIDv7 time is under 60 seconds from now; 404 {@code event_not_found} for any other unknown id and for an event
 * stored outside the history.
 */
final class InclusionProofs {

  static final Duration PENDING_WINDOW = Duration.ofSeconds(60);

  /** The status and body of an answer. */
  record Answer(int status, ObjectNode body) {
  }

  /** Where an id's leaf is; {@code salt} and {@code record} as stored, {@code erased} only for a redacted event. */
  private record Located(LeafEntry.Kind kind, long seq, byte[] salt, String record, ErasureRows.Erased erased) {

    /** The last leaf the answer proves. */
    long lastSeq() {
      return erased == null ? seq : Math.max(seq, erased.erasureSeq());
    }
  }

  private final ConsoleCommands commands;
  private final CheckpointRows checkpoints;
  private final TileRows tiles;
  private final TreeTiles tree;
  private final ErasureRows erasures;

  InclusionProofs(ConsoleCommands commands, CheckpointRows checkpoints, TileRows tiles, ErasureRows erasures) {
    this.commands = commands;
    this.checkpoints = checkpoints;
    this.tiles = tiles;
    this.tree = new TreeTiles(tiles);
    this.erasures = erasures;
  }

  Future<Answer> answer(long tenant, InternalTokens.Identity caller, UUID id, OptionalLong size, Instant now) {
    Future<Optional<CheckpointRows.Stored>> checkpoint = size.isPresent()
        ? checkpoints.requested(tenant, "query", "size", size).map(Optional::of) : checkpoints.latest(tenant);
    return checkpoint.compose(chosen -> locate(tenant, caller, id, now).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(unknown(id, now));
      }
      Located leaf = found.get();
      if (chosen.isPresent() && leaf.lastSeq() < chosen.get().size()) {
        return prove(tenant, id, leaf, chosen.get());
      }
      if (size.isPresent()) {
        throw HistoryErrors.notCovered("query", "size", "seq " + Long.toUnsignedString(leaf.lastSeq()),
            size.getAsLong());
      }
      return Future.succeededFuture(pending(id, leaf.seq()));
    }));
  }

  private Future<Optional<Located>> locate(long tenant, InternalTokens.Identity caller, UUID id, Instant now) {
    return commands.withLeaf(caller.tenant(), id.toString(), Filters.view(caller.view()), now).compose(point -> {
      if (point.isPresent()) {
        LeafEvent event = point.get();
        if (event.leaf() == null) {
          throw HistoryErrors.eventNotFound();
        }
        return Future.succeededFuture(Optional.of(new Located(LeafEntry.Kind.EVENT, event.leaf().seq(),
            Base64.getDecoder().decode(event.leaf().salt()), null, null)));
      }
      if (caller.view().isPresent()) {
        return Future.succeededFuture(Optional.empty());
      }
      return erasures.erased(tenant, id).compose(erased -> erased.isPresent()
          ? Future.succeededFuture(Optional.of(new Located(LeafEntry.Kind.EVENT, erased.get().seq(), null, null,
              erased.get())))
          : erasures.recordById(tenant, id).map(record -> record.map(r ->
              new Located(LeafEntry.Kind.ERASURE, r.seq(), r.salt(), r.record(), null))));
    });
  }

  private Future<Answer> prove(long tenant, UUID id, Located leaf, CheckpointRows.Stored checkpoint) {
    long size = checkpoint.size();
    Future<byte[]> entry = tiles.entry(tenant, leaf.seq()).map(found -> found.orElseThrow(() ->
        new IllegalStateException("leaf " + leaf.seq() + " of tenant " + tenant + " has no stored entry")));
    Future<Optional<ErasureRows.Stored>> record = leaf.erased() == null ? Future.succeededFuture(Optional.empty())
        : erasures.recordsAt(tenant, List.of(leaf.erased().erasureSeq())).map(found -> Optional.of(found.stream()
            .findFirst().orElseThrow(() -> new IllegalStateException("erasure record " + leaf.erased().erasureSeq()
                + " of tenant " + tenant + " is not stored"))));
    Future<List<List<byte[]>>> proofs = tree.compute(tenant, subtrees -> {
      List<List<byte[]>> list = new ArrayList<>();
      list.add(Proofs.inclusion(leaf.seq(), size, subtrees));
      if (leaf.erased() != null) {
        list.add(Proofs.inclusion(leaf.erased().erasureSeq(), size, subtrees));
      }
      return list;
    });
    return Future.all(entry, record, proofs).map(all -> {
      LeafEntry parsed = LeafEntry.parse(entry.result());
      if (!parsed.id().equals(id) || parsed.kind() != leaf.kind()) {
        throw new IllegalStateException("leaf " + leaf.seq() + " of tenant " + tenant + " is not " + id);
      }
      ObjectNode body = Json.MAPPER.createObjectNode()
          .put("id", id.toString())
          .put("kind", leaf.kind() == LeafEntry.Kind.EVENT ? "event" : "erasure")
          .put("status", leaf.erased() == null ? "present" : "redacted")
          .put("seq", leaf.seq())
          .put("entry", HistoryJson.base64(entry.result()))
          .put("leaf_hash", HistoryJson.base64(parsed.leafHash()))
          .put("tree_size", size);
      body.set("hashes", HistoryJson.hashes(proofs.result().get(0)));
      body.put("checkpoint", checkpoint.note());
      if (leaf.salt() != null) {
        body.put("salt", HistoryJson.base64(leaf.salt()));
      }
      if (leaf.record() != null) {
        body.set("record", HistoryJson.record(leaf.record()));
      }
      record.result().ifPresent(erasure -> {
        ObjectNode proof = body.putObject("erasure")
            .put("seq", erasure.seq())
            .put("salt", HistoryJson.base64(erasure.salt()));
        proof.set("record", HistoryJson.record(erasure.record()));
        proof.set("hashes", HistoryJson.hashes(proofs.result().get(1)));
      });
      return new Answer(200, body);
    });
  }

  /** 202 while the id is young enough to be on its way (its UUIDv7 time within a minute of now), else 404. */
  private static Answer unknown(UUID id, Instant now) {
    long millis = EventStamper.epochMillisOf(id.toString());
    if (millis < 0 || Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(PENDING_WINDOW) >= 0) {
      throw HistoryErrors.eventNotFound();
    }
    return pending(id, null);
  }

  private static Answer pending(UUID id, Long seq) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("id", id.toString()).put("status", "pending");
    if (seq == null) {
      body.putNull("seq");
    } else {
      body.put("seq", seq);
    }
    return new Answer(202, body.put("retry_after", 1));
  }
}
