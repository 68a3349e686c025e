package io.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The offline verifier of exports (§7). It reads an export once, gzipped or not, and runs its checks in order:
 * the signature of the checkpoint by a pinned key, the lines, the range check, the redactions, and the pin of the
 * origin's last verified checkpoint. A check that does not pass ends the run.
 */
public final class ExportVerifier {

  static final List<String> CHECKS = List.of("signature", "lines", "range", "redactions", "pin");
  private static final Set<String> SEQ_TYPES = Set.of("event", "erasure", "redacted");

  private final List<VerifierKey> keys;
  private final Optional<PinStore> pins;

  private ExportVerifier(List<VerifierKey> keys, Optional<PinStore> pins) {
    this.keys = List.copyOf(keys);
    this.pins = pins;
  }

  /** A verifier that checks exports against the pins of the store and moves them forward. */
  public static ExportVerifier withPins(List<VerifierKey> keys, PinStore pins) {
    return new ExportVerifier(keys, Optional.of(pins));
  }

  /** A verifier that keeps no state: each export is checked on its own. */
  public static ExportVerifier withoutPins(List<VerifierKey> keys) {
    return new ExportVerifier(keys, Optional.empty());
  }

  public VerificationResult verify(InputStream input) {
    CheckList checks = new CheckList(CHECKS);
    try (ExportLines lines = ExportLines.open(input)) {
      return run(lines, checks);
    } catch (VerificationException | DuplicateKeyException e) {
      return checks.fail(e.getMessage());
    } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
      return checks.error(e.getMessage());
    }
  }

  private VerificationResult run(ExportLines lines, CheckList checks) throws IOException {
    ExportLines.Line first = lines.next();
    if (first == null) {
      throw new IllegalArgumentException("the input is empty");
    }
    ExportHeader header = ExportHeader.parse(parse(first));
    Checkpoint checkpoint = openCheckpoint(header);
    checks.pass(header.origin() + " at size " + Long.toUnsignedString(checkpoint.size()) + ", root "
        + PaddedBase64.encode(checkpoint.root()));

    Optional<PinStore.Pin> pin = pins.flatMap(store -> store.load(header.origin()));
    ExportedLeaves leaves = new ExportedLeaves(header, checkpoint,
        pin.map(p -> OptionalLong.of(p.checkpoint().size())).orElse(OptionalLong.empty()));
    readLeaves(lines, header, leaves);
    checks.pass(leaves.summary());

    String range = "[" + Long.toUnsignedString(header.fromSeq()) + ", " + Long.toUnsignedString(header.toSeq())
        + ") of " + Long.toUnsignedString(header.treeSize());
    if (!MessageDigest.isEqual(leaves.treeRoot(), checkpoint.root())) {
      throw new VerificationException(range + " with the compact ranges around it does not give the signed root");
    }
    checks.pass(range + " gives the signed root: complete, ordered, unaltered");

    checks.pass(checkRedactions(leaves, checks));
    if (pins.isEmpty()) {
      checks.skip("no state kept (--no-state)");
    } else {
      checks.pass(new PinCheck(pins.get(), header, checkpoint).check(pin, leaves.rootAtWanted()));
    }
    return checks.finish();
  }

  private static String checkRedactions(ExportedLeaves leaves, CheckList checks) {
    Redactions.Outcome outcome = leaves.redactions().outcome();
    List<Long> missing = outcome.missing();
    checks.counts(new VerificationResult.Counts(leaves.present(), outcome.redacted(), missing.size()));
    String counts = "present " + leaves.present() + ", redacted " + outcome.redacted() + ", missing "
        + missing.size();
    if (!missing.isEmpty()) {
      throw new VerificationException(counts + "; MISSING without an erasure record: seq " + listed(missing));
    }
    return counts;
  }

  private Checkpoint openCheckpoint(ExportHeader header) {
    List<VerifierKey> named = keys.stream().filter(key -> key.name().equals(header.origin())).toList();
    if (named.isEmpty()) {
      throw new VerificationException("no given vkey is named " + header.origin() + ", the export's origin");
    }
    SignedNote.Opened opened = SignedNote.open(header.checkpoint(), named);
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(opened.body());
    } catch (IllegalArgumentException e) {
      throw new VerificationException("the signed note is not a checkpoint: " + e.getMessage());
    }
    if (!checkpoint.origin().equals(header.origin())) {
      throw new VerificationException("the checkpoint is for " + checkpoint.origin() + ", not " + header.origin());
    }
    if (checkpoint.size() != header.treeSize()) {
      throw new VerificationException("the header's tree_size " + Long.toUnsignedString(header.treeSize())
          + " is not the checkpoint's size " + Long.toUnsignedString(checkpoint.size()));
    }
    if (Long.compareUnsigned(header.fromSeq(), header.toSeq()) > 0
        || Long.compareUnsigned(header.toSeq(), header.treeSize()) > 0) {
      throw new VerificationException("the range [" + Long.toUnsignedString(header.fromSeq()) + ", "
          + Long.toUnsignedString(header.toSeq()) + ") does not fit the tree");
    }
    return checkpoint;
  }

  private static void readLeaves(ExportLines lines, ExportHeader header, ExportedLeaves leaves) throws IOException {
    while (true) {
      ExportLines.Line next = lines.next();
      if (next == null) {
        throw new VerificationException("the export ends without its end line: it is truncated");
      }
      Fields line = parse(next);
      String type = line.string("type");
      if (type.equals("end")) {
        checkEnd(line, header, leaves);
        ExportLines.Line after = lines.next();
        if (after != null) {
          throw new VerificationException("line " + after.number() + " follows the end line");
        }
        return;
      }
      if (!leaves.rangeComplete() && SEQ_TYPES.contains(type)) {
        leaves.acceptSeqLine(type, line);
      } else if (leaves.rangeComplete() && type.equals("erasure_proof")) {
        leaves.acceptErasureProof(line);
      } else if (SEQ_TYPES.contains(type) || type.equals("erasure_proof")) {
        throw new VerificationException(line.where() + ": a line of type " + type + " out of place: lines are "
            + "dropped, added or reordered");
      } else {
        throw new IllegalArgumentException(line.where() + ": unknown line type \"" + type + "\"");
      }
    }
  }

  private static void checkEnd(Fields line, ExportHeader header, ExportedLeaves leaves) {
    if (!leaves.rangeComplete()) {
      throw new VerificationException(line.where() + ": the end line comes before the range is complete");
    }
    line.requireOnly(LineKeys.of("end"), "the end line");
    long count = line.unsigned("count");
    if (count != header.count()) {
      throw new VerificationException(line.where() + ": the end line counts " + Long.toUnsignedString(count)
          + " lines, not " + Long.toUnsignedString(header.count()));
    }
  }

  private static Fields parse(ExportLines.Line line) {
    String where = "line " + line.number();
    try {
      return Fields.of(Json.parse(line.text()), where);
    } catch (DuplicateKeyException e) {
      throw new DuplicateKeyException(where + ": " + e.getMessage());
    } catch (JsonException e) {
      if (!line.terminated()) {
        throw new VerificationException("the export is cut off in " + where);
      }
      throw new JsonException(where + " is not JSON: " + e.getMessage());
    }
  }

  private static String listed(List<Long> seqs) {
    int shown = Math.min(seqs.size(), 10);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < shown; i++) {
      text.append(i == 0 ? "" : ", ").append(Long.toUnsignedString(seqs.get(i)));
    }
    return seqs.size() > shown ? text + " and " + (seqs.size() - shown) + " more" : text.toString();
  }
}
