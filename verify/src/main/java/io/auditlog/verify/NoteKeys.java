package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * C2SP signed-note key identities for Ed25519 (signature type 0x01): key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public
 * key), first 4 bytes, and the vkey {@code <name>+<key ID, 8 lower-case hex>+<base64(0x01 ‖ public key)>}.
 */
final class NoteKeys {

  static final byte ED25519 = 1;

  private NoteKeys() {
  }

  static byte[] keyId(String name, byte[] publicKey) {
    MessageDigest digest = TreeHash.sha256();
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    digest.update(ED25519);
    return Arrays.copyOf(digest.digest(publicKey), 4);
  }

  static String vkey(String name, byte[] publicKey) {
    byte[] keyData = new byte[1 + publicKey.length];
    keyData[0] = ED25519;
    System.arraycopy(publicKey, 0, keyData, 1, publicKey.length);
    return name + "+" + HexFormat.of().formatHex(keyId(name, publicKey)) + "+" + PaddedBase64.encode(keyData);
  }
}
