package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * SipHash-1-3 against CPython's, which hashes bytes with it (under the zero key when PYTHONHASHSEED=0), and against a
 * keyed value of the same algorithm.
 */
class SipHashTest {

  private static final long BYTES_00_TO_07 = 0x0706050403020100L;
  private static final long BYTES_08_TO_0F = 0x0f0e0d0c0b0a0908L;

  @Test
  void itMatchesCpythonUnderTheZeroKey() {
    SipHash zero = new SipHash(0, 0);
    assertThat(zero.hash(BYTES_00_TO_07, BYTES_08_TO_0F)).isEqualTo(-8542738587087157833L);
    assertThat(zero.hash(0, 0)).isEqualTo(8556445246977061536L);
    assertThat(zero.hash(-1, -1)).isEqualTo(3819785013809161115L);
  }

  @Test
  void theKeyChangesEveryOutput() {
    SipHash keyed = new SipHash(BYTES_00_TO_07, BYTES_08_TO_0F);
    assertThat(keyed.hash(BYTES_00_TO_07, BYTES_08_TO_0F)).isEqualTo(0xcc4fdd1a7d908b66L);
    assertThat(SipHash.withRandomKey().hash(0, 0)).isNotEqualTo(SipHash.withRandomKey().hash(0, 0));
  }
}
