package io.auditlog.query.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.verify.VerifierKey;
import io.auditlog.web.Responses;
import io.vertx.ext.web.RoutingContext;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code …/checkpoint} (the latest signed note, never cached), {@code …/checkpoints/{size}} (a stored note,
 * immutable) and {@code …/keys} (the tree's origin and every signing key as a vkey with its validity).
 */
final class CheckpointRoutes {

  static final String NOTE = "text/plain; charset=utf-8";

  private final CheckpointRows checkpoints;
  private final KeyRows keys;

  CheckpointRoutes(CheckpointRows checkpoints, KeyRows keys) {
    this.checkpoints = checkpoints;
    this.keys = keys;
  }

  void latest(RoutingContext ctx) {
    checkpoints.latest(TenantHistory.tenant(ctx))
        .map(found -> found.orElseThrow(HistoryErrors::noCheckpointYet))
        .onSuccess(checkpoint -> Caching.fresh(ctx.response()).putHeader("Content-Type", NOTE)
            .end(checkpoint.note()))
        .onFailure(ctx::fail);
  }

  void stored(RoutingContext ctx) {
    long size = UnsignedParams.parse("path", "size", ctx.pathParam("size"));
    checkpoints.requested(TenantHistory.tenant(ctx), "path", "size", OptionalLong.of(size))
        .onSuccess(checkpoint -> Caching.immutable(ctx.response()).putHeader("Content-Type", NOTE)
            .end(checkpoint.note()))
        .onFailure(ctx::fail);
  }

  void keys(RoutingContext ctx) {
    checkpoints.origin(TenantHistory.tenant(ctx))
        .map(found -> found.orElseThrow(HistoryErrors::noCheckpointYet))
        .compose(origin -> keys.signingKeys().map(stored -> body(origin, stored)))
        .compose(body -> {
          Caching.fresh(ctx.response());
          return Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  private static ObjectNode body(String origin, List<KeyRows.Stored> stored) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("origin", origin);
    ArrayNode list = body.putArray("keys");
    for (KeyRows.Stored key : stored) {
      VerifierKey verifier = VerifierKey.of(origin, key.publicKey());
      ObjectNode item = list.addObject()
          .put("vkey", verifier.vkey())
          .put("key_id", verifier.keyId())
          .put("algorithm", "ed25519")
          .put("valid_from", DateTimeFormatter.ISO_INSTANT.format(key.validFrom()));
      if (key.validUntil() == null) {
        item.putNull("valid_until");
      } else {
        item.put("valid_until", DateTimeFormatter.ISO_INSTANT.format(key.validUntil()));
      }
    }
    return body;
  }
}
