package io.auditlog.verify;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte helpers for tests: hex, and copies of proofs with one thing changed. */
final class Bytes {

  private Bytes() {
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** 00 01 02 … of the given length. */
  static byte[] counting(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  static byte[] flipBit(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[bit / 8] ^= (byte) (1 << bit % 8);
    return copy;
  }

  static List<byte[]> withFlippedBit(List<byte[]> hashes, int index, int bit) {
    List<byte[]> copy = new ArrayList<>(hashes);
    copy.set(index, flipBit(hashes.get(index), bit));
    return copy;
  }

  static List<byte[]> withAdded(List<byte[]> hashes, int index, byte[] hash) {
    List<byte[]> copy = new ArrayList<>(hashes);
    copy.add(index, hash);
    return copy;
  }

  static List<byte[]> withRemoved(List<byte[]> hashes, int index) {
    List<byte[]> copy = new ArrayList<>(hashes);
    copy.remove(index);
    return copy;
  }
}
