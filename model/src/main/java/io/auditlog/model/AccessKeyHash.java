package io.auditlog.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The lookup form of an access key (SHA-256, hex): the gateway and the ingest worker find accounts by it. */
public final class AccessKeyHash {

  private AccessKeyHash() {
  }

  public static String of(String key) {
    return sha256Hex(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
