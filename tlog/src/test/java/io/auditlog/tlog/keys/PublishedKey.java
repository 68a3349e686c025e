package io.auditlog.tlog.keys;

import java.time.Instant;

/**
 * A signing key as {@code GET /audit/{tenant}/keys} lists it for one origin.
 *
 * @param vkey {@code <origin>+<key ID>+<base64(0x01 ‖ public key)>}
 * @param keyId the note key ID, 8 lower-case hex digits
 * @param algorithm always {@value #ED25519}
 * @param validUntil null while no rotation has ended the key
 */
public record PublishedKey(String vkey, String keyId, String algorithm, Instant validFrom, Instant validUntil) {

  public static final String ED25519 = "ed25519";
}
