package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.gateway.accounts.AccessKeyAuthenticator;
import io.auditlog.gateway.accounts.AccessKeys;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import io.auditlog.model.Topics;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
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

  private final AccessKeyAuthenticator authenticator;
  private final EventPublisher publisher;
  private final IdempotencyKeys idempotencyKeys;
  private final int batchLimit;
  private final EventValidator validator = new EventValidator();
  private final Stamping stamping;

  public IngestRoutes(AccessKeyAuthenticator authenticator, EventPublisher publisher, IdempotencyKeys idempotencyKeys,
      int batchLimit, Stamping stamping) {
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
          List<AuditEvent> events = parse(ctx);
          BatchStamp stamp = stamping.stamp(account.tenant(), events);
          Function<BatchStamp, Future<String>> publish = s -> publish(account.tenant(), events, s, key.isPresent());
          return key.isEmpty() ? publish.apply(stamp)
              : idempotencyKeys.once(account.tenant(), key.get(), AccessKeys.hash(body(ctx)), stamp, publish);
        })
        .onSuccess(answer -> ctx.response().setStatusCode(202).putHeader("Content-Type", Responses.JSON).end(answer))
        .onFailure(ctx::fail);
  }

  /** Publishes the events with their stamp; answers the 202 body as JSON text. */
  private Future<String> publish(String tenant, List<AuditEvent> events, BatchStamp stamp, boolean idempotent) {
    return publisher.publish(stamp.apply(tenant, events), idempotent).map(v -> stamp.answer());
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private List<AuditEvent> parse(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiException.of(415, "unsupported_media_type", "The body must be application/json.");
    }
    JsonNode body = Json.parseBody(body(ctx));
    if (body.isArray() && body.size() > batchLimit) {
      throw ApiException.of(413, "batch_too_large", "A request may carry at most " + batchLimit + " events.");
    }
    return validator.validate(body);
  }
}
