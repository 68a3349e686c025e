package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
