package io.auditlog.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json} (the OpenAPI 3.1 document), {@code GET /docs} (Swagger UI from its webjar). */
final class DocsRoutes {

  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.18.2";

  private DocsRoutes() {
  }

  static void mount(Router router) {
    Buffer document = resource("docs/openapi.json");
    Buffer page = resource("docs/index.html");
    router.get("/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json; charset=utf-8").end(document));
    router.get("/docs").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").end(page));
    router.get("/docs/assets/*").handler(StaticHandler.create(SWAGGER_UI).setCachingEnabled(true));
  }

  private static Buffer resource(String path) {
    try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the gateway's resources");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
