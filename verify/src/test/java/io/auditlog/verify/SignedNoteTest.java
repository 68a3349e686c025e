package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys and notes (spec §4, §10, §12.3). */
class SignedNoteTest {

  private static final String BODY = "audit.example.com/audit/42\n1\nQnozBDMIkRPLMiCxFH/MiPRRnOJX5rWyZ5Uu/JVbokM=\n";

  private final SignerKey key = ProjectVector.key();
  private final VerifierKey known = VerifierKey.parse(ProjectVector.VKEY);

  @Test
  void theProjectKeyAndNoteMatchByteForByte() {
    assertThat(key.vkey()).isEqualTo(ProjectVector.VKEY);
    assertThat(key.keyId()).isEqualTo("56a4b7d6");
    assertThat(key.seed()).isEqualTo(Bytes.counting(32));
    Checkpoint checkpoint = new Checkpoint(ProjectVector.ORIGIN, 1, Bytes.hex(ProjectVector.LEAF));
    assertThat(checkpoint.body()).isEqualTo(BODY);
    assertThat(SignedNote.sign(checkpoint.body(), List.of(key))).isEqualTo(ProjectVector.NOTE);
  }

  @Test
  void theProjectNoteOpensWithThePinnedKey() {
    SignedNote.Opened opened = SignedNote.open(ProjectVector.NOTE, List.of(known));
    assertThat(opened.body()).isEqualTo(BODY);
    assertThat(opened.verifiedBy()).containsExactly(known);
    assertThat(Checkpoint.parse(opened.body()).size()).isEqualTo(1);
    assertThat(known.keyId()).isEqualTo("56a4b7d6");
    assertThat(known.name()).isEqualTo(ProjectVector.ORIGIN);
    assertThat(known.publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void unknownSignaturesAreIgnored() {
    SignerKey stranger = SignerKey.generate("someone.example/else");
    SignerKey sameName = SignerKey.generate(ProjectVector.ORIGIN);
    String note = SignedNote.sign(BODY, List.of(stranger, key, sameName));
    assertThat(SignedNote.open(note, List.of(known)).verifiedBy()).containsExactly(known);
    assertThat(SignedNote.open(note, List.of(known, sameName.verifierKey())).verifiedBy())
        .containsExactly(known, sameName.verifierKey());
  }

  @Test
  void aNoteWithoutAKnownSignatureIsRejected() {
    String note = SignedNote.sign(BODY, List.of(SignerKey.generate(ProjectVector.ORIGIN)));
    assertThatThrownBy(() -> SignedNote.open(note, List.of(known))).isInstanceOf(VerificationException.class)
        .hasMessageContaining("no signature by a known key");
  }

  @Test
  void aKnownKeysBadSignatureRejectsTheNote() {
    String alteredBody = ProjectVector.NOTE.replace("\n1\n", "\n2\n");
    assertThatThrownBy(() -> SignedNote.open(alteredBody, List.of(known))).hasMessageContaining("does not verify");
    byte[] payload = PaddedBase64.decode(signatureOf(ProjectVector.NOTE));
    String forged = ProjectVector.NOTE + "\u2014 " + ProjectVector.ORIGIN + " "
        + PaddedBase64.encode(Bytes.flipBit(payload, 8 * payload.length - 1)) + "\n";
    assertThatThrownBy(() -> SignedNote.open(forged, List.of(known))).isInstanceOf(VerificationException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aSignedBlankLineDoesNotVerify() {
    String note = BODY + "\n\u2014 " + ProjectVector.ORIGIN + " " + signatureOver(BODY + "\n") + "\n";
    assertThatThrownBy(() -> SignedNote.open(note, List.of(known))).hasMessageContaining("does not verify");
  }

  @Test
  void c1ControlCharactersAreRejectedInTheTextAndInSignatureLines() {
    for (char control : new char[] {'\u007f', '\u0085', '\u009f'}) {
      String code = String.format("U+%04X", (int) control);
      String body = BODY.replace("audit/42\n", "audit/42" + control + "\n");
      String inBody = body + "\n\u2014 " + ProjectVector.ORIGIN + " " + signatureOver(body) + "\n";
      assertThatThrownBy(() -> SignedNote.open(inBody, List.of(known))).as(code)
          .isInstanceOf(VerificationException.class).hasMessageContaining(code);
      String inSignatureLine = ProjectVector.NOTE + "\u2014 someone" + control + "else "
          + PaddedBase64.encode(new byte[68]) + "\n";
      assertThatThrownBy(() -> SignedNote.open(inSignatureLine, List.of(known))).as(code)
          .isInstanceOf(VerificationException.class).hasMessageContaining(code);
    }
  }

  /** The signature payload of the project key over any text, checked or not. */
  private String signatureOver(String text) {
    byte[] signature = key.sign(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] payload = java.util.Arrays.copyOf(Bytes.hex(key.keyId()), 68);
    System.arraycopy(signature, 0, payload, 4, 64);
    return PaddedBase64.encode(payload);
  }

  private static String signatureOf(String note) {
    return note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
  }

  @Test
  void malformedNotesAreRejected() {
    String note = ProjectVector.NOTE;
    List<String> malformed = List.of(
        note.replace("\u2014", "-"),
        note.replace("\u2014", "\u2013"),
        note.replace("\u2014 ", "\u2014"),
        note.substring(0, note.length() - 1),
        note.replace("\n", "\r\n"),
        note.replace("\n\n", "\n\r\n"),
        note.replace("audit/42\n1", "audit/42\u0000\n1"),
        note.replace("\t", "").replace("QnozBD", "Qnoz\tBD"),
        note.replace("zA8=\n", "zA8\n"),
        note.replace("\n\n\u2014", "\n\u2014"),
        note.replace("\n\n\u2014", "\n\n\n\u2014"),
        note + "\n",
        note + "\u2014 " + ProjectVector.ORIGIN + "\n",
        BODY,
        "");
    for (String text : malformed) {
      assertThatThrownBy(() -> SignedNote.open(text, List.of(known))).as(text)
          .isInstanceOf(VerificationException.class);
    }
  }

  @Test
  void vkeysAreReadStrictly() {
    String vkey = ProjectVector.VKEY;
    assertThat(VerifierKey.parse(vkey).vkey()).isEqualTo(vkey);
    List<String> malformed = List.of(
        vkey.replace("+56a4b7d6+", "+56A4B7D6+"),
        vkey.replace("+56a4b7d6+", "+56a4b7d7+"),
        vkey.replace("+56a4b7d6+", "+56a4b7d+"),
        vkey.substring(0, vkey.length() - 1),
        vkey.replace("+AQOh", "+AgOh"),
        vkey + "+extra",
        "audit example+56a4b7d6+" + vkey.substring(vkey.lastIndexOf('+') + 1),
        "+56a4b7d6+" + vkey.substring(vkey.lastIndexOf('+') + 1),
        "");
    for (String text : malformed) {
      assertThatThrownBy(() -> VerifierKey.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void checkpointsAreReadStrictly() {
    assertThat(Checkpoint.parse(BODY).body()).isEqualTo(BODY);
    String largest = "o\n18446744073709551615\n" + BODY.substring(BODY.indexOf("Qnoz"));
    assertThat(Checkpoint.parse(largest).size()).isEqualTo(-1L);
    List<String> malformed = List.of(
        BODY.substring(0, BODY.length() - 1),
        BODY + "extension\n",
        BODY.replace("\n1\n", "\n01\n"),
        BODY.replace("\n1\n", "\n-1\n"),
        BODY.replace("\n1\n", "\n\n"),
        BODY.replace("okM=", "okM"),
        BODY.replace("okM=", "ok=="),
        BODY.replace("\n1\n", "\r\n1\n"),
        "\n1\n" + BODY.substring(BODY.indexOf("Qnoz")));
    for (String text : malformed) {
      assertThatThrownBy(() -> Checkpoint.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void signingNeedsAValidTextAndAKey() {
    assertThatThrownBy(() -> SignedNote.sign("no final LF", List.of(key))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.sign("a\rb\n", List.of(key))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.sign(BODY, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignerKey.generate("has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignerKey.generate("has+plus")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignerKeyNeedsAMatchingPair() {
    SignerKey other = SignerKey.generate(ProjectVector.ORIGIN);
    assertThatThrownBy(() -> new SignerKey(ProjectVector.ORIGIN, java.security.KeyPairGenerator.getInstance("Ed25519")
        .generateKeyPair().getPrivate(), other.publicKey())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyRenamedSignsAsTheSameKeyMadeUnderThatName() {
    SignerKey renamed = SignerKey.fromSeed("another.example/name", Bytes.counting(32)).named(ProjectVector.ORIGIN);
    assertThat(renamed.vkey()).isEqualTo(ProjectVector.VKEY);
    Checkpoint checkpoint = new Checkpoint(ProjectVector.ORIGIN, 1, Bytes.hex(ProjectVector.LEAF));
    assertThat(SignedNote.sign(checkpoint.body(), List.of(renamed))).isEqualTo(ProjectVector.NOTE);
    assertThatThrownBy(() -> key.named("has space")).isInstanceOf(IllegalArgumentException.class);
  }
}
