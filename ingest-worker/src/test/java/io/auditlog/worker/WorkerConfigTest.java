package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.web.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  private static final Map<String, String> REQUIRED = Map.of("AUDIT_INFLUX_WRITER_PASSWORD", "s".repeat(32),
      "AUDIT_KAFKA_PASSWORD", "kafka-password",
      "AUDIT_TLOG", "off");

  @Test
  void theIngressTopicMustDifferFromTheEventsTopic() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("AUDIT_TOPIC", "audit.same");
    env.put("AUDIT_INGRESS_TOPIC", "audit.same");
    assertThatThrownBy(() -> WorkerConfig.from(new Settings(env)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("AUDIT_INGRESS_TOPIC must differ from AUDIT_TOPIC");

    env.put("AUDIT_INGRESS_TOPIC", "audit.other");
    WorkerConfig config = WorkerConfig.from(new Settings(env));
    assertThat(config.topic()).isEqualTo("audit.same");
    assertThat(config.ingressTopic()).isEqualTo("audit.other");
  }
}
