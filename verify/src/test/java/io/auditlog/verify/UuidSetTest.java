package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The compact id set agrees with a {@code HashSet} through many resizes, and ids chosen to share one slot under a
 * fixed mixing function spread like any others.
 */
class UuidSetTest {

  private static final int IDS = 100_000;

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
  void idsChosenToCollideUnderAFixedMixTakeFewProbes() {
    Random random = new Random(59);
    UuidSet colliding = new UuidSet();
    UuidSet unrelated = new UuidSet();
    for (int i = 0; i < IDS; i++) {
      long low = random.nextLong();
      // high ^ rotl(low, 32) is the same for all: one slot under any mix of that value.
      assertThat(colliding.add(new UUID(0x5EED ^ Long.rotateLeft(low, 32), low))).isTrue();
      assertThat(unrelated.add(new UUID(random.nextLong(), random.nextLong()))).isTrue();
    }
    // About 3.3 slots an id, resizes included, for any ids; ids sharing one slot would take IDS / 2.
    assertThat((double) unrelated.probes() / IDS).isLessThan(5);
    assertThat((double) colliding.probes() / IDS).isLessThan(5);
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
