package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.gateway.accounts.AccessKeyAuthenticator;
import io.auditlog.gateway.accounts.AccessKeys;
import io.auditlog.gateway.limits.BodyBudget;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import io.auditlog.model.Topics;
import io.auditlog.store.read.TenantWorkers;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /audit/log}: authenticate the access key, check the body, stamp the events and answer 202 once Kafka
 * has acknowledged all of them. With an {@code Idempotency-Key}, a retry publishes the stamp of the first attempt.
 */
public final class IngestRoutes {

  /** The largest body read on the event loop: some 150 events of 430 bytes, the benchmark's. */
  public static final int PARSED_ON_LOOP_BYTES = 64 * 1024;
  /**
   * The most structural characters ({@code { [ , :}; a document has at most three tokens for each) of a body read on
   * the event loop: some 30 events of the benchmark's. A body of many small values (64 KiB of {@code {},} is 44,000
   * tokens and a tree of 2 MiB) costs the loop milliseconds, where one of long strings of the same size costs
   * microseconds; such bodies go to the threads for large bodies, in turns between tenants.
   */
  public static final int PARSED_ON_LOOP_TOKENS = 2_048;

  private final AccessKeyAuthenticator authenticator;
  private final EventPublisher publisher;
  private final IdempotencyKeys idempotencyKeys;
  private final int batchLimit;
  private final EventValidator validator = new EventValidator();
  private final Stamping stamping;
  private final TenantWorkers largeBodies;
  private final BodyBudget budget;

  /**
   * {@code largeBodies}: the threads that read bodies too large for an event loop ({@code LargeBodyThreads});
   * {@code budget}: the bodies' budget, which also counts their trees.
   */
  public IngestRoutes(TenantWorkers largeBodies, BodyBudget budget, AccessKeyAuthenticator authenticator,
      EventPublisher publisher, IdempotencyKeys idempotencyKeys, int batchLimit, Stamping stamping) {
    this.largeBodies = largeBodies;
    this.budget = budget;
    this.stamping = stamping;
    this.authenticator = authenticator;
    this.publisher = publisher;
    this.idempotencyKeys = idempotencyKeys;
    this.batchLimit = batchLimit;
  }

  public void mount(Router router) {
    router.post("/audit/log").handler(this::ingest);
  }

  private void ingest(RoutingContext ctx) {
    authenticator.authenticate(ctx.request().getHeader(Topics.API_KEY_HEADER))
        .compose(account -> {
          Optional<String> key = IdempotencyKeys.parse(ctx.request().getHeader(IdempotencyKeys.HEADER));
          return parsed(ctx, account.tenant(), key.isPresent()).compose(body -> {
            if (!budget.takeMore(ctx, body.heldBytes())) {
              return Future.failedFuture(BodyBudget.FULL);
            }
            BatchStamp stamp = stamping.stamp(account.tenant(), body.events());
            Function<BatchStamp, Future<String>> publish = s -> publish(account.tenant(), body.events(), s,
                key.isPresent());
            return key.isEmpty() ? publish.apply(stamp)
                : idempotencyKeys.once(account.tenant(), key.get(), body.hash(), stamp, publish);
          });
        })
        .onSuccess(answer -> ctx.response().setStatusCode(202).putHeader("Content-Type", Responses.JSON).end(answer))
        .onFailure(ctx::fail);
  }

  /** Publishes the events with their stamp; answers the 202 body as JSON text. */
  private Future<String> publish(String tenant, List<AuditEvent> events, BatchStamp stamp, boolean idempotent) {
    return publisher.publish(stamp.apply(tenant, events), idempotent).map(v -> stamp.answer());
  }

  /**
   * A body's events, the hash of its bytes when an idempotency key needs it, and about what it holds beyond its bytes
   * until Kafka has its events: its tree ({@link Json#treeBytes}) and the records made of it, counted in the body
   * budget meanwhile. Counting the bytes alone, bodies of long strings held three times what was counted.
   */
  private record Body(List<AuditEvent> events, String hash, long heldBytes) {
  }

  /**
   * The body's events, read on the event loop when the body is small and has few tokens, and on the threads for large
   * bodies otherwise: a megabyte takes ten milliseconds or more, 64 KiB of empty objects several, and many of those
   * at once (each refused at the end for its count, or not) held every other request on its loop for seconds.
   */
  private Future<Body> parsed(RoutingContext ctx, String tenant, boolean hashed) {
    Buffer body = ctx.body().buffer();
    if (body == null || readOnLoop(body)) {
      return Future.succeededFuture(parse(ctx, hashed));
    }
    return largeBodies.execute(tenant, () -> parse(ctx, hashed));
  }

  /**
   * True for a body of at most {@link #PARSED_ON_LOOP_BYTES} with at most {@link #PARSED_ON_LOOP_TOKENS} of
   * {@code { [ , :}, in strings or not (a document has at most three tokens for each of these, and one more).
   */
  static boolean readOnLoop(Buffer body) {
    return body.length() <= PARSED_ON_LOOP_BYTES
        && Json.structural(body.getBytes(), PARSED_ON_LOOP_TOKENS) <= PARSED_ON_LOOP_TOKENS;
  }

  /** Reads the body from the context once: a connection that closes before its answer takes it away (BodyBudget). */
  private Body parse(RoutingContext ctx, boolean hashed) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiException.of(415, "unsupported_media_type", "The body must be application/json.");
    }
    Buffer held = ctx.body().buffer();
    if (held == null && ctx.response().closed()) {
      throw BodyBudget.CONNECTION_CLOSED;
    }
    byte[] bytes = held == null ? new byte[0] : held.getBytes();
    JsonNode body = Json.parseBody(bytes, batchLimit,
        () -> ApiException.of(413, "batch_too_large", "A request may carry at most " + batchLimit + " events."));
    return new Body(validator.validate(body), hashed ? AccessKeys.hash(bytes) : null,
        Json.treeBytes(bytes) + bytes.length);
  }
}
