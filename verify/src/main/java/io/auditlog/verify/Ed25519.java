package io.auditlog.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Pure Ed25519 (RFC 8032) through the JDK alone. Raw public keys are 32 bytes: the last 32 bytes of the X.509
 * encoding, which is that fixed prefix followed by them. A new {@link Signature} per call, since it is not
 * thread-safe.
 */
final class Ed25519 {

  static final int KEY_SIZE = 32;
  static final int SIGNATURE_SIZE = 64;
  private static final String ALGORITHM = "Ed25519";
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private Ed25519() {
  }

  /** A new random key pair. */
  static KeyPair generate() {
    return generator(new SecureRandom()).generateKeyPair();
  }

  /** The key pair of a 32-byte private key (the RFC 8032 seed). */
  static KeyPair fromSeed(byte[] seed) {
    if (seed.length != KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 private key has " + KEY_SIZE + " bytes, not " + seed.length);
    }
    return generator(new SeedRandom(seed)).generateKeyPair();
  }

  /** The 32-byte private key (the RFC 8032 seed). */
  static byte[] seed(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an Ed25519 private key with its bytes");
    }
    return edKey.getBytes().get();
  }

  static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - KEY_SIZE, encoded.length);
  }

  static PublicKey publicKey(byte[] raw) {
    if (raw.length != KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key has " + KEY_SIZE + " bytes, not " + raw.length);
    }
    byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_SIZE);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_SIZE);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
  }

  /** Whether the 64-byte signature of the message verifies; false for a malformed signature too. */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_SIZE) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyPairGenerator generator(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, random);
      return generator;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK from 15 on has Ed25519", e);
    }
  }

  /** Hands the key pair generator the given private key where it asks for random bytes. */
  private static final class SeedRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("asked for " + bytes.length + " random bytes, not a " + KEY_SIZE
            + "-byte seed");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
