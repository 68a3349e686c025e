package io.auditlog.tlog.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.web.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignerConfigTest {

  private static final String SECRET = "kq3Vd0bq7m0yq2o3P1x9bT4sWc8nZr6uLh5eJa2fGi7Y";

  private static SignerConfig read(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return SignerConfig.from(new Settings(env));
  }

  @Test
  void hasDefaultsForAllButTheSecret() {
    SignerConfig config = read("AUDIT_TLOG_SECRET", SECRET);

    assertThat(config.login().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/auditlog");
    assertThat(config.publicHost().name()).isEqualTo("localhost:8000");
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.toString()).doesNotContain(SECRET);
  }

  @Test
  void readsEachVariable() {
    SignerConfig config = read("AUDIT_TLOG_SECRET", SECRET, "AUDIT_PG_HOST", "db", "AUDIT_PG_PORT", "6432",
        "AUDIT_PG_DATABASE", "audit", "AUDIT_PG_USER", "u", "AUDIT_PUBLIC_HOST", "audit.example.com",
        "AUDIT_CHECKPOINT_INTERVAL", "5s", "AUDIT_CHECKPOINT_RETENTION", "30d");

    assertThat(config.login().jdbcUrl()).isEqualTo("jdbc:postgresql://db:6432/audit");
    assertThat(config.login().user()).isEqualTo("u");
    assertThat(config.publicHost().origin(42)).isEqualTo("audit.example.com/audit/42");
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void needsAStrongSecret() {
    assertThatThrownBy(() -> read()).hasMessage("AUDIT_TLOG_SECRET must be set");
    assertThatThrownBy(() -> read("AUDIT_TLOG_SECRET", "changeme-changeme-changeme-changeme-changeme"))
        .hasMessageStartingWith("AUDIT_TLOG_SECRET");
  }

  @Test
  void needsAnIntervalOfAtLeastOneSecond() {
    assertThatThrownBy(() -> read("AUDIT_TLOG_SECRET", SECRET, "AUDIT_CHECKPOINT_INTERVAL", "500ms"))
        .hasMessageContaining("AUDIT_CHECKPOINT_INTERVAL must be at least 1s");
    assertThatThrownBy(() -> read("AUDIT_TLOG_SECRET", SECRET, "AUDIT_CHECKPOINT_RETENTION", "10m"))
        .hasMessageContaining("AUDIT_CHECKPOINT_RETENTION must be at least 1h");
  }
}
