package io.auditlog.gateway.queries;

import io.auditlog.gateway.accounts.Account;
import io.auditlog.gateway.accounts.BearerAuth;
import io.auditlog.model.ApiException;
import io.auditlog.web.InternalTokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;

/**
 * Forwards authenticated read requests to the query-service with an internal token naming the caller's tenant and
 * view, and relays the answer (status, content type, {@code Link}, body) unchanged.
 */
public final class QueryProxy {

  private static final long TIMEOUT_MILLIS = 30_000;

  private final WebClient client;
  private final String queryServiceUrl;
  private final InternalTokens internalTokens;
  private final BearerAuth bearer;

  public QueryProxy(WebClient client, String queryServiceUrl, InternalTokens internalTokens, BearerAuth bearer) {
    this.client = client;
    this.queryServiceUrl = queryServiceUrl;
    this.internalTokens = internalTokens;
    this.bearer = bearer;
  }

  public void mount(Router router) {
    router.get("/audit/log").handler(bearer).handler(this::forward);
    router.get("/audit/log/:event_id").handler(bearer).handler(this::forward);
    router.get("/audit/metrics").handler(bearer).handler(this::forward);
    router.get("/audit/metrics/:metric").handler(bearer).handler(this::forward);
    router.get("/audit/metrics/:field/count").handler(bearer).handler(this::forward);
  }

  private void forward(RoutingContext ctx) {
    Account account = BearerAuth.account(ctx);
    String token = internalTokens.issue(InternalTokens.Identity.reader(account.tenant(), account.view()));
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.GET, queryServiceUrl + ctx.request().uri())
        .timeout(TIMEOUT_MILLIS)
        .putHeader(InternalTokens.HEADER, "Bearer " + token)
        .putHeader("X-Request-Id", ctx.response().headers().get("X-Request-Id"));
    request.send()
        .onSuccess(answer -> {
          var response = ctx.response().setStatusCode(answer.statusCode());
          copy(answer.getHeader("Content-Type"), "Content-Type", ctx);
          copy(answer.getHeader("Link"), "Link", ctx);
          response.end(answer.bodyAsBuffer() == null ? Buffer.buffer() : answer.bodyAsBuffer());
        })
        .onFailure(e -> ctx.fail(ApiException.unavailable("query_service_unavailable",
            "The query service is unavailable; retry later.", 5)));
  }

  private static void copy(String value, String header, RoutingContext ctx) {
    if (value != null) {
      ctx.response().putHeader(header, value);
    }
  }
}
