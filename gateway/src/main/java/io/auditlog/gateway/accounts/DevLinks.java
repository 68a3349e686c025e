package io.auditlog.gateway.accounts;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode: links are returned in the response and logged, as the original service did. It hands any account's
 * reset link to whoever asks, so it is for a local stack only; the gateway warns about it at start.
 */
public final class DevLinks implements AccountMail {

  private static final Logger LOG = LoggerFactory.getLogger(DevLinks.class);

  @Override
  public Future<String> activation(Account account, String link, boolean resent) {
    LOG.warn("dev mode: activation link for {}: {}", account.username(), link);
    return Future.succeededFuture(resent
        ? "Activation key resent. Activate your account using " + link + "."
        : "Account created. Activate your account using " + link + ".");
  }

  @Override
  public Future<String> reset(Account account, String link) {
    LOG.warn("dev mode: password reset link for {}: {}", account.username(), link);
    return Future.succeededFuture("Reset your password using " + link + ".");
  }

  @Override
  public String unknownAddressAnswer() {
    return null;
  }
}
