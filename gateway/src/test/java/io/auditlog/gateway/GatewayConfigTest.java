package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.web.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static GatewayConfig with(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "AUDIT_JWT_SECRET", "jwt-secret-0123456789abcdef0123456789ab",
        "AUDIT_INTERNAL_SECRET", "internal-secret-0123456789abcdef012345",
        "AUDIT_KEY_SECRET", "key-secret-0123456789abcdef0123456789ab",
        "AUDIT_KAFKA_PASSWORD", "gateway-kafka-password",
        "AUDIT_KAFKA_ADMIN_PASSWORD", "operator-kafka-password",
        "AUDIT_INFLUX_ADMIN_PASSWORD", "influx-admin-0123456789abcdef0123456",
        "AUDIT_INFLUX_WRITER_PASSWORD", "influx-writer-0123456789abcdef012345",
        "AUDIT_INFLUX_TENANT_SECRET", "influx-tenants-0123456789abcdef01234"));
    env.putAll(extra);
    return GatewayConfig.from(new Settings(env));
  }

  @Test
  void kafkaLoginsAreScramOverSaslWithRequiredPasswordsThatNeverPrint() {
    GatewayConfig.KafkaAccess kafka = with(Map.of()).kafka();
    assertThat(kafka.service().user()).isEqualTo("auditlog-gateway");
    assertThat(kafka.admin().user()).isEqualTo("auditlog-operator");
    assertThat(kafka.service().clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(kafka.service().clientProperties().get("sasl.jaas.config").toString())
        .contains("username=\"auditlog-gateway\" password=\"gateway-kafka-password\"");
    assertThat(kafka.toString()).doesNotContain("gateway-kafka-password", "operator-kafka-password");
    assertThatThrownBy(() -> with(Map.of("AUDIT_KAFKA_PASSWORD", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_KAFKA_PASSWORD");
    assertThatThrownBy(() -> with(Map.of("AUDIT_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_KAFKA_SECURITY_PROTOCOL");
  }

  @Test
  void producerCompressionDefaultsToNoneAndTakesKafkasCodecs() {
    assertThat(with(Map.of()).kafkaCompression()).isEqualTo("none");
    assertThat(with(Map.of("AUDIT_KAFKA_COMPRESSION", "zstd")).kafkaCompression()).isEqualTo("zstd");
    assertThatThrownBy(() -> with(Map.of("AUDIT_KAFKA_COMPRESSION", "brotli")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_KAFKA_COMPRESSION");
  }

  @Test
  void influxCredentialsAreRequiredAndNeverShown() {
    GatewayConfig config = with(Map.of());
    assertThat(config.influx().admin().user()).isEqualTo("admin");
    assertThat(config.influx().writer().user()).isEqualTo("audit_writer");
    assertThat(config.toString()).doesNotContain("influx-admin-", "influx-writer-", "influx-tenants-");
    assertThatThrownBy(() -> with(Map.of("AUDIT_INFLUX_TENANT_SECRET", "short")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_INFLUX_TENANT_SECRET")
        .hasMessageNotContaining("short");
  }
}
