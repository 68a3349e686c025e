package io.auditlog.verify;

import static io.auditlog.verify.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The 58-byte leaf entry of spec §2 and the project vector of §10. */
class LeafEntryTest {

  private static final UUID ID = UUID.fromString("017f22e2-79b0-7cc4-a1b2-c3d4e5f60718");

  @Test
  void theProjectVectorMatchesByteForByte() {
    byte[] jcs = ProjectVector.DOCUMENT.getBytes(StandardCharsets.UTF_8);
    assertThat(hex(LeafEntry.commitment(ProjectVector.salt(), jcs))).isEqualTo(ProjectVector.COMMITMENT);
    long nanos = Rfc3339Nanos.parse("2022-02-22T19:22:22.000000007Z");
    LeafEntry entry = LeafEntry.event(ID, nanos, ProjectVector.salt(), jcs);
    assertThat(hex(entry.bytes())).isEqualTo(ProjectVector.ENTRY);
    assertThat(hex(entry.leafHash())).isEqualTo(ProjectVector.LEAF);
    assertThat(LeafEntry.parse(entry.bytes())).isEqualTo(entry);
  }

  @Test
  void erasureEntriesHaveKindTwo() {
    LeafEntry entry = LeafEntry.erasure(ID, 5, ProjectVector.salt(), new byte[] {'{', '}'});
    assertThat(entry.bytes()[1]).isEqualTo((byte) 2);
    assertThat(LeafEntry.parse(entry.bytes()).kind()).isEqualTo(LeafEntry.Kind.ERASURE);
  }

  @Test
  void otherVersionsKindsLengthsAndTimesAreRejected() {
    byte[] entry = hex(ProjectVector.ENTRY);
    assertThatThrownBy(() -> LeafEntry.parse(java.util.Arrays.copyOf(entry, 57)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafEntry.parse(java.util.Arrays.copyOf(entry, 59)))
        .isInstanceOf(IllegalArgumentException.class);
    for (int version : new int[] {0, 2, 255}) {
      byte[] changed = entry.clone();
      changed[0] = (byte) version;
      assertThatThrownBy(() -> LeafEntry.parse(changed)).hasMessageContaining("version");
    }
    for (int kind : new int[] {0, 3, 255}) {
      byte[] changed = entry.clone();
      changed[1] = (byte) kind;
      assertThatThrownBy(() -> LeafEntry.parse(changed)).hasMessageContaining("kind");
    }
    byte[] negative = entry.clone();
    negative[18] = (byte) 0x80;
    assertThatThrownBy(() -> LeafEntry.parse(negative)).hasMessageContaining("1970");
  }

  @Test
  void saltsHaveSixteenBytes() {
    assertThatThrownBy(() -> LeafEntry.commitment(new byte[15], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timestampsHaveNineFractionDigitsAndZ() {
    assertThat(Rfc3339Nanos.parse("1970-01-01T00:00:00.000000000Z")).isZero();
    assertThat(Rfc3339Nanos.parse("2262-04-11T23:47:16.854775807Z")).isEqualTo(Long.MAX_VALUE);
    for (String bad : new String[] {"2022-02-22T19:22:22Z", "2022-02-22T19:22:22.00000007Z",
        "2022-02-22T19:22:22.000000007+00:00", "2022-02-30T19:22:22.000000007Z", "1969-12-31T23:59:59.999999999Z",
        "2262-04-11T23:47:16.854775808Z", "2022-02-22t19:22:22.000000007z", "2022-02-22T24:00:00.000000000Z"}) {
      assertThatThrownBy(() -> Rfc3339Nanos.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
