package io.auditlog.verify;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public key that verifies note signatures: a name (the origin) and an Ed25519 public key, written as the vkey
 * {@code <name>+<key ID, 8 lower-case hex>+<base64(0x01 ‖ public key)>}. Pin it out of band.
 */
public final class VerifierKey {

  private final String name;
  private final byte[] publicKey;
  private final byte[] keyId;
  private final PublicKey key;

  private VerifierKey(String name, byte[] publicKey) {
    NoteText.requireKeyName(name);
    this.name = name;
    this.publicKey = publicKey.clone();
    this.keyId = NoteKeys.keyId(name, publicKey);
    this.key = Ed25519.publicKey(publicKey);
  }

  /** The key of the given name and raw 32-byte Ed25519 public key. */
  public static VerifierKey of(String name, byte[] publicKey) {
    return new VerifierKey(name, publicKey);
  }

  /**
   * Reads a vkey, checking that its key ID is the one its name and key give.
   *
   * @throws IllegalArgumentException if it is malformed, not Ed25519, or its key ID does not match
   */
  public static VerifierKey parse(String vkey) {
    String[] parts = vkey.split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("a vkey is <name>+<key ID>+<key>: \"" + vkey + "\"");
    }
    if (!parts[1].matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("a vkey's key ID is 8 lower-case hex digits: \"" + parts[1] + "\"");
    }
    byte[] keyData = PaddedBase64.decode(parts[2]);
    if (keyData.length != 1 + Ed25519.KEY_SIZE || keyData[0] != NoteKeys.ED25519) {
      throw new IllegalArgumentException("a vkey's key is 0x01 followed by a 32-byte Ed25519 public key");
    }
    VerifierKey key = new VerifierKey(parts[0], Arrays.copyOfRange(keyData, 1, keyData.length));
    if (!key.keyId().equals(parts[1])) {
      throw new IllegalArgumentException("the vkey's key ID " + parts[1] + " is not its key's, " + key.keyId());
    }
    return key;
  }

  public String name() {
    return name;
  }

  /** The 4-byte key ID as 8 lower-case hex digits. */
  public String keyId() {
    return HexFormat.of().formatHex(keyId);
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String vkey() {
    return NoteKeys.vkey(name, publicKey);
  }

  /** Whether a signature line with this name and key ID belongs to this key. */
  boolean identifies(String signatureName, byte[] signatureKeyId) {
    return name.equals(signatureName) && Arrays.equals(keyId, signatureKeyId);
  }

  boolean verifies(byte[] message, byte[] signature) {
    return Ed25519.verify(key, message, signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifierKey that && name.equals(that.name) && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return vkey();
  }
}
