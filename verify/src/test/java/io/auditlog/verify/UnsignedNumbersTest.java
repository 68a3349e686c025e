package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes and seqs: decimal 0 to 2^64 − 1 in their one canonical spelling. */
class UnsignedNumbersTest {

  @Test
  void theWholeUnsignedRangeParses() {
    assertThat(UnsignedNumbers.parse("0")).isZero();
    assertThat(UnsignedNumbers.parse("7")).isEqualTo(7);
    assertThat(UnsignedNumbers.parse("9007199254740993")).isEqualTo(9007199254740993L);
    assertThat(UnsignedNumbers.parse("9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(UnsignedNumbers.parse("18446744073709551615")).isEqualTo(-1L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "+1", "01", "00", "1.5", "1.0", "1e3", "1E3", " 1", "1 ", "0x1", "١",
      "18446744073709551616", "99999999999999999999", "100000000000000000000"})
  void everythingElseIsRejected(String text) {
    assertThatThrownBy(() -> UnsignedNumbers.parse(text)).isInstanceOf(NumberFormatException.class);
  }
}
