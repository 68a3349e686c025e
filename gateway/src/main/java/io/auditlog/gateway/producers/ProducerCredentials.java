package io.auditlog.gateway.producers;

import io.auditlog.gateway.producers.KafkaCredentials.KafkaCredential;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, lists and revokes an account's Kafka credentials for producing straight to the ingress topic. The principal
 * name is chosen here ({@code p-} and 32 hex digits), never taken from the request; the password exists only in the
 * answer that creates it. PostgreSQL records the owner first, so a credential is never live in Kafka without one.
 */
public final class ProducerCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(ProducerCredentials.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Pattern PRINCIPAL = Pattern.compile("p-[0-9a-f]{32}");

  private final KafkaCredentials store;
  private final ProducerPrincipals kafka;
  private final int perAccount;

  public ProducerCredentials(KafkaCredentials store, ProducerPrincipals kafka, int perAccount) {
    this.store = store;
    this.kafka = kafka;
    this.perAccount = perAccount;
  }

  /** A credential just issued: the only moment its password exists outside the client. */
  public record Issued(KafkaCredential credential, String password) {
  }

  public Future<Issued> issue(long userId) {
    String principal = "p-" + HexFormat.of().formatHex(random(16));
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    return store.insertWithin(userId, principal, password, perAccount)
        .compose(inserted -> inserted.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
            ApiException.of(409, "too_many_kafka_credentials", "This account already has " + perAccount
                + " Kafka credentials; revoke one first."))))
        .compose(credential -> kafka.create(principal, password)
            .map(created -> new Issued(credential, password))
            .recover(e -> undo(principal, e)));
  }

  public Future<List<KafkaCredential>> list(long userId) {
    return store.list(userId);
  }

  /** Deletes the Kafka user and its ACLs, then marks the credential revoked; false when it is not a live one of
   * this account. A Kafka failure leaves it live, so the revocation can be retried. */
  public Future<Boolean> revoke(long userId, String principal) {
    if (!PRINCIPAL.matcher(principal).matches()) {
      return Future.succeededFuture(false);
    }
    return store.isLive(userId, principal)
        .compose(live -> !live ? Future.succeededFuture(false)
            : kafka.delete(principal)
                .recover(e -> Future.failedFuture(unavailable(e)))
                .compose(v -> store.markRevoked(userId, principal))
                .map(true));
  }

  private <T> Future<T> undo(String principal, Throwable cause) {
    return kafka.delete(principal).otherwiseEmpty()
        .compose(v -> store.delete(principal))
        .eventually(() -> Future.succeededFuture())
        .transform(ignored -> Future.failedFuture(unavailable(cause)));
  }

  private static ApiException unavailable(Throwable cause) {
    LOG.warn("Kafka credential change failed: {}", cause.toString());
    return ApiException.unavailable("broker_unavailable", "The event log is unavailable; retry later.", 5);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
