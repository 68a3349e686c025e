package io.auditlog.gateway.accounts;

import io.auditlog.filter.FilterParser;
import io.auditlog.filter.FilterSyntaxException;
import io.auditlog.model.ApiException;
import java.util.Optional;

/** User and token views are filters: checked with the filter language before they are stored. */
final class Views {

  private Views() {
  }

  /** The view to store: empty for none (null or blank), else the text once it parses. */
  static Optional<String> checked(String view) {
    if (view == null || view.isBlank()) {
      return Optional.empty();
    }
    try {
      FilterParser.parse(view);
      return Optional.of(view);
    } catch (FilterSyntaxException e) {
      throw ApiException.of(400, "filter_syntax", e.getMessage());
    }
  }

  /** Both views at once: each must hold, so neither can widen the other. */
  static Optional<String> both(Optional<String> first, Optional<String> second) {
    if (first.isEmpty() || second.isEmpty()) {
      return first.isPresent() ? first : second;
    }
    return Optional.of("(" + first.get() + ") AND (" + second.get() + ")");
  }
}
