package io.auditlog.gateway.ingest;

import io.auditlog.model.KafkaLogin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;

/**
 * The gateway's Kafka Admin client, logged in with the admin credential ({@code AUDIT_KAFKA_ADMIN_*}) that only
 * provisioning uses: topics at start, direct producers' users and ACLs. Its calls return futures on the caller's
 * context and never block an event loop.
 */
public final class KafkaAdmin implements AutoCloseable {

  private final Vertx vertx;
  private final Admin admin;

  public KafkaAdmin(Vertx vertx, String bootstrap, KafkaLogin login) {
    this.vertx = vertx;
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    this.admin = Admin.create(properties);
  }

  /**
   * Runs one Admin API call and completes on the caller's context. The call is made on a worker thread: some work
   * before the request is sent (a SCRAM credential's 4,096 PBKDF2 iterations) has no place on an event loop. It is
   * not ordered after other blocking work of the caller's event loop, so that none of that delays it.
   */
  public <T> Future<T> call(Function<Admin, KafkaFuture<T>> request) {
    return vertx.executeBlocking(() -> request.apply(admin), false)
        .compose(pending -> Future.fromCompletionStage(pending.toCompletionStage(), vertx.getOrCreateContext()));
  }

  /** The innermost cause of a failed call (Kafka wraps its errors in ExecutionExceptions). */
  public static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    admin.close();
  }
}
