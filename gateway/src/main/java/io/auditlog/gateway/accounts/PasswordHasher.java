package io.auditlog.gateway.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Argon2id password hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane), computed off the event loop on a small pool
 * of its own: one hash takes tens of milliseconds and 19 MiB of heap, so a burst of signups or logins queues there
 * instead of exhausting memory or the shared worker pool.
 */
public final class PasswordHasher {

  private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
  /** Checked against when the user does not exist, so both answers take the same time; made on first use. */
  private static final class Decoy {
    static final String HASH = Password.hash("decoy-password").addRandomSalt(16).with(ARGON2ID).getResult();
  }

  private static final int THREADS = 4;

  private final WorkerExecutor workers;

  public PasswordHasher(Vertx vertx) {
    this.workers = vertx.createSharedWorkerExecutor("password-hashing", THREADS);
  }

  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult(), false);
  }

  /** True when {@code password} matches {@code hash}; with no hash, spends the same time and answers false. */
  public Future<Boolean> verify(String password, String hash) {
    return workers.executeBlocking(() -> {
      boolean matches = Password.check(password, hash == null ? Decoy.HASH : hash).with(ARGON2ID);
      return hash != null && matches;
    }, false);
  }
}
