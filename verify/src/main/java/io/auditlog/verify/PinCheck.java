package io.auditlog.verify;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Check 5 of §7, against the origin's pinned checkpoint of size M for an export of size N: equal sizes need equal
 * roots; a pinned size within the range needs the range's root at M; any other needs the header's consistency proof
 * between M and N. A contradiction is a fork: the note is saved beside the pin and the check fails. On success the
 * pin moves to N if N > M; the first use pins N.
 */
final class PinCheck {

  private final PinStore pins;
  private final ExportHeader header;
  private final Checkpoint checkpoint;

  PinCheck(PinStore pins, ExportHeader header, Checkpoint checkpoint) {
    this.pins = pins;
    this.header = header;
    this.checkpoint = checkpoint;
  }

  /**
   * Checks the export against the pin and returns what was done.
   *
   * @param rootAtPin the root at the pinned size computed from the range, or null if the range does not reach it
   * @throws VerificationException on a fork
   * @throws IllegalArgumentException if the export lacks the consistency proof it needs
   */
  String check(Optional<PinStore.Pin> pin, byte[] rootAtPin) {
    if (pin.isEmpty()) {
      Path file = pins.pin(header.origin(), header.checkpoint());
      return "first use: pinned size " + size(checkpoint.size()) + " in " + file;
    }
    Checkpoint pinned = pin.get().checkpoint();
    long m = pinned.size();
    long n = checkpoint.size();
    if (m == n) {
      requireSame("a different root at the same size", checkpoint.root(), pinned.root());
      return "size " + size(n) + " is the pinned checkpoint";
    }
    if (Long.compareUnsigned(header.fromSeq(), m) <= 0 && Long.compareUnsigned(m, header.toSeq()) <= 0) {
      requireSame("the range gives another root at the pinned size", rootAtPin, pinned.root());
    } else if (m == 0) {
      requireSame("the pinned empty tree has a root that is not the empty one", pinned.root(), TreeHash.empty());
    } else {
      requireConsistency(pinned);
    }
    if (Long.compareUnsigned(n, m) < 0) {
      return "size " + size(n) + " is an earlier state of the pinned size " + size(m) + "; the pin stays";
    }
    Path file = pins.pin(header.origin(), header.checkpoint());
    return "size " + size(n) + " extends the pinned size " + size(m) + "; pinned size " + size(n) + " in " + file;
  }

  private void requireConsistency(Checkpoint pinned) {
    long m = pinned.size();
    long n = checkpoint.size();
    boolean grown = Long.compareUnsigned(m, n) < 0;
    long from = grown ? m : n;
    long to = grown ? n : m;
    ExportHeader.Consistency proof = header.consistency()
        .filter(c -> c.from() == from && c.to() == to)
        .orElseThrow(() -> new IllegalArgumentException("the export has no consistency proof between the pinned "
            + "size " + size(m) + " and its size " + size(n) + ": export again with known_size=" + size(m)));
    try {
      Proofs.verifyConsistency(from, to, grown ? pinned.root() : checkpoint.root(),
          grown ? checkpoint.root() : pinned.root(), proof.hashes());
    } catch (VerificationException e) {
      throw fork(e.getMessage());
    }
  }

  private void requireSame(String failure, byte[] actual, byte[] expected) {
    if (!MessageDigest.isEqual(actual, expected)) {
      throw fork(failure);
    }
  }

  private VerificationException fork(String why) {
    Path saved = pins.saveFork(header.origin(), checkpoint.size(), header.checkpoint());
    return new VerificationException("FORK: the signed tree of size " + size(checkpoint.size())
        + " contradicts the pinned checkpoint (" + why + "); its note is saved in " + saved);
  }

  private static String size(long size) {
    return Long.toUnsignedString(size);
  }
}
