package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The compact id set agrees with a {@code HashSet} through many resizes. */
class UuidSetTest {

  @Test
  void itAgreesWithAHashSet() {
    Random random = new Random(58);
    UuidSet ids = new UuidSet();
    Set<UUID> reference = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      UUID id = i % 3 == 0 && !reference.isEmpty() ? new UUID(i % 97, i % 89) : new UUID(random.nextLong(),
          random.nextInt(1000));
      assertThat(ids.add(id)).as("add %s", id).isEqualTo(reference.add(id));
    }
  }

  @Test
  void theNilUuidCountsOnce() {
    UuidSet ids = new UuidSet();
    assertThat(ids.add(new UUID(0, 0))).isTrue();
    assertThat(ids.add(new UUID(0, 0))).isFalse();
    assertThat(ids.add(new UUID(0, 1))).isTrue();
    assertThat(ids.add(new UUID(0, 1))).isFalse();
  }
}
