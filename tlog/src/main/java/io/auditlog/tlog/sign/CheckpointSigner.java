package io.auditlog.tlog.sign;

import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.keys.SigningKeyPair;
import io.auditlog.tlog.keys.TlogSecrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs each tenant's checkpoints, in the one worker that holds the signer lock ({@link SignerLock}); the others
 * try to take it every {@value #LOCK_RETRY_SECONDS} s. The holder polls {@code tlog_trees} every 100 ms with one
 * query for trees whose size differs from their latest checkpoint, and signs each such tree ({@link TreeSigner}):
 * size 0 when it has no checkpoint yet, otherwise its current size, at most once per interval, with every
 * registered signing key valid now ({@link SignerKeys}). Checkpoints past retention are pruned as it goes
 * ({@link CheckpointPruner}). Refusals are counted as {@code tlog_signer_refusals}.
 *
 * <p>Blocking JDBC on a thread of its own, never on an event loop. Everything goes through the lock's connection,
 * so a signer that lost its connection, and with it the lock, cannot store a note.
 */
public final class CheckpointSigner implements AutoCloseable {

  static final Duration POLL = Duration.ofMillis(100);
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  static final int LOCK_RETRY_SECONDS = 2;
  private static final Duration LOCK_RETRY = Duration.ofSeconds(LOCK_RETRY_SECONDS);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final int CACHED_TILES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointSigner.class);

  /** Trees whose size differs from their latest checkpoint, or that have none, and whose interval has passed. */
  private static final String DUE = """
      SELECT t.tenant FROM tlog_trees t
      LEFT JOIN LATERAL (SELECT c.size, c.signed_at FROM tlog_checkpoints c WHERE c.tenant = t.tenant
          ORDER BY c.size DESC LIMIT 1) c ON TRUE
      WHERE t.halted IS NULL
        AND (c.size IS NULL OR c.size <> t.size AND c.signed_at <= now() - make_interval(secs => ?))
      ORDER BY t.tenant""";

  private final PgLogin login;
  private final Duration interval;
  private final CheckpointPruner pruner;
  private final SignerKeys keys;
  private final TreeSigner trees;
  private volatile boolean running;
  private volatile SignerLock lock;
  private Thread thread;

  /**
   * @param secrets the signing keys loaded at start ({@link io.auditlog.tlog.keys.TlogKeys#load()})
   * @param interval the least time between two notes of a tree, at least 1 s
   * @param retention how long every note is kept; after that, the first of each UTC hour
   */
  public CheckpointSigner(PgLogin login, TlogSecrets secrets, Duration interval, Duration retention,
      MeterRegistry registry) {
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException("the checkpoint interval must be at least 1s, not " + interval);
    }
    this.login = login;
    this.interval = interval;
    Counter refusals = Counter.builder("tlog_signer_refusals")
        .description("checkpoints refused: trees halted after a failed check, or a signing key not registered")
        .register(registry);
    this.pruner = new CheckpointPruner(retention);
    this.keys = new SignerKeys(secrets, refusals::increment);
    this.trees = new TreeSigner(new TileCache(CACHED_TILES), pruner, refusals::increment);
  }

  /** Starts trying to take the lock, and signing while it is held. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("the signer was started before");
    }
    running = true;
    thread = new Thread(this::run, "tlog-signer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether this signer holds the lock now. */
  public boolean holdsLock() {
    return lock != null;
  }

  /** Stops signing and releases the lock; waits for the signer's thread. */
  @Override
  public void close() {
    Thread signing;
    synchronized (this) {
      running = false;
      signing = thread;
    }
    if (signing == null) {
      return;
    }
    signing.interrupt();
    try {
      signing.join(CLOSE_WAIT.toMillis());
      SignerLock held = lock;
      if (signing.isAlive() && held != null) {
        held.close();
        signing.join(CLOSE_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (running) {
      try (SignerLock acquired = SignerLock.tryAcquire(login).orElse(null)) {
        if (acquired != null) {
          lock = acquired;
          LOG.info("took the checkpoint signer lock: signing");
          signWhileRunning(acquired.connection());
          LOG.info("stopped signing: the checkpoint signer lock is released");
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warn("checkpoint signer: {}; not signing, trying again in {} s", e.getMessage(), LOCK_RETRY_SECONDS);
        }
      } catch (RuntimeException e) {
        LOG.error("checkpoint signer failed; not signing, trying again in {} s", LOCK_RETRY_SECONDS, e);
      } finally {
        lock = null;
      }
      pause(LOCK_RETRY);
    }
  }

  private void signWhileRunning(Connection connection) throws SQLException {
    pruner.restart();
    while (running) {
      long started = System.nanoTime();
      List<Long> due = due(connection);
      List<SigningKeyPair> signing = due.isEmpty() ? List.of() : keys.current(connection);
      for (int i = 0; i < due.size() && !signing.isEmpty() && running; i++) {
        trees.sign(connection, due.get(i), signing);
      }
      pruner.passIfDue(connection);
      pause(POLL.minusNanos(System.nanoTime() - started));
    }
  }

  private List<Long> due(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(DUE)) {
      select.setDouble(1, interval.toMillis() / 1000.0);
      List<Long> tenants = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          tenants.add(result.getLong(1));
        }
      }
      return tenants;
    }
  }

  private void pause(Duration duration) {
    if (duration.isNegative() || duration.isZero() || !running) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      running = false;
    }
  }
}
