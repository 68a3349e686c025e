package io.auditlog.web;

import io.auditlog.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Lets a request through to a form endpoint only when its body, if it has one, is a URL-encoded form: any other
 * content type, or a body without one, is a 415. Without this a JSON body would be read as an empty form, its fields
 * silently ignored (and a delete command would run without the filter its caller meant). Multipart forms are refused
 * for the same reason: the body handler drops file parts, so {@code curl -F filter=@file} would lose the filter.
 * Runs after the body handler.
 */
public final class FormContent implements Handler<RoutingContext> {

  public static final FormContent REQUIRED = new FormContent();
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final ApiException NOT_A_FORM = ApiException.of(415, "unsupported_media_type",
      "Send the fields as a form (application/x-www-form-urlencoded); multipart forms are not accepted.");

  private FormContent() {
  }

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    boolean hasBody = ctx.body().buffer() != null && ctx.body().buffer().length() > 0;
    boolean form = type == null ? !hasBody
        : FORM.equals(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    if (form) {
      ctx.next();
    } else {
      ctx.fail(NOT_A_FORM);
    }
  }
}
