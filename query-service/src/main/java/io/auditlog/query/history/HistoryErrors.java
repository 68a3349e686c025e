package io.auditlog.query.history;

import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import java.util.List;

/** The history endpoints' error answers (api.md shape), in one place so that each type has one wording. */
final class HistoryErrors {

  private HistoryErrors() {
  }

  static ApiException disabled() {
    return ApiException.of(404, "tlog_disabled", "The verifiable history is not enabled on this service.");
  }

  /** No checkpoint yet (the latest one), or none of that size. */
  static ApiException checkpointNotFound() {
    return ApiException.of(404, "checkpoint_not_found", "No checkpoint of this size is stored.");
  }

  /** The latest checkpoint: none is signed yet, and one soon will be. */
  static ApiException noCheckpointYet() {
    return ApiException.of(404, "checkpoint_not_found", "No checkpoint is signed yet.").retryAfter(1);
  }

  static ApiException tileNotFound() {
    return ApiException.of(404, "tile_not_found", "The latest checkpoint does not cover this tile.");
  }

  static ApiException eventNotFound() {
    return ApiException.of(404, "event_not_found", "No event or erasure record with this id is in the history.");
  }

  static ApiException viewRestricted() {
    return ApiException.of(403, "view_restricted",
        "Tiles, entry bundles and exports reveal every event; credentials with a view cannot read them.");
  }

  static ApiException erasedAfterCheckpoint() {
    return ApiException.of(409, "erased_after_checkpoint",
        "An event in the range was erased after this checkpoint; export at a later checkpoint.");
  }

  /** A parameter that is not what it must be (422). */
  static ApiException invalid(String where, String name, String msg, String type) {
    return ApiException.validation(new FieldError(List.of(where, name), msg, type));
  }

  static ApiException malformed(String where, String name) {
    return invalid(where, name, "must be an unsigned 64-bit integer: digits only, without a sign, fraction, exponent "
        + "or leading zero", "type_error.integer");
  }

  /** A size or seq that the tree of {@code size} does not cover (422 {@code value_error.not_covered}). */
  static ApiException notCovered(String where, String name, String what, long size) {
    return invalid(where, name, what + " is not covered by the tree of size " + Long.toUnsignedString(size),
        "value_error.not_covered");
  }

  static ApiException missing(String where, String name) {
    return ApiException.validation(FieldError.missing(List.of(where, name)));
  }
}
