package io.auditlog.gateway.accounts;

import io.vertx.core.Future;

/**
 * How activation and reset links reach a user. Each method delivers the link and answers the sentence for the
 * response: in dev mode the link itself, in smtp mode a sentence that reveals nothing.
 */
public interface AccountMail {

  Future<String> activation(Account account, String link, boolean resent);

  Future<String> reset(Account account, String link);

  /** What to answer for an address no account has; null when the mode may say so (dev: 404). */
  String unknownAddressAnswer();
}
