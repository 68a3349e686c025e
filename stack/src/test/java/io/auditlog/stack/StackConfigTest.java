package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  private static final Path ROOT = Path.of("/srv/auditlog");

  @Test
  void theWorkersHeapIs384MibUnlessSet() {
    assertThat(StackConfig.from(Map.of(), ROOT).workerHeapMib()).isEqualTo(384);
    assertThat(StackConfig.from(Map.of("AUDIT_WORKER_HEAP_MB", "768"), ROOT).workerHeapMib()).isEqualTo(768);
  }

  @Test
  void aHeapTooSmallOrNotANumberIsRefusedByName() {
    assertThatThrownBy(() -> StackConfig.from(Map.of("AUDIT_WORKER_HEAP_MB", "64"), ROOT))
        .hasMessage("AUDIT_WORKER_HEAP_MB=64 is not valid: expected 128 to 65536");
    assertThatThrownBy(() -> StackConfig.from(Map.of("AUDIT_WORKER_HEAP_MB", "1g"), ROOT))
        .hasMessageStartingWith("AUDIT_WORKER_HEAP_MB=1g is not valid");
  }
}
