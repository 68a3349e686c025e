package io.auditlog.query;

import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterParser;
import io.auditlog.filter.FilterSyntaxException;
import io.auditlog.model.ApiException;
import java.util.List;
import java.util.Optional;

/** The filter a read applies: the caller's view AND the request's {@code filter}, each parsed by the language. */
public final class Filters {

  private Filters() {
  }

  static Filter effective(Optional<String> view, String filter) {
    Filter viewFilter = parse(view.orElse(null));
    Filter requested = parse(filter);
    if (viewFilter instanceof Filter.MatchAll) {
      return requested;
    }
    return requested instanceof Filter.MatchAll ? viewFilter : new Filter.And(List.of(viewFilter, requested));
  }

  public static Filter view(Optional<String> view) {
    return parse(view.orElse(null));
  }

  private static Filter parse(String text) {
    try {
      return FilterParser.parse(text);
    } catch (FilterSyntaxException e) {
      throw ApiException.of(400, "filter_syntax", e.getMessage());
    }
  }
}
