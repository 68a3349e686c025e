package io.auditlog.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.InfluxAccess;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxProvisioning;
import io.auditlog.model.TenantInfluxUsers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each InfluxDB credential can do on a real InfluxDB after the gateway's provisioning: a tenant's reader reads
 * its own database and nothing else, its deleter deletes and writes there and nothing else, the workers' writer writes
 * and cannot read, none of them can run DDL or manage users, and nothing works without credentials.
 */
class InfluxLeastPrivilegeIT {

  private static final BackingServices SERVICES = BackingServices.forTests();
  private static final InfluxAccess ACCESS = SERVICES.influxAccess();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String A = "pa" + UUID.randomUUID().toString().substring(0, 8);
  private static final String B = "pb" + UUID.randomUUID().toString().substring(0, 8);
  private static final String DB_A = InfluxNames.database(A);
  private static final String DB_B = InfluxNames.database(B);
  private static final TenantInfluxUsers USERS = ACCESS.tenantUsers();
  private static final InfluxCredential READER_A = USERS.reader(A);
  private static final InfluxCredential DELETER_A = USERS.deleter(A);
  private static final InfluxCredential WRITER = ACCESS.writer();
  private static final List<String> DDL = List.of(
      "CREATE DATABASE \"audit_intruder\"",
      "DROP DATABASE \"" + DB_B + "\"",
      "DROP DATABASE \"" + DB_A + "\"",
      "CREATE USER \"intruder\" WITH PASSWORD 'intruder' WITH ALL PRIVILEGES",
      "GRANT ALL ON \"" + DB_B + "\" TO \"" + READER_A.user() + "\"",
      "GRANT ALL PRIVILEGES TO \"" + READER_A.user() + "\"",
      "SET PASSWORD FOR \"" + WRITER.user() + "\" = 'taken'",
      "DROP MEASUREMENT \"m\"",
      "SHOW USERS");

  private static Vertx vertx;
  private static InfluxAdmin admin;

  @BeforeAll
  static void provision() throws Exception {
    vertx = Vertx.vertx();
    admin = new InfluxAdmin(WebClient.create(vertx), SERVICES.influx().url(), ACCESS.admin(), ACCESS.provisioning());
    await(admin.provisionTenants(List.of(A, B)));
    await(admin.provisionTenants(List.of(A, B)));  // idempotent
    assertThat(write(WRITER, DB_A, "m,t=a v=1 1000\nm,t=b v=2 2000").statusCode()).isEqualTo(204);
    assertThat(write(WRITER, DB_B, "m,t=a v=3 1000").statusCode()).isEqualTo(204);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTenantsReaderReadsItsOwnDatabaseAndNothingElse() throws Exception {
    HttpResponse<String> own = query(READER_A, DB_A, "SELECT count(\"v\") FROM \"m\"");
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains("\"name\":\"m\"").doesNotContain("error");

    assertRefused(READER_A, DB_B, "SELECT * FROM \"m\"");
    assertRefused(READER_A, DB_A, "SELECT * FROM \"" + DB_B + "\"..\"m\"");
    assertRefused(READER_A, DB_A, "SELECT * INTO \"" + DB_B + "\"..\"copy\" FROM \"m\"");
    assertRefused(READER_A, DB_A, "SELECT * INTO \"copy\" FROM \"m\"");
    assertRefused(READER_A, DB_A, "DELETE FROM \"m\" WHERE \"t\" = 'a'");
    assertRefused(READER_A, DB_A, "DROP SERIES FROM \"m\"");
    assertRefused(READER_A, "", "SELECT * FROM \"" + DB_B + "\"..\"m\"");
    for (String statement : DDL) {
      assertRefused(READER_A, DB_A, statement);
    }
    assertThat(write(READER_A, DB_A, "m v=9 9").statusCode()).isEqualTo(403);
    assertThat(query(READER_A, DB_A, "SHOW DATABASES").body()).contains(DB_A).doesNotContain(DB_B);
  }

  @Test
  void aTenantsDeleterDeletesInItsOwnDatabaseOnlyAndCannotRead() throws Exception {
    assertRefused(DELETER_A, DB_B, "DELETE FROM \"m\" WHERE \"t\" = 'a'");
    assertRefused(DELETER_A, DB_A, "SELECT * FROM \"m\"");
    assertRefused(DELETER_A, DB_A, "SELECT * INTO \"" + DB_B + "\"..\"copy\" FROM \"m\"");
    for (String statement : DDL) {
      assertRefused(DELETER_A, DB_A, statement);
    }
    assertThat(write(DELETER_A, DB_B, "m v=9 9").statusCode()).isEqualTo(403);
    HttpResponse<String> deleted = query(DELETER_A, DB_A, "DELETE FROM \"m\" WHERE \"t\" = 'b'");
    assertThat(deleted.body()).doesNotContain("error");
    assertThat(SERVICES.influx().query(DB_A, "SELECT count(\"v\") FROM \"m\"").toString()).contains(",1]");
    assertThat(SERVICES.influx().query(DB_B, "SELECT count(\"v\") FROM \"m\"").toString()).contains(",1]");
  }

  @Test
  void theWorkersWriterWritesButCannotReadOrRunDdl() throws Exception {
    assertRefused(WRITER, DB_A, "SELECT * FROM \"m\"");
    assertRefused(WRITER, DB_B, "SHOW MEASUREMENTS");
    for (String statement : DDL) {
      assertRefused(WRITER, DB_A, statement);
    }
  }

  @Test
  void nothingWorksWithoutCredentialsOrWithAWrongPassword() throws Exception {
    HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(SERVICES.influx().url()
        + "/query?db=" + DB_A + "&q=" + URLEncoder.encode("SELECT * FROM \"m\"", StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> anonymousWrite = HTTP.send(HttpRequest.newBuilder(URI.create(SERVICES.influx().url()
        + "/write?db=" + DB_A)).POST(HttpRequest.BodyPublishers.ofString("m v=1 1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymousWrite.statusCode()).isEqualTo(401);
    InfluxCredential guessed = new InfluxCredential(READER_A.user(), READER_A.password() + "x");
    assertThat(query(guessed, DB_A, "SELECT * FROM \"m\"").statusCode()).isEqualTo(401);
    InfluxCredential otherSecret = new TenantInfluxUsers("another-secret-0123456789abcdef0123456789").reader(A);
    assertThat(query(otherSecret, DB_A, "SELECT * FROM \"m\"").statusCode()).isEqualTo(401);
  }

  @Test
  void provisioningAgainWithAnotherSecretChangesThePasswords() throws Exception {
    String tenant = "pc" + UUID.randomUUID().toString().substring(0, 8);
    await(admin.provisionTenant(tenant));
    TenantInfluxUsers rotated = new TenantInfluxUsers("rotated-secret-0123456789abcdef0123456789");
    InfluxAdmin rotating = new InfluxAdmin(WebClient.create(vertx), SERVICES.influx().url(), ACCESS.admin(),
        new InfluxProvisioning(WRITER, rotated));
    await(rotating.provisionTenant(tenant));
    String database = InfluxNames.database(tenant);
    assertThat(query(USERS.reader(tenant), database, "SHOW MEASUREMENTS").statusCode()).isEqualTo(401);
    assertThat(query(rotated.reader(tenant), database, "SHOW MEASUREMENTS").statusCode()).isEqualTo(200);
  }

  private static void assertRefused(InfluxCredential credential, String database, String statement)
      throws Exception {
    HttpResponse<String> response = query(credential, database, statement);
    assertThat(response.statusCode()).as("%s as %s: %s", statement, credential.user(), response.body())
        .isEqualTo(403);
  }

  private static HttpResponse<String> query(InfluxCredential credential, String database, String statement)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(SERVICES.influx().url() + "/query?db="
            + URLEncoder.encode(database, StandardCharsets.UTF_8)))
        .header("Authorization", credential.basicAuthorization())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> write(InfluxCredential credential, String database, String lines)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(SERVICES.influx().url() + "/write?precision=ns&db="
            + URLEncoder.encode(database, StandardCharsets.UTF_8)))
        .header("Authorization", credential.basicAuthorization())
        .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
