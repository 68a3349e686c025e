package io.auditlog.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/** Gives every request an {@code X-Request-Id}: the caller's, when it is a sane token, else a new one. */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "request-id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String sent = ctx.request().getHeader(HEADER);
    String id = sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
