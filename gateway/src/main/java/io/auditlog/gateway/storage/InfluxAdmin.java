package io.auditlog.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxCredential;
import io.auditlog.store.InfluxProvisioning;
import io.auditlog.store.Statement;
import io.auditlog.store.StoreAnswer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning against InfluxDB's v1 API with the admin credential, the only use of that credential: a tenant's
 * database, its reader and deleter users, and the writer's grant on it ({@link InfluxProvisioning}); and a liveness
 * probe. Statements carry passwords, so they are never logged; only InfluxDB's own error text is (it redacts them).
 */
public final class InfluxAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(InfluxAdmin.class);

  private final WebClient client;
  private final String url;
  private final InfluxCredential admin;
  private final InfluxProvisioning provisioning;

  public InfluxAdmin(WebClient client, String url, InfluxCredential admin, InfluxProvisioning provisioning) {
    this.client = client;
    this.url = url;
    this.admin = admin;
    this.provisioning = provisioning;
  }

  /**
   * Creates or updates the tenant's database, users and grants; idempotent. Tried twice: another gateway may create
   * the same user between our reading of the users and our statements.
   */
  public Future<Void> provisionTenant(String tenant) {
    return attempt(tenant).recover(first -> attempt(tenant));
  }

  /** Provisions each tenant in turn (at start-up, so that an existing installation gets its users). */
  public Future<Void> provisionTenants(List<String> tenants) {
    Future<Void> done = Future.succeededFuture();
    for (String tenant : tenants) {
      done = done.compose(v -> provisionTenant(tenant));
    }
    return done.onSuccess(v -> LOG.info("provisioned {} tenant(s) in InfluxDB", tenants.size()));
  }

  private Future<Void> attempt(String tenant) {
    return run(InfluxProvisioning.SHOW_USERS.statement())
        .map(results -> InfluxProvisioning.users(results.get(0)))
        .compose(users -> run(provisioning.statements(tenant, users)))
        .mapEmpty();
  }

  /** One result per statement, or a failure with InfluxDB's own error text (which redacts passwords). */
  private Future<List<JsonNode>> run(Statement statement) {
    return client.postAbs(url + "/query")
        .putHeader("Authorization", admin.basicAuthorization())
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("q", statement.text()).add("params", statement.paramsJson()))
        .map(response -> StoreAnswer.results(statement, StoreAnswer.parse(response.body() == null ? null
            : response.body().getBytes())));
  }

  public Future<Void> ping() {
    return client.getAbs(url + "/ping").send().compose(response -> response.statusCode() == 204
        ? Future.succeededFuture()
        : Future.failedFuture("InfluxDB /ping answered " + response.statusCode()));
  }
}
