package io.auditlog.verify;

import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The leaves of an export, line by line (§7 check 2): each seq in its place, each entry rebuilt from its document
 * and salt, no id twice, no redacted erasure record, and each erasure proof verified against the signed root. The
 * leaf hashes go onto the range stack, which also yields the root at one chosen size within the range.
 */
final class ExportedLeaves {

  private final ExportHeader header;
  private final Checkpoint checkpoint;
  private final OptionalLong rootWanted;
  private final RangeStack stack = new RangeStack();
  private final UuidSet ids = new UuidSet();
  private final Redactions redactions = new Redactions();
  private long next;
  private long events;
  private long records;
  private long redacted;
  private long proofs;
  private long inexactIntegers;
  private String firstInexact;
  private byte[] rootAtWanted;

  /** Starts after the left compact range; {@code rootWanted} is a size whose root to keep, if in the range. */
  ExportedLeaves(ExportHeader header, Checkpoint checkpoint, OptionalLong rootWanted) {
    this.header = header;
    this.checkpoint = checkpoint;
    this.rootWanted = rootWanted;
    this.next = header.fromSeq();
    stack.pushRange("left", 0, header.fromSeq(), header.left());
    keepRootIfWanted();
  }

  /** Whether every seq of the range has had its line. */
  boolean rangeComplete() {
    return next == header.toSeq();
  }

  /** One line of type event, erasure or redacted, for seq {@link #next}. */
  void acceptSeqLine(String type, Fields line) {
    long seq = line.unsigned("seq");
    if (seq != next) {
      throw new VerificationException(line.where() + ": seq " + Long.toUnsignedString(seq) + " where seq "
          + Long.toUnsignedString(next) + " belongs");
    }
    line.requireOnly(LineKeys.of(type), "the " + type + " line of seq " + Long.toUnsignedString(seq));
    LeafEntry entry = switch (type) {
      case "event" -> {
        events++;
        yield rebuild(LeafEntry.Kind.EVENT, seq, line.object("event"), line);
      }
      case "erasure" -> {
        records++;
        LeafEntry record = rebuild(LeafEntry.Kind.ERASURE, seq, line.object("record"), line);
        redactions.record(seq, line.object("record"));
        yield record;
      }
      case "redacted" -> {
        redacted++;
        yield redactedEntry(seq, line);
      }
      default -> throw new IllegalArgumentException(line.where() + ": unknown line type \"" + type + "\"");
    };
    requireNewId(entry, line);
    stack.push(0, seq, entry.leafHash());
    next++;
    keepRootIfWanted();
  }

  /** An erasure record beyond the range with its inclusion proof at the tree size. */
  void acceptErasureProof(Fields line) {
    long seq = line.unsigned("seq");
    if (Long.compareUnsigned(seq, header.toSeq()) < 0) {
      throw new VerificationException(line.where() + ": an erasure proof for seq " + Long.toUnsignedString(seq)
          + ", which is inside the range");
    }
    line.requireOnly(LineKeys.of("erasure_proof"), "the erasure proof of seq " + Long.toUnsignedString(seq));
    Fields record = line.object("record");
    LeafEntry entry = rebuild(LeafEntry.Kind.ERASURE, seq, record, line);
    requireNewId(entry, line);
    try {
      Proofs.verifyInclusion(seq, checkpoint.size(), entry.leafHash(), line.hashes("hashes"), checkpoint.root());
    } catch (VerificationException e) {
      throw new VerificationException(line.where() + ": the erasure record at seq " + Long.toUnsignedString(seq)
          + " is not in the signed tree: " + e.getMessage());
    }
    redactions.record(seq, record);
    proofs++;
  }

  /** The root of the whole tree from the left range, the leaves and the right range (§6 range check). */
  byte[] treeRoot() {
    stack.pushRange("right", header.toSeq(), header.treeSize(), header.right());
    return stack.root();
  }

  /** The root at the wanted size, if the range reached it. */
  byte[] rootAtWanted() {
    return rootAtWanted;
  }

  Redactions redactions() {
    return redactions;
  }

  /** Events and erasure records with their bodies. */
  long present() {
    return events + records;
  }

  String summary() {
    if (header.count() == 0) {
      return "an empty range at seq " + Long.toUnsignedString(header.fromSeq());
    }
    return "seq " + Long.toUnsignedString(header.fromSeq()) + " to " + Long.toUnsignedString(header.toSeq() - 1)
        + ": " + events + " events, " + records + " erasure records, " + redacted + " redacted; " + proofs
        + " erasure proofs" + (inexactIntegers == 0 ? "" : "; note: " + inexactIntegers + " integers beyond 2^53 are "
        + "committed only as their nearest double (first: " + firstInexact + ")");
  }

  private void keepRootIfWanted() {
    if (rootWanted.isPresent() && rootWanted.getAsLong() == next) {
      rootAtWanted = stack.root();
    }
  }

  private LeafEntry rebuild(LeafEntry.Kind kind, long seq, Fields document, Fields line) {
    List<String> inexact = ExactIntegers.inexact(document.map());
    if (!inexact.isEmpty()) {
      inexactIntegers += inexact.size();
      firstInexact = firstInexact != null ? firstInexact
          : inexact.get(0) + " at " + line.where() + " (seq " + Long.toUnsignedString(seq) + ")";
    }
    byte[] salt = line.base64("salt");
    try {
      UUID id = UuidText.parse(document.string("id"));
      long timestamp = Rfc3339Nanos.parse(document.string("timestamp"));
      return new LeafEntry(kind, id, timestamp, LeafEntry.commitment(salt, Jcs.canonicalBytes(document.map())));
    } catch (IllegalArgumentException e) {
      throw new VerificationException(line.where() + ": no entry can be rebuilt: " + e.getMessage());
    }
  }

  private LeafEntry redactedEntry(long seq, Fields line) {
    LeafEntry entry;
    try {
      entry = LeafEntry.parse(line.base64("entry"));
    } catch (IllegalArgumentException e) {
      throw new VerificationException(line.where() + ": " + e.getMessage());
    }
    if (entry.kind() != LeafEntry.Kind.EVENT) {
      throw new VerificationException(line.where() + ": seq " + Long.toUnsignedString(seq)
          + " is a redacted erasure record, and records are never erased");
    }
    redactions.redacted(seq, entry);
    return entry;
  }

  private void requireNewId(LeafEntry entry, Fields line) {
    if (!ids.add(entry.id())) {
      throw new VerificationException(line.where() + ": the id " + entry.id() + " appears twice");
    }
  }
}
