package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void clusterIdsAreKafkasFormAndNeverLookLikeAnOption() {
    for (int i = 0; i < 5_000; i++) {
      String id = KafkaBroker.clusterId();
      assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
    }
  }
}
