package io.auditlog.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SecretStrengthTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return value;
  }

  @Test
  void whatTheUsualGeneratorsWriteIsAccepted() {
    for (int i = 0; i < 2_000; i++) {
      String openSslBase64 = Base64.getEncoder().encodeToString(random(32));
      String openSslHex = HexFormat.of().formatHex(random(32));
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random(36));
      assertThat(SecretStrength.problem(openSslBase64)).as(openSslBase64).isEmpty();
      assertThat(SecretStrength.problem(openSslHex)).as(openSslHex).isEmpty();
      assertThat(SecretStrength.problem(generated)).as(generated).isEmpty();
    }
  }

  @Test
  void oneDigitSomewhatCommonInARandomSecretIsAccepted() {
    // Written by openssl rand -hex 32: 17 of its 64 digits are "e", which more than a quarter once refused.
    assertThat(SecretStrength.problem("e00c7e6ecae7c116ec2758e6dea32e1ceaf543befec3e5ebd26e6777cc4ed5ee")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                                                 | must be set",
      "change-me                                                          | is a placeholder",
      "change-me-to-32-or-more-random-characters                          | is a placeholder",
      "CHANGE_ME_0f3a9c2b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3 | is a placeholder",
      "gateway-test-jwt-secret-0123456789abcdef                           | less than 256 bits",
      "0f3a9c2b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0   | less than 256 bits",
      "correcthorsebatterystaplecorrecthorsebattery                       | less than 256 bits",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   | repeats itself",
      "aaaaaaaaaaaaaaaaaaaaaa0123456789bcdef0123456789bcdef0123456789bc   | repeats itself",
      "xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!xQ7!                   | repeats itself",
      "Secret-1Secret-1Secret-1Secret-1Secret-1Secret-1                   | repeats itself"})
  void handWrittenSecretsAndPlaceholdersAreRefusedWithTheReason(String secret, String reason) {
    assertThat(SecretStrength.problem(secret)).hasValueSatisfying(problem -> assertThat(problem).contains(reason));
  }

  @Test
  void theEstimateCountsTheAlphabetOfTheClassesUsed() {
    assertThat(SecretStrength.estimatedBits("0123456789abcdef".repeat(4))).isEqualTo(256.0);
    assertThat(SecretStrength.estimatedBits("aB3".repeat(14) + "x")).isGreaterThan(256.0);
    assertThat(SecretStrength.estimatedBits("ab3".repeat(14) + "x")).isLessThan(256.0);
  }
}
