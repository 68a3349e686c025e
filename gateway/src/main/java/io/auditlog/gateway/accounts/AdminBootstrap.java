package io.auditlog.gateway.accounts;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code admin} account on first start (active, admin, with an access key) from configuration. An existing
 * admin is left as it is. Its InfluxDB database is provisioned with every other active tenant's at start-up.
 */
public final class AdminBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  public static final String USERNAME = "admin";

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final AccessKeys keys;

  public AdminBootstrap(AccountRepository accounts, PasswordHasher hasher, AccessKeys keys) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.keys = keys;
  }

  public Future<Account> ensureAdmin(String email, String password) {
    return accounts.byUsername(USERNAME)
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> create(email, password)));
  }

  private Future<Account> create(String email, String password) {
    return hasher.hash(password)
        .compose(hash -> accounts.insert(USERNAME, email, hash, true, true, keys.issue()))
        .onSuccess(admin -> LOG.info("created the admin account (id {})", admin.id()))
        // Another gateway may have created it at the same moment: use theirs.
        .recover(e -> accounts.byUsername(USERNAME).compose(found -> found.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(e))));
  }
}
