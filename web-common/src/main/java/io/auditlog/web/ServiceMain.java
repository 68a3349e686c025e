package io.auditlog.web;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service: deploys its verticle on a Vert.x instance that reports into the service's {@link Metrics}, exits
 * with status 1 when start-up fails, and on SIGTERM/SIGINT undeploys it (its {@code stop} flushes and closes clients)
 * before the JVM exits. A configuration the service refuses stops it before anything starts, with exit status 2 and
 * one line on standard error that says why.
 */
public final class ServiceMain {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {
  }

  public static void run(String name, Function<Metrics, Deployable> service) {
    Metrics metrics = new Metrics();
    Deployable deployable;
    try {
      deployable = service.apply(metrics);
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": refusing to start: " + e.getMessage().replaceAll("\\s+", " "));
      System.exit(2);
      return;
    }
    Vertx vertx = metrics.vertx();
    vertx.deployVerticle(deployable)
        .onSuccess(id -> LOG.info("{} started", name))
        .onFailure(e -> {
          LOG.error("{} failed to start", name, e);
          vertx.close().onComplete(ignored -> System.exit(1));
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("{} stopped", name);
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", name, e.toString());
      }
    }, "shutdown-" + name));
  }
}
