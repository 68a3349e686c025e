package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantInfluxUsersTest {

  private static final TenantInfluxUsers USERS = new TenantInfluxUsers("tenant-secret-0123456789abcdef0123456789");

  @Test
  void namesComeFromTheTenantAndPasswordsFromTheSecretPurposeAndTenant() {
    InfluxCredential reader = USERS.reader("42");
    InfluxCredential deleter = USERS.deleter("42");
    assertThat(reader.user()).isEqualTo("audit_read_42");
    assertThat(deleter.user()).isEqualTo("audit_delete_42");
    assertThat(reader.password()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(deleter.password())
        .isNotEqualTo(USERS.reader("43").password())
        .isEqualTo(new TenantInfluxUsers("tenant-secret-0123456789abcdef0123456789").reader("42").password())
        .isNotEqualTo(new TenantInfluxUsers("tenant-secret-0123456789abcdef012345678X").reader("42").password());
  }

  @Test
  void passwordsNeverShowAndUnsafeTenantsOrShortSecretsAreRefused() {
    assertThat(USERS.reader("42").toString()).doesNotContain(USERS.reader("42").password());
    assertThatThrownBy(() -> USERS.reader("a\" WITH ALL PRIVILEGES")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> USERS.reader("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TenantInfluxUsers("short")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void provisioningCreatesMissingUsersSetsPasswordsOfExistingOnesAndGrantsOneDatabaseEach() {
    InfluxProvisioning provisioning = new InfluxProvisioning(new InfluxCredential("audit_writer", "w'pw"), USERS);
    String r = USERS.reader("7").password();
    String d = USERS.deleter("7").password();
    assertThat(provisioning.statements("7", Set.of("audit_writer"))).containsExactly(
        "CREATE DATABASE \"audit_7\"",
        "SET PASSWORD FOR \"audit_writer\" = 'w\\'pw'",
        "GRANT WRITE ON \"audit_7\" TO \"audit_writer\"",
        "CREATE USER \"audit_read_7\" WITH PASSWORD '" + r + "'",
        "GRANT READ ON \"audit_7\" TO \"audit_read_7\"",
        "CREATE USER \"audit_delete_7\" WITH PASSWORD '" + d + "'",
        "GRANT WRITE ON \"audit_7\" TO \"audit_delete_7\"");
    assertThat(provisioning.statements("7", Set.of("audit_read_7", "audit_delete_7"))).contains(
        "CREATE USER \"audit_writer\" WITH PASSWORD 'w\\'pw'",
        "SET PASSWORD FOR \"audit_read_7\" = '" + r + "'",
        "SET PASSWORD FOR \"audit_delete_7\" = '" + d + "'");
  }
}
