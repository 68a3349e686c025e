package io.auditlog.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Role names reach {@code GRANT} statements unquoted, so anything but a plain lower-case name is refused first. */
class ServiceRolesTest {

  @Test
  void theDefaultsAreTheRolesTheStackMakes() {
    assertThat(ServiceRoles.from(new Settings(Map.of())).all())
        .containsExactly("auditlog_gateway", "auditlog_worker", "auditlog_query");
  }

  @Test
  void aNameThatIsNotAPlainLowerCaseIdentifierIsRefused() {
    for (String name : List.of("Gateway", "1role", "_role", "role;drop role auditlog", "role name", "\"role\"",
        "role--", "r\u00f4le", "a".repeat(64))) {
      assertThatThrownBy(() -> ServiceRoles.from(new Settings(Map.of("AUDIT_PG_QUERY_ROLE", name))))
          .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role name");
    }
    assertThat(ServiceRoles.from(new Settings(Map.of("AUDIT_PG_QUERY_ROLE", " "))).query()).isEqualTo("auditlog_query");
  }

  @Test
  void namesThatMeanOtherRolesInAGrantAndOneRoleForTwoServicesAreRefused() {
    for (String name : List.of("public", "current_user", "current_role", "session_user", "none", "all",
        "pg_read_all_data", "pg_signal_backend", "auditlog_gateway")) {
      assertThatThrownBy(() -> ServiceRoles.from(new Settings(Map.of("AUDIT_PG_QUERY_ROLE", name))))
          .as(name).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new ServiceRoles("g", "w_2", "q".repeat(63)).query()).hasSize(63);
  }

  @Test
  void grantsTakeEveryRightFirstSoThatWhatFollowsIsAllTheRolesHave() {
    TableGrants grants = TableGrants.on(List.of("a", "b"), List.of("a_id_seq"), List.of("g", "w"))
        .grant("SELECT (id)", List.of("a"), "w")
        .drawFrom(List.of("a_id_seq"), "g");
    assertThat(grants.statements()).containsExactly("REVOKE ALL ON TABLE a, b FROM g, w",
        "REVOKE ALL ON SEQUENCE a_id_seq FROM g, w", "GRANT SELECT (id) ON TABLE a TO w",
        "GRANT USAGE ON SEQUENCE a_id_seq TO g");
  }
}
