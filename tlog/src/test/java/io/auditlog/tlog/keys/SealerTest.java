package io.auditlog.tlog.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SealerTest {

  private static final String SECRET = "kq3Vd0bq7m0yq2o3P1x9bT4sWc8nZr6uLh5eJa2fGi7Y";
  private static final byte[] KEY = HexFormat.of().parseHex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  @Test
  void opensWhatItSealed() {
    Sealer sealer = new Sealer(SECRET);
    byte[] sealed = sealer.seal(KEY, "ed25519/ed25519:00");

    assertThat(new Sealer(SECRET).open(sealed, "ed25519/ed25519:00")).isEqualTo(KEY);
    assertThat(sealed).hasSize(1 + 12 + KEY.length + 16);
    assertThat(HexFormat.of().formatHex(sealed)).doesNotContain(HexFormat.of().formatHex(KEY));
  }

  @Test
  void drawsANewNonceEachTime() {
    Sealer sealer = new Sealer(SECRET);

    assertThat(sealer.seal(KEY, "salt/salt:00")).isNotEqualTo(sealer.seal(KEY, "salt/salt:00"));
  }

  @Test
  void anotherSecretFailsClearlyWithoutShowingEitherSecret() {
    byte[] sealed = new Sealer(SECRET).seal(KEY, "salt/salt:00");
    String other = SECRET.replace('k', 'K');

    assertThatThrownBy(() -> new Sealer(other).open(sealed, "salt/salt:00"))
        .isInstanceOf(WrongSecretException.class)
        .hasMessageContaining("salt/salt:00")
        .hasMessageContaining("AUDIT_TLOG_SECRET differs")
        .message().doesNotContain(SECRET).doesNotContain(other);
  }

  @Test
  void aValueOpensOnlyUnderItsOwnName() {
    byte[] sealed = new Sealer(SECRET).seal(KEY, "salt/salt:00");

    assertThatThrownBy(() -> new Sealer(SECRET).open(sealed, "ed25519/ed25519:00"))
        .isInstanceOf(WrongSecretException.class);
  }

  @Test
  void anAlteredValueDoesNotOpen() {
    Sealer sealer = new Sealer(SECRET);
    byte[] sealed = sealer.seal(KEY, "salt/salt:00");
    sealed[20] ^= 1;

    assertThatThrownBy(() -> sealer.open(sealed, "salt/salt:00")).isInstanceOf(WrongSecretException.class);
    assertThatThrownBy(() -> sealer.open(new byte[10], "salt/salt:00")).isInstanceOf(WrongSecretException.class)
        .hasMessageContaining("not a sealed value");
  }

  @Test
  void refusesABlankSecret() {
    assertThatThrownBy(() -> new Sealer(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AUDIT_TLOG_SECRET must be set");
  }

  /** RFC 5869 A.1, whose first 32 bytes of output are the one block this derivation takes. */
  @Test
  void derivesKeysAsRfc5869Does() {
    HexFormat hex = HexFormat.of();
    byte[] okm = Sealer.hkdfSha256(hex.parseHex("000102030405060708090a0b0c"),
        hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"));

    assertThat(hex.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
  }

  /** Sealed once with this format, salt and info: what is stored must keep opening. */
  @Test
  void opensAValueSealedEarlier() {
    byte[] sealed = HexFormat.of().parseHex("01c7fc1d3f8785286941940d894597180c19b62ecece6995f362ec12c1899f4e9d0412cd"
        + "5ef4e9bd317af34d7c766023d88298e5e47d8c89016a372c17");

    assertThat(new Sealer(SECRET).open(sealed, "salt/salt:00")).isEqualTo(KEY);
  }
}
