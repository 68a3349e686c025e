package io.auditlog.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a readiness check until it passes, failing early with the log tail when the process dies. */
public final class Readiness {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private Readiness() {
  }

  public static void await(ChildProcess process, Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process.name() + " exited during start-up; log " + process.log() + ":\n"
            + process.tail(30));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      sleep(100);
    }
    process.stop(Duration.ofSeconds(5));
    throw new IllegalStateException(process.name() + " was not ready within " + timeout.toSeconds() + " s; log "
        + process.log() + ":\n" + process.tail(30));
  }

  /** True when a GET of {@code url} answers {@code status} within two seconds. */
  public static boolean answers(String url, int status) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
