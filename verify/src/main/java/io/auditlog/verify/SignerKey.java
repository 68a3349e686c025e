package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;

/**
 * An Ed25519 key that signs notes under a name (the origin): the private key and the raw 32-byte public key.
 * {@link #vkey()} is what verifiers pin.
 */
public final class SignerKey {

  private final PrivateKey privateKey;
  private final VerifierKey verifierKey;

  /**
   * The key of the given name and pair.
   *
   * @throws IllegalArgumentException if the name is not a key name or the public key is not the private key's
   */
  public SignerKey(String name, PrivateKey privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.verifierKey = VerifierKey.of(name, publicKey);
    byte[] probe = ("key check for " + name).getBytes(StandardCharsets.UTF_8);
    if (!verifierKey.verifies(probe, sign(probe))) {
      throw new IllegalArgumentException("the public key is not the private key's");
    }
  }

  private SignerKey(PrivateKey privateKey, VerifierKey verifierKey) {
    this.privateKey = privateKey;
    this.verifierKey = verifierKey;
  }

  /**
   * The same key pair under another name, without deriving or checking the pair again (it was checked when this key
   * was made): how one stored pair signs for many origins.
   *
   * @throws IllegalArgumentException if the name is not a key name
   */
  public SignerKey named(String name) {
    return new SignerKey(privateKey, VerifierKey.of(name, verifierKey.publicKey()));
  }

  /** A new random key. */
  public static SignerKey generate(String name) {
    return of(name, Ed25519.generate());
  }

  /** The key whose 32-byte Ed25519 private key (the RFC 8032 seed) is given. */
  public static SignerKey fromSeed(String name, byte[] seed) {
    return of(name, Ed25519.fromSeed(seed));
  }

  private static SignerKey of(String name, KeyPair pair) {
    return new SignerKey(name, pair.getPrivate(), Ed25519.rawPublicKey(pair.getPublic()));
  }

  public String name() {
    return verifierKey.name();
  }

  /** The 32-byte Ed25519 private key (the RFC 8032 seed), to be stored sealed. */
  public byte[] seed() {
    return Ed25519.seed(privateKey);
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return verifierKey.publicKey();
  }

  /** The 4-byte key ID as 8 lower-case hex digits. */
  public String keyId() {
    return verifierKey.keyId();
  }

  public String vkey() {
    return verifierKey.vkey();
  }

  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /** The 64-byte Ed25519 signature of the message. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(privateKey, message);
  }

  @Override
  public String toString() {
    return "SignerKey[" + vkey() + "]";
  }
}
