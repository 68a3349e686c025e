package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.gateway.storage.ClaimTiming;
import io.auditlog.infra.Secrets;
import io.auditlog.web.Settings;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayConfigTest {

  /** Every secret the gateway judges, by the variable it reads. */
  static final List<String> SECRETS = List.of("AUDIT_JWT_SECRET", "AUDIT_INTERNAL_SECRET", "AUDIT_KEY_SECRET",
      "AUDIT_KAFKA_PASSWORD", "AUDIT_KAFKA_ADMIN_PASSWORD", "AUDIT_INFLUX_ADMIN_PASSWORD",
      "AUDIT_INFLUX_WRITER_PASSWORD", "AUDIT_INFLUX_TENANT_SECRET", "AUDIT_PG_PASSWORD");
  static final String ADMIN_PASSWORD = "Keep#Out-Of-Here9";

  /** A safe environment: generated secrets, a strong admin password, smtp mail. */
  static Map<String, String> safeEnvironment() {
    Map<String, String> env = new HashMap<>();
    SECRETS.forEach(name -> env.put(name, Secrets.generate()));
    env.put("AUDIT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    return env;
  }

  private static GatewayConfig with(Map<String, String> changes) {
    Map<String, String> env = safeEnvironment();
    env.putAll(changes);
    return GatewayConfig.from(new Settings(env));
  }

  private static GatewayConfig without(String name) {
    Map<String, String> env = safeEnvironment();
    env.remove(name);
    return GatewayConfig.from(new Settings(env));
  }

  @Test
  void theBodyBudgetHoldsEightOfTheLargestBodiesAtLeast() {
    GatewayConfig.Bodies defaults = with(Map.of()).bodies();
    assertThat(defaults).isEqualTo(new GatewayConfig.Bodies(1024 * 1024, 128L * 1024 * 1024, Duration.ofSeconds(30)));
    assertThatThrownBy(() -> with(Map.of("AUDIT_BODY_BUDGET", Integer.toString(127 * 1024 * 1024))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("AUDIT_BODY_BUDGET must be at least 8");
    assertThat(with(Map.of("AUDIT_BODY_BUDGET", Integer.toString(8 * 1024 * 1024),
        "AUDIT_MODSEC_MAX_ENTRY_BYTES", Integer.toString(1024 * 1024))).bodies().budgetBytes())
        .isEqualTo(8L * 1024 * 1024);
  }

  @Test
  void kafkaLoginsAreScramOverSaslWithRequiredPasswordsThatNeverPrint() {
    String password = Secrets.generate();
    GatewayConfig.KafkaAccess kafka = with(Map.of("AUDIT_KAFKA_PASSWORD", password)).kafka();
    assertThat(kafka.service().user()).isEqualTo("auditlog-gateway");
    assertThat(kafka.admin().user()).isEqualTo("auditlog-operator");
    assertThat(kafka.service().clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(kafka.service().clientProperties().get("sasl.jaas.config").toString())
        .contains("username=\"auditlog-gateway\" password=\"" + password + "\"");
    assertThat(kafka.toString()).doesNotContain(password, kafka.admin().password());
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
    assertThat(config.toString()).doesNotContain(config.influx().admin().password(),
        config.influx().writer().password(), config.influx().tenantSecret());
  }

  @Test
  void devMailIsRefusedUnlessAllowedOnPurpose() {
    assertThat(with(Map.of()).mailMode()).isEqualTo(GatewayConfig.MailMode.SMTP);
    assertThatThrownBy(() -> with(Map.of("AUDIT_MAIL_MODE", "dev")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AUDIT_MAIL_MODE=dev").hasMessageContaining("AUDIT_ALLOW_DEV_MAIL=true");
    assertThatThrownBy(() -> with(Map.of("AUDIT_MAIL_MODE", "dev", "AUDIT_ALLOW_DEV_MAIL", "yes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_ALLOW_DEV_MAIL");
    assertThat(with(Map.of("AUDIT_MAIL_MODE", "dev", "AUDIT_ALLOW_DEV_MAIL", "true")).mailMode())
        .isEqualTo(GatewayConfig.MailMode.DEV);
  }

  @Test
  void theAdminPasswordHasNoDefault() {
    assertThatThrownBy(() -> without("AUDIT_ADMIN_PASSWORD"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("AUDIT_ADMIN_PASSWORD must be set (the admin "
            + "account's password)");
    assertThatThrownBy(() -> with(Map.of("AUDIT_ADMIN_PASSWORD", "", "AUDIT_ALLOW_WEAK_ADMIN_PASSWORD", "true")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_ADMIN_PASSWORD must be set");
    assertThat(with(Map.of()).accounts().adminPassword()).isEqualTo(ADMIN_PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Admin@12345", "Change@Me123", "Short@1a", "nouppercase@12345", "Sup3r#Admin-Account",
      "My-Password#Is-Long1", "Change@Me-Please-9", "Auditlog@2024-Prod"})
  void aWeakAdminPasswordIsRefusedUnlessAllowedOnPurpose(String weak) {
    assertThatThrownBy(() -> with(Map.of("AUDIT_ADMIN_PASSWORD", weak)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("AUDIT_ADMIN_PASSWORD ")
        .hasMessageContaining("AUDIT_ALLOW_WEAK_ADMIN_PASSWORD=true")
        .hasMessageNotContaining(weak);
    assertThat(with(Map.of("AUDIT_ADMIN_PASSWORD", weak, "AUDIT_ALLOW_WEAK_ADMIN_PASSWORD", "true")).accounts()
        .adminPassword()).isEqualTo(weak);
  }

  @Test
  void everySecretIsRequiredAndMustHoldEnoughRandomness() {
    for (String name : SECRETS) {
      assertThatThrownBy(() -> without(name)).as(name)
          .isInstanceOf(IllegalArgumentException.class).hasMessage(name + " must be set");
      assertThatThrownBy(() -> with(Map.of(name, "change-me-to-32-or-more-random-characters"))).as(name)
          .isInstanceOf(IllegalArgumentException.class).hasMessage(name + " is a placeholder");
      String handWritten = "secret-of-the-gateway-0123456789abcdef";
      assertThatThrownBy(() -> with(Map.of(name, handWritten))).as(name)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + " holds less than 256 bits")
          .hasMessageNotContaining(handWritten);
      assertThatThrownBy(() -> with(Map.of(name, "Ab1-".repeat(16)))).as(name)
          .isInstanceOf(IllegalArgumentException.class).hasMessage(name + " repeats itself");
    }
  }

  /** Every secret and the admin password of infra/compose.env.example, left in place, stop the gateway. */
  @Test
  void theComposeExamplesPlaceholdersAreRefused() throws IOException {
    Map<String, String> example = composeExample();
    Map<String, String> gatewayName = Map.of("KAFKA_GATEWAY_PASSWORD", "AUDIT_KAFKA_PASSWORD",
        "KAFKA_OPERATOR_PASSWORD", "AUDIT_KAFKA_ADMIN_PASSWORD");
    int judged = 0;
    for (Map.Entry<String, String> entry : example.entrySet()) {
      String name = gatewayName.getOrDefault(entry.getKey(), entry.getKey());
      if (SECRETS.contains(name) || name.equals("AUDIT_ADMIN_PASSWORD")) {
        assertThatThrownBy(() -> with(Map.of(name, entry.getValue()))).as(entry.toString())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + " ");
        judged++;
      }
    }
    assertThat(judged).isEqualTo(SECRETS.size() + 1);
  }

  @Test
  void smtpRequiresStartTlsUnlessDisabledOnPurpose() {
    assertThat(with(Map.of()).smtp().starttls()).isEqualTo(StartTLSOptions.REQUIRED);
    assertThat(with(Map.of("AUDIT_SMTP_STARTTLS", "disabled")).smtp().starttls())
        .isEqualTo(StartTLSOptions.DISABLED);
  }

  @Test
  void idleConnectionsAreClosedAfterAMinuteByDefault() {
    assertThat(with(Map.of()).idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(with(Map.of("AUDIT_HTTP_IDLE_TIMEOUT", "5s")).idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> with(Map.of("AUDIT_HTTP_IDLE_TIMEOUT", "0s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_HTTP_IDLE_TIMEOUT");
    assertThatThrownBy(() -> with(Map.of("AUDIT_HTTP_IDLE_TIMEOUT", "1h")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_HTTP_IDLE_TIMEOUT");
  }

  @Test
  void theInstanceLeaseLeavesRoomForChecksAndStaysWellWithinTheServersPatience() {
    assertThat(with(Map.of()).instanceTiming())
        .isEqualTo(new ClaimTiming(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    assertThat(with(Map.of("AUDIT_INSTANCE_HEARTBEAT", "1s", "AUDIT_INSTANCE_LEASE", "2s")).instanceTiming().lease())
        .isEqualTo(Duration.ofSeconds(2));
    for (Map<String, String> refused : List.of(Map.of("AUDIT_INSTANCE_LEASE", "9s"),
        Map.of("AUDIT_INSTANCE_LEASE", "61s"), Map.of("AUDIT_INSTANCE_HEARTBEAT", "50ms"))) {
      assertThatThrownBy(() -> with(refused)).as(refused.toString())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_INSTANCE_");
    }
  }

  @Test
  void mailRequestsAreLimitedPerEmailAndAddress() {
    GatewayConfig.AccountPolicy defaults = with(Map.of()).accounts();
    assertThat(defaults.maxMailsPerEmail()).isEqualTo(5);
    assertThat(defaults.maxMailsPerAddress()).isEqualTo(20);
    assertThat(defaults.mailWindow()).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> with(Map.of("AUDIT_MAIL_MAX_PER_EMAIL", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUDIT_MAIL_MAX_PER_EMAIL");
  }

  static Map<String, String> composeExample() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "infra", "compose.env.example"))) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && equals > 0) {
        entries.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
      }
    }
    return entries;
  }
}
