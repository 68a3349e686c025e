package io.auditlog.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: {@link ApiException}s with their status and type, the router's
 * own 4xx (unknown path, wrong method, body too large, wrong content type) with a JSON body, and anything else as a
 * bare 500 that reveals nothing but is logged with the request id.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private static final Map<Integer, ApiException> ROUTER_ERRORS = Map.of(
      400, ApiException.of(400, "bad_request", "The request is malformed."),
      401, ApiException.unauthorized("Not authenticated."),
      403, ApiException.of(403, "forbidden", "Not allowed."),
      404, ApiException.notFound("Not found."),
      405, ApiException.of(405, "method_not_allowed", "Method not allowed."),
      413, ApiException.of(413, "payload_too_large", "The request body is too large."),
      415, ApiException.of(415, "unsupported_media_type", "Unsupported content type."));
  private static final ApiException INTERNAL = ApiException.of(500, "internal_error", "Internal server error.");

  /** Installs the handler for every failure of {@code router} and for the statuses the router answers itself. */
  public static void install(Router router) {
    FailureHandler handler = new FailureHandler();
    router.route().failureHandler(handler);
    for (int status : new int[] {400, 401, 403, 404, 405, 406, 413, 415, 500}) {
      router.errorHandler(status, handler);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().closed()) {
      // The caller has gone (and the read stopped for it): there is nobody to answer.
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiException error = toApiException(ctx);
    if (error.status() == 401 && !ctx.response().headers().contains("WWW-Authenticate")) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (error.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    Responses.json(ctx, error.status(), body(error));
  }

  private ApiException toApiException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    ApiException known = ROUTER_ERRORS.get(status);
    if (known != null) {
      return known;
    }
    if (status >= 400 && status < 500) {
      return ApiException.of(status, "client_error", "The request was not accepted.");
    }
    LOG.error("request {} {} failed [request id {}]", ctx.request().method(), ctx.request().path(),
        RequestIds.of(ctx), failure);
    return INTERNAL;
  }

  /**
   * A request the HTTP decoder refused before any router saw it: a request line too long (414), headers too large
   * (431), or anything else malformed (400), answered with the same JSON body as every other error, and the
   * connection closed, since what follows on it cannot be trusted to be a request.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException error = cause instanceof TooLongHttpLineException
        ? ApiException.of(414, "uri_too_long", "The request line is too long.")
        : cause instanceof TooLongHttpHeaderException
            ? ApiException.of(431, "headers_too_large", "The request headers are too large.")
            : ROUTER_ERRORS.get(400);
    request.response().setStatusCode(error.status()).putHeader("Content-Type", Responses.JSON)
        .putHeader("Connection", "close").end(Json.toText(body(error)));
  }

  /** The {@code {"detail": ...}} body of an error. */
  public static ObjectNode body(ApiException error) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (error.isValidation()) {
      var list = body.putArray("detail");
      for (FieldError field : error.fieldErrors()) {
        ObjectNode item = list.addObject();
        item.set("loc", Json.MAPPER.valueToTree(field.loc()));
        item.put("msg", field.msg());
        item.put("type", field.type());
      }
    } else {
      ObjectNode detail = body.putObject("detail");
      detail.put("msg", error.getMessage());
      detail.put("type", error.type());
    }
    return body;
  }
}
