package io.auditlog.query.history;

import io.auditlog.model.ApiException;
import io.auditlog.store.read.DeletionLog;
import io.auditlog.store.read.EventDeleter;
import io.auditlog.tlog.Erasures;
import io.auditlog.tlog.PgLogin;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.LoginPrivileges;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletion side of the verifiable history (spec §8): before a round of a delete removes points, erasure records
 * naming its events (with their seqs) are appended to the tenant's tree in one transaction under the tree's lock
 * ({@link Erasures}, JDBC on a worker thread), and the delete waits until a signed checkpoint covers them; after it,
 * the points are deleted once more {@value #AGAIN_MINUTES} minutes later, against writes still under way from a
 * worker that lost its partition. Events stored outside the history (no seq) are deleted without a record.
 */
public final class HistoryErasures {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryErasures.class);
  static final long AGAIN_MINUTES = 5;
  private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 200;

  private final Vertx vertx;
  private final PgLogin login;
  private final CheckpointRows checkpoints;

  HistoryErasures(Vertx vertx, PgLogin login, CheckpointRows checkpoints) {
    this.vertx = vertx;
    this.login = login;
    this.checkpoints = checkpoints;
  }

  /** The log of one delete request: who asked (from the gateway's identity), with which filter, under which view. */
  public DeletionLog of(InternalTokens.Identity caller, String filter, String requestId) {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("reason", "delete");
    caller.actor().ifPresent(actor -> {
      Map<String, Object> named = new LinkedHashMap<>();
      named.put("user_id", actor.userId());
      named.put("username", actor.username());
      actor.tokenId().ifPresent(id -> named.put("token_id", id));
      common.put("actor", named);
    });
    common.put("request_id", requestId);
    common.put("filter", filter);
    common.put("view", caller.view().orElse(null));
    return new Log(common);
  }

  private final class Log implements DeletionLog {
    private final Map<String, Object> common;

    Log(Map<String, Object> common) {
      this.common = common;
    }

    @Override
    public Future<Void> beforeDelete(String tenant, List<EventDeleter.Target> targets) {
      List<Erasures.Erased> erased = targets.stream().filter(t -> t.seq().isPresent())
          .map(t -> new Erasures.Erased(t.id(), t.seq().getAsLong())).toList();
      if (erased.isEmpty()) {
        return Future.succeededFuture();
      }
      long tree = Long.parseLong(tenant);
      return vertx.executeBlocking(() -> {
        try (Connection connection = login.connect()) {
          return Erasures.append(connection, tree, common, erased);
        }
      }, false).compose(records -> records.isEmpty() ? Future.succeededFuture()
          : covered(tree, records.get(records.size() - 1).seq() + 1));
    }

    @Override
    public void afterDelete(String tenant, List<EventDeleter.Target> targets, EventDeleter deleter) {
      List<EventDeleter.Target> again = targets.stream().filter(t -> t.seq().isPresent()).toList();
      if (again.isEmpty()) {
        return;
      }
      vertx.setTimer(Duration.ofMinutes(AGAIN_MINUTES).toMillis(), id -> deleter.deleteAgain(tenant, again,
          Instant.now()).onFailure(e -> LOG.warn("deleting {} erased events of tenant {} again failed: {}",
              again.size(), tenant, e.toString())));
    }
  }

  /** Completes when a signed checkpoint of at least {@code size} exists; 503 after {@link #CHECKPOINT_WAIT}. */
  Future<Void> covered(long tenant, long size) {
    return covered(tenant, size, System.nanoTime());
  }

  private Future<Void> covered(long tenant, long size, long startedNanos) {
    return checkpoints.latest(tenant).compose(latest -> {
      if (latest.map(stored -> Long.compareUnsigned(stored.size(), size) >= 0).orElse(false)) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() - startedNanos > CHECKPOINT_WAIT.toNanos()) {
        return Future.failedFuture(ApiException.unavailable("erasure_unsigned", "The erasure is recorded but no "
            + "checkpoint has signed it yet, so nothing was deleted; retry the delete later.", 5));
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(POLL_MILLIS, id -> covered(tenant, size, startedNanos).onComplete(later));
      return later.future();
    });
  }

  static Optional<HistoryErasures> of(Vertx vertx, HistorySettings settings, CheckpointRows checkpoints) {
    if (!settings.on()) {
      return Optional.empty();
    }
    PgLogin login = login(settings);
    warnOfWiderLogin(vertx, login);
    return Optional.of(new HistoryErasures(vertx, login, checkpoints));
  }

  /** Warns, once and off the event loop, when the login can do more than the query-service's role. */
  private static void warnOfWiderLogin(Vertx vertx, PgLogin login) {
    vertx.executeBlocking(() -> {
      LoginPrivileges.warnOf(login::connect, "the query-service", false);
      return null;
    }, false);
  }

  /** The JDBC login of the history's database, for the appends that share the worker's code. */
  static PgLogin login(HistorySettings settings) {
    return new PgLogin("jdbc:postgresql://" + settings.pgHost() + ":" + settings.pgPort() + "/"
        + settings.pgDatabase(), settings.pgUser(), settings.pgPassword());
  }
}
