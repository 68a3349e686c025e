package io.auditlog.tlog.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicHostTest {

  @Test
  void makesTheOriginOfATenant() {
    assertThat(new PublicHost("audit.example.com").origin(42)).isEqualTo("audit.example.com/audit/42");
    assertThat(new PublicHost("localhost:8000").origin(7)).isEqualTo("localhost:8000/audit/7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"audit.example.com", "localhost", "10.0.0.7:443", "a-b.example:65535"})
  void acceptsLowerCaseHostsWithAnOptionalPort(String host) {
    assertThat(new PublicHost(host).name()).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Audit.example.com", "https://audit.example.com", "audit.example.com/", "a..b",
      "-a.example", "audit.example.com:0", "audit.example.com:65536", "audit example.com", "a.example:80:81"})
  void refusesAnythingElse(String host) {
    assertThatThrownBy(() -> new PublicHost(host)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AUDIT_PUBLIC_HOST");
  }

  @Test
  void refusesTenantIdsBelowOne() {
    assertThatThrownBy(() -> new PublicHost("localhost").origin(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
