package io.auditlog.verify;

import java.security.SecureRandom;

/**
 * SipHash-1-3 of 16 bytes, given as two longs read little-endian: a keyed hash whose outputs nobody without the key
 * can steer, so ids cannot be chosen to pile up in one slot of a hash table.
 */
final class SipHash {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final long k0;
  private final long k1;

  SipHash(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  /** A hash under a key drawn for it alone. */
  static SipHash withRandomKey() {
    return new SipHash(RANDOM.nextLong(), RANDOM.nextLong());
  }

  /** The hash of the 16 bytes m0 ‖ m1, each little-endian. */
  long hash(long m0, long m1) {
    State state = new State(k0, k1);
    state.compress(m0);
    state.compress(m1);
    state.compress(16L << 56);
    return state.finish();
  }

  /** The four words of SipHash and its round. */
  private static final class State {
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    State(long k0, long k1) {
      v0 = k0 ^ 0x736f6d6570736575L;
      v1 = k1 ^ 0x646f72616e646f6dL;
      v2 = k0 ^ 0x6c7967656e657261L;
      v3 = k1 ^ 0x7465646279746573L;
    }

    void compress(long m) {
      v3 ^= m;
      round();
      v0 ^= m;
    }

    long finish() {
      v2 ^= 0xff;
      round();
      round();
      round();
      return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
  }
}
