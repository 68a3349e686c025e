package io.auditlog.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.PostgresServer;
import io.auditlog.infra.ServiceRole;
import io.auditlog.web.LoginPrivileges;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a service's login may do beyond its role, read from a real PostgreSQL's catalogue, and when it is warned of. */
class LoginPrivilegesIT {

  private static final BackingServices SERVICES = BackingServices.forTests();
  private static final PostgresServer POSTGRES = SERVICES.postgres();

  @BeforeAll
  static void migrate() {
    GatewaySchema.migrate(POSTGRES.jdbcUrl(), PostgresServer.USER, POSTGRES.password());
  }

  @Test
  void aServiceRoleIsNotWarnedOf() throws Exception {
    for (ServiceRole role : ServiceRole.values()) {
      try (Connection service = DriverManager.getConnection(POSTGRES.jdbcUrl(), role.roleName(),
          POSTGRES.password(role))) {
        LoginPrivileges privileges = LoginPrivileges.of(service);
        assertThat(privileges).isEqualTo(new LoginPrivileges(role.roleName(), false, 0));
        assertThat(privileges.warning("the service", false)).isEmpty();
      }
    }
  }

  @Test
  void aLoginThatCannotBeReadDoesNotStopTheService() {
    assertThatCode(() -> LoginPrivileges.warnOf(() -> DriverManager.getConnection(POSTGRES.jdbcUrl(), "nobody",
        "wrong"), "the gateway", false)).doesNotThrowAnyException();
  }

  @Test
  void theOwnerIsWarnedOfUnlessTheServiceMigratesAndASuperuserAlways() throws Exception {
    try (Connection owner = DriverManager.getConnection(POSTGRES.jdbcUrl(), PostgresServer.USER,
        POSTGRES.password())) {
      LoginPrivileges privileges = LoginPrivileges.of(owner);
      assertThat(privileges.superuser()).isFalse();
      assertThat(privileges.ownedTables()).isGreaterThanOrEqualTo(GatewaySchema.TABLES.size());
      assertThat(privileges.warning("the gateway", true)).as("one login for a deployment that migrates").isEmpty();
      assertThat(privileges.warning("the gateway", false)).hasValueSatisfying(warning -> assertThat(warning)
          .startsWith("the gateway logs in to PostgreSQL as " + PostgresServer.USER + ", the owner of "));
    }
    try (Connection admin = DriverManager.getConnection(POSTGRES.jdbcUrl(), PostgresServer.ADMIN,
        POSTGRES.adminPassword())) {
      LoginPrivileges privileges = LoginPrivileges.of(admin);
      assertThat(privileges.superuser()).isTrue();
      assertThat(privileges.warning("the ingest worker", true)).hasValueSatisfying(warning -> assertThat(warning)
          .contains("as " + PostgresServer.ADMIN + ", a superuser"));
    }
  }
}
