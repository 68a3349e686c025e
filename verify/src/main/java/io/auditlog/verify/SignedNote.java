package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * C2SP signed notes with Ed25519: the text, a blank line, and one line per signature,
 * {@code — <key name> <base64(4-byte key ID ‖ 64-byte signature)>}, the dash being U+2014. Every line ends in LF.
 */
public final class SignedNote {

  /** The most signature lines a note may have. */
  public static final int MAX_SIGNATURES = 100;
  private static final String SIGNATURE_PREFIX = "\u2014 ";

  /** A note whose text at least one known key signed. */
  public record Opened(String body, List<VerifierKey> verifiedBy) {

    public Opened {
      verifiedBy = List.copyOf(verifiedBy);
    }
  }

  private SignedNote() {
  }

  /** The note of the body signed by each key in turn. */
  public static String sign(String body, List<SignerKey> keys) {
    requireBody(body);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a note needs at least one signature");
    }
    byte[] message = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder note = new StringBuilder(body).append('\n');
    for (SignerKey key : keys) {
      byte[] keyId = NoteKeys.keyId(key.name(), key.publicKey());
      byte[] signature = key.sign(message);
      byte[] payload = Arrays.copyOf(keyId, keyId.length + signature.length);
      System.arraycopy(signature, 0, payload, keyId.length, signature.length);
      note.append(SIGNATURE_PREFIX).append(key.name()).append(' ').append(PaddedBase64.encode(payload)).append('\n');
    }
    return note.toString();
  }

  /**
   * Opens a note: signatures by unknown (name, key ID) pairs are ignored, each signature by a known key must verify,
   * and at least one must.
   *
   * @throws VerificationException if the note is malformed, a known key's signature fails, or none verifies
   */
  public static Opened open(String note, List<VerifierKey> known) {
    String body = bodyOf(note);
    byte[] message = body.getBytes(StandardCharsets.UTF_8);
    String[] lines = note.substring(body.length() + 1, note.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new VerificationException("the note has more than " + MAX_SIGNATURES + " signatures");
    }
    List<VerifierKey> verified = new ArrayList<>();
    for (String line : lines) {
      Signed signed = signatureLine(line);
      for (VerifierKey key : known) {
        if (key.identifies(signed.name, signed.keyId)) {
          if (!key.verifies(message, signed.signature)) {
            throw new VerificationException("the signature by " + key.name() + "+" + key.keyId()
                + " does not verify");
          }
          if (!verified.contains(key)) {
            verified.add(key);
          }
        }
      }
    }
    if (verified.isEmpty()) {
      throw new VerificationException("no signature by a known key");
    }
    return new Opened(body, verified);
  }

  /**
   * The text of a well-formed note, without checking any signature: for notes that were verified before, such as a
   * pinned one.
   *
   * @throws VerificationException if the note is malformed
   */
  public static String bodyOf(String note) {
    try {
      NoteText.requireText("the note", note);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(e.getMessage());
    }
    if (!note.endsWith("\n")) {
      throw new VerificationException("the note does not end in LF");
    }
    int blank = note.lastIndexOf("\n\n");
    if (blank < 0 || blank + 2 == note.length()) {
      throw new VerificationException("the note has no blank line followed by signatures");
    }
    return note.substring(0, blank + 1);
  }

  private record Signed(String name, byte[] keyId, byte[] signature) {
  }

  private static Signed signatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new VerificationException("a signature line starts with an em dash (U+2014) and a space: \""
          + line + "\"");
    }
    String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
    if (parts.length != 2) {
      throw new VerificationException("a signature line is the dash, a key name and a signature: \"" + line + "\"");
    }
    byte[] payload;
    try {
      NoteText.requireKeyName(parts[0]);
      payload = PaddedBase64.decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new VerificationException("a malformed signature line: " + e.getMessage());
    }
    if (payload.length < 5) {
      throw new VerificationException("a signature is a 4-byte key ID and at least one byte");
    }
    return new Signed(parts[0], Arrays.copyOf(payload, 4), Arrays.copyOfRange(payload, 4, payload.length));
  }

  private static void requireBody(String body) {
    NoteText.requireText("the note text", body);
    if (body.isEmpty() || !body.endsWith("\n")) {
      throw new IllegalArgumentException("a note text ends in LF");
    }
  }
}
