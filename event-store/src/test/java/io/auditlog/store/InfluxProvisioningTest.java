package io.auditlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.InfluxCredential;
import io.auditlog.model.TenantInfluxUsers;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A tenant's provisioning as sent: constant text, every name and password bound. */
class InfluxProvisioningTest {

  private static final TenantInfluxUsers USERS = new TenantInfluxUsers("0123456789abcdef0123456789abcdef");

  @Test
  void createsMissingUsersSetsPasswordsOfExistingOnesAndGrantsOneDatabaseEach() {
    InfluxProvisioning provisioning = new InfluxProvisioning(new InfluxCredential("audit_writer", "w'pw"), USERS);
    String r = USERS.reader("7").password();
    Statement fresh = provisioning.statements("7", Set.of("audit_writer"));
    assertThat(fresh.text()).isEqualTo(String.join(";\n",
        "CREATE DATABASE $p0", "SET PASSWORD FOR $p1 = $p2", "GRANT WRITE ON $p3 TO $p4",
        "CREATE USER $p5 WITH PASSWORD $p6", "GRANT READ ON $p7 TO $p8",
        "CREATE USER $p9 WITH PASSWORD $p10", "GRANT WRITE ON $p11 TO $p12"));
    assertThat(fresh.count()).isEqualTo(7);
    assertThat(fresh.paramsJson()).contains("\"p0\":{\"identifier\":\"audit_7\"}", "\"p2\":\"w'pw\"",
        "\"p5\":{\"identifier\":\"audit_read_7\"}", "\"p6\":\"" + r + "\"",
        "\"p9\":{\"identifier\":\"audit_delete_7\"}");
    Statement again = provisioning.statements("7", Set.of("audit_read_7", "audit_delete_7"));
    assertThat(again.text()).contains("CREATE USER $p1 WITH PASSWORD $p2", "SET PASSWORD FOR $p5 = $p6",
        "SET PASSWORD FOR $p9 = $p10");
  }

  @Test
  void theFirstAdminIsBoundToo() {
    Statement admin = InfluxProvisioning.admin(new InfluxCredential("admin", "p\"w'; DROP"));
    assertThat(admin.text()).isEqualTo("CREATE USER $p0 WITH PASSWORD $p1 WITH ALL PRIVILEGES");
    assertThat(admin.paramsJson()).isEqualTo("{\"p0\":{\"identifier\":\"admin\"},\"p1\":\"p\\\"w'; DROP\"}");
  }
}
