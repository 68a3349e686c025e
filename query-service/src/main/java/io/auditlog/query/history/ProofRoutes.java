package io.auditlog.query.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.query.GatewayIdentity;
import io.auditlog.query.TimeParser;
import io.auditlog.verify.Proofs;
import io.auditlog.web.Responses;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code …/proof/inclusion?id=&size=} ({@link InclusionProofs}) and {@code …/proof/consistency?from=&to=}: the
 * proof that the tree of the stored checkpoint {@code to} (default the latest) extends the tree of size
 * {@code from} (any size up to {@code to}; empty for 0 and for {@code to}), with that checkpoint's note.
 */
final class ProofRoutes {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final InclusionProofs inclusion;
  private final CheckpointRows checkpoints;
  private final TreeTiles tree;
  private final TimeParser time;

  ProofRoutes(InclusionProofs inclusion, CheckpointRows checkpoints, TreeTiles tree, TimeParser time) {
    this.inclusion = inclusion;
    this.checkpoints = checkpoints;
    this.tree = tree;
    this.time = time;
  }

  void inclusion(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    UUID id = id(query.get("id"));
    OptionalLong size = UnsignedParams.optional(query, "size");
    inclusion.answer(TenantHistory.tenant(ctx), GatewayIdentity.of(ctx), id, size, time.now())
        .compose(answer -> {
          if (answer.status() == 202) {
            ctx.response().putHeader("Retry-After", "1");
          }
          return Responses.json(ctx, answer.status(), answer.body());
        })
        .onFailure(ctx::fail);
  }

  void consistency(RoutingContext ctx) {
    long tenant = TenantHistory.tenant(ctx);
    MultiMap query = ctx.queryParams();
    long from = UnsignedParams.required(query, "from");
    OptionalLong to = UnsignedParams.optional(query, "to");
    if (to.isPresent() && Long.compareUnsigned(from, to.getAsLong()) > 0) {
      throw fromAfterTo(to.getAsLong());
    }
    checkpoints.requested(tenant, "query", "to", to)
        .compose(checkpoint -> {
          if (Long.compareUnsigned(from, checkpoint.size()) > 0) {
            throw fromAfterTo(checkpoint.size());
          }
          return tree.compute(tenant, subtrees -> Proofs.consistency(from, checkpoint.size(), subtrees))
              .map(hashes -> {
                ObjectNode body = Json.MAPPER.createObjectNode().put("from", from).put("to", checkpoint.size());
                body.set("hashes", HistoryJson.hashes(hashes));
                return body.put("checkpoint", checkpoint.note());
              });
        })
        .compose(body -> Responses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private static RuntimeException fromAfterTo(long to) {
    return HistoryErrors.invalid("query", "from", "must be at most to (" + Long.toUnsignedString(to) + ")",
        "value_error.from_after_to");
  }

  private static UUID id(String text) {
    if (text == null) {
      throw HistoryErrors.missing("query", "id");
    }
    if (!UUID_TEXT.matcher(text).matches()) {
      throw HistoryErrors.invalid("query", "id", "must be a UUID", "value_error.uuid");
    }
    return UUID.fromString(text);
  }
}
