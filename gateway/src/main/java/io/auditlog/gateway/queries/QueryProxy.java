package io.auditlog.gateway.queries;

import io.auditlog.gateway.accounts.Account;
import io.auditlog.gateway.accounts.ApiTokens;
import io.auditlog.gateway.accounts.BearerAuth;
import io.auditlog.gateway.accounts.ConsoleAuth;
import io.auditlog.model.ApiException;
import io.auditlog.store.read.TenantTurns;
import io.auditlog.web.FormContent;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Forwards authenticated requests for events — the {@code /audit} queries, the AuditConsole commands and the
 * verifiable history under {@code /audit/{tenant}} — to the query-service with an internal token naming the caller's
 * tenant, view and right to delete (and the caller's {@code Accept-Encoding}), and relays the answer (status, content
 * type and encoding, caching, {@code Retry-After}, {@code Link}, {@code Content-Disposition}, body) unchanged. The
 * body is piped as it arrives, never gathered, so a long listing or export costs the gateway no more memory than a
 * short one. Listings and exports, which hold their connection for as long as their reader takes, go over a pool of
 * connections of their own: readers who stop reading can hold all of it, but never delay any other request. Each
 * pool's connections are handed out by tenant ({@link TenantTurns#shared}): one tenant holds at most a quarter, and a
 * free connection goes to the waiting tenant that holds the fewest, so one tenant's many slow requests queue behind
 * each other, not in front of another tenant's. A caller who goes away gives its turn back: a request still waiting
 * is never sent, and one sent is reset, so the query-service stops answering it.
 */
public final class QueryProxy {

  private static final long QUERY_TIMEOUT_MILLIS = 30_000;
  /** A command may walk a tenant's whole history (count by a field, delete everything that matches). */
  private static final long COMMAND_TIMEOUT_MILLIS = 600_000;
  /** The answer's headers that reach the caller; the body is relayed as it is, compressed or not. */
  private static final List<String> RELAYED_HEADERS = List.of("Content-Type", "Content-Encoding", "Vary",
      "Cache-Control", "Retry-After", "Link", "Content-Disposition");

  private final Upstream answers;
  private final Upstream streams;
  private final String queryServiceUrl;
  private final InternalTokens internalTokens;
  private final BearerAuth bearer;

  private final ConsoleAuth console;

  /**
   * The verifiable history's paths as {@code /openapi.json} writes them. {@code {tenant}} is {@code [1-9][0-9]*}, so
   * {@code /audit/log} and {@code /audit/metrics} are never among them; {@code {N}} is a tile index of one or more
   * path segments (C2SP tlog-tiles: {@code x001/x234/067}, optionally followed by {@code .p/{W}}).
   */
  public static final List<String> HISTORY_PATHS = List.of(
      "/audit/{tenant}/checkpoint",
      "/audit/{tenant}/checkpoints/{size}",
      "/audit/{tenant}/keys",
      "/audit/{tenant}/proof/inclusion",
      "/audit/{tenant}/proof/consistency",
      "/audit/{tenant}/tile/entries/{N}",
      "/audit/{tenant}/tile/{L}/{N}",
      "/audit/{tenant}/export");

  /** A pool of connections to the query-service, and its turns by tenant. */
  public record Upstream(HttpClient client, TenantTurns turns) {

    /** {@code connections} to the query-service over {@code vertx}, a quarter of them at most for one tenant. */
    public static Upstream of(Vertx vertx, int connections) {
      return new Upstream(vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(connections)),
          TenantTurns.shared(connections));
    }
  }

  /** Requests over {@code answers}, listings and exports over {@code streams}. */
  public QueryProxy(Upstream answers, Upstream streams, String queryServiceUrl, InternalTokens internalTokens,
      BearerAuth bearer, ConsoleAuth console) {
    this.answers = answers;
    this.streams = streams;
    this.queryServiceUrl = queryServiceUrl;
    this.internalTokens = internalTokens;
    this.bearer = bearer;
    this.console = console;
  }

  public void mount(Router router) {
    router.get("/audit/log").handler(bearer).handler(this::forward);
    router.get("/audit/log/:event_id").handler(bearer).handler(this::forward);
    router.get("/audit/metrics").handler(bearer).handler(this::forward);
    router.get("/audit/metrics/:metric").handler(bearer).handler(this::forward);
    router.get("/audit/metrics/:field/count").handler(bearer).handler(this::forward);
    router.get("/api/events/count").handler(console).handler(ctx -> forwardCommand(ctx, answers));
    router.get("/api/events/list").handler(console).handler(ctx -> forwardCommand(ctx, streams));
    router.get("/api/events/get").handler(console).handler(ctx -> forwardCommand(ctx, answers));
    router.get("/api/events/export").handler(console).handler(ctx -> forwardCommand(ctx, streams));
    router.route("/api/events/delete").method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.DELETE)
        .handler(console).handler(FormContent.REQUIRED).handler(ctx -> forwardCommand(ctx, answers));
    // Authenticated as the AuditConsole reads are; each route is named by its path in /openapi.json.
    for (String path : HISTORY_PATHS) {
      Upstream upstream = path.endsWith("/export") ? streams : answers;
      router.getWithRegex(regex(path)).setName(path).handler(console).handler(ctx -> forwardCommand(ctx, upstream));
    }
  }

  /** A history path's pattern: the tenant's digits, a tile index's segments, any other parameter's one segment. */
  static String regex(String path) {
    return path.replace("{tenant}", "[1-9][0-9]*").replace("{N}", ".+").replaceAll("\\{[A-Za-z]+}", "[^/]+");
  }

  /** Forwards the origin form (path and query as received): a request in absolute form names this server too. */
  private void forward(RoutingContext ctx) {
    Account account = BearerAuth.account(ctx);
    String query = ctx.request().query();
    relay(ctx, answers, account.tenant(), HttpMethod.GET, ctx.request().path() + (query == null ? "" : "?" + query),
        InternalTokens.Identity.reader(account.tenant(), account.view()), QUERY_TIMEOUT_MILLIS);
  }

  /**
   * An AuditConsole command: its parameters (query, and form body for POST) travel in the query, without the API
   * token; the identity carries the caller's views and whether it may delete.
   */
  private void forwardCommand(RoutingContext ctx, Upstream upstream) {
    ConsoleAuth.Caller caller = ConsoleAuth.of(ctx);
    MultiMap params = ctx.request().params();
    String query = params.names().stream()
        .filter(name -> !name.equals(ConsoleAuth.TOKEN_PARAMETER))
        .flatMap(name -> params.getAll(name).stream().map(value -> encode(name) + "=" + encode(value)))
        .collect(Collectors.joining("&"));
    relay(ctx, upstream, caller.account().tenant(), ctx.request().method(),
        ctx.request().path() + (query.isEmpty() ? "" : "?" + query),
        new InternalTokens.Identity(caller.account().tenant(), caller.view(), caller.mayDelete(),
            Optional.of(new InternalTokens.Actor(caller.account().id(), caller.account().username(),
                caller.token().map(ApiTokens.ApiToken::id)))),
        COMMAND_TIMEOUT_MILLIS);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * Sends the request on in the tenant's turn at {@code upstream} and pipes the answer back. The internal token is
   * issued when the turn comes, so that a request that waited for it is not sent with a token about to expire.
   */
  private void relay(RoutingContext ctx, Upstream upstream, String tenant, HttpMethod method, String uri,
      InternalTokens.Identity identity, long timeoutMillis) {
    upstream.turns().run(tenant, () -> ctx.response().closed() ? Future.<Void>succeededFuture()
        : send(ctx, upstream.client(), options(ctx, method, uri, identity, timeoutMillis)));
  }

  private RequestOptions options(RoutingContext ctx, HttpMethod method, String uri, InternalTokens.Identity identity,
      long timeoutMillis) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(queryServiceUrl + uri)
        .setIdleTimeout(timeoutMillis)
        .putHeader(InternalTokens.HEADER, "Bearer " + internalTokens.issue(identity))
        .putHeader("X-Request-Id", ctx.response().headers().get("X-Request-Id"));
    String acceptEncoding = ctx.request().getHeader("Accept-Encoding");
    if (acceptEncoding != null) {
      options.putHeader("Accept-Encoding", acceptEncoding);
    }
    return options;
  }

  /**
   * Sends the request and pipes the answer back; done when the answer has been relayed or cannot be. The timeout is
   * an idle timeout: a long listing may take minutes while data keeps flowing. An answer cut off midway resets the
   * caller's connection, so it never looks complete; a caller who goes away resets the request.
   */
  private static Future<Void> send(RoutingContext ctx, HttpClient client, RequestOptions options) {
    HttpServerResponse response = ctx.response();
    return client.request(options)
        .compose(request -> {
          response.closeHandler(gone -> request.reset());
          return request.send();
        })
        .compose(answer -> {
          response.setStatusCode(answer.statusCode());
          for (String header : RELAYED_HEADERS) {
            copy(answer.getHeader(header), header, ctx);
          }
          String length = answer.getHeader("Content-Length");
          if (length != null) {
            response.putHeader("Content-Length", length);
          } else {
            response.setChunked(true);
          }
          return answer.pipe().endOnFailure(false).to(response).recover(e -> {
            response.reset();
            answer.request().reset();
            return Future.succeededFuture();
          });
        }, failure -> {
          if (!response.closed()) {
            ctx.fail(ApiException.unavailable("query_service_unavailable",
                "The query service is unavailable; retry later.", 5));
          }
          return Future.succeededFuture();
        });
  }

  private static void copy(String value, String header, RoutingContext ctx) {
    if (value != null) {
      ctx.response().putHeader(header, value);
    }
  }
}
