package io.auditlog.gateway.console;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: {@code /} and {@code /console} redirect to {@code /console/}, the page itself, the console's own
 * modules and styles ({@code /console/app/}) and the pinned libraries it imports, straight from their webjars
 * ({@code /console/lib/}).
 * Every answer under {@code /console} carries the page's Content-Security-Policy, {@code nosniff}, no framing and no
 * referrer. The console is static: it reads only through the public API, with the signed-in user's bearer token.
 */
public final class ConsoleRoutes {

  private static final String WEBJARS = "META-INF/resources/webjars/";
  /** Library folders under {@code /console/lib/}, each the root of one pinned webjar. */
  private static final String[][] LIBRARIES = {
      {"lit", "lit/3.3.2"},
      {"lit-html", "lit-html/3.3.2"},
      {"lit-element", "lit-element/4.2.2"},
      {"reactive-element", "lit__reactive-element/2.1.2"},
      {"uplot", "uplot/1.6.30/dist"}};

  private final ConsolePage page = ConsolePage.load();

  public void mount(Router router) {
    router.get("/").handler(ConsoleRoutes::toConsole);
    // Vert.x matches "/console" for "/console/" too: only the path without the slash is redirected.
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().equals("/console")) {
        toConsole(ctx);
      } else {
        ctx.next();
      }
    });
    router.route("/console/*").handler(this::secure);
    router.get("/console/").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache").end(page.html()));
    router.get("/console/app/*").handler(StaticHandler.create("console/app").setCachingEnabled(true)
        .setMaxAgeSeconds(0).setIncludeHidden(false).setDirectoryListing(false));
    for (String[] library : LIBRARIES) {
      router.get("/console/lib/" + library[0] + "/*").handler(StaticHandler.create(WEBJARS + library[1])
          .setCachingEnabled(true).setMaxAgeSeconds(86_400).setDirectoryListing(false));
    }
  }

  private static void toConsole(RoutingContext ctx) {
    ctx.response().setStatusCode(302).putHeader("Location", "/console/").end();
  }

  private void secure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Content-Security-Policy", page.policy())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    ctx.next();
  }
}
