package io.auditlog.gateway.limits;

import io.auditlog.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The body handler of the gateway's routes: reads the body of the methods that carry one against the
 * {@link BodyBudget}, up to the body limit (413) and within the body timeout (408), then hands it on as Vert.x's body
 * handler would (the context's body; a form's fields among the request's parameters). Vert.x's own handler buffers a
 * body with no bound but its length, whatever the gateway holds already. A GET or OPTIONS is passed on unread (with a
 * multipart body it would otherwise fail in a body handler, 500, before any route is chosen).
 */
public final class BudgetedBodies implements Handler<RoutingContext> {

  private static final Set<HttpMethod> WITH_BODIES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final ApiException TOO_LARGE = ApiException.of(413, "payload_too_large",
      "The request body is too large.");

  private final BodyBudget budget;
  private final long limit;
  private final Duration timeout;

  public BudgetedBodies(BodyBudget budget, long limit, Duration timeout) {
    this.budget = budget;
    this.limit = limit;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RoutingContextInternal context = (RoutingContextInternal) ctx;
    HttpServerRequest request = ctx.request();
    if (!WITH_BODIES.contains(request.method()) || context.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
      ctx.next();
      return;
    }
    context.visitHandler(RoutingContextInternal.BODY_HANDLER);
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    boolean form = lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data");
    if (form) {
      request.setExpectMultipart(true);
    }
    budget.read(ctx, limit, TOO_LARGE, timeout).onSuccess(body -> {
      context.setBody(body);
      if (form) {
        request.params().addAll(request.formAttributes());
      }
      ctx.next();
    }).onFailure(ctx::fail);
  }
}
