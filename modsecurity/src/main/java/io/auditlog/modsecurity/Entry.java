package io.auditlog.modsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A parsed entry. */
public final class Entry {
  private final String format;
  private final ALine a;
  private final HttpHead request;
  private final HttpHead response;
  private final Trailer trailer;
  private final Optional<NativeSections> nativeSections;
  private final Optional<JsonNode> json;
  private final Optional<String> summary;

  Entry(String format, ALine a, HttpHead request, HttpHead response, Trailer trailer,
      Optional<NativeSections> nativeSections, Optional<JsonNode> json, Optional<String> summary) {
    this.format = format;
    this.a = a;
    this.request = request;
    this.response = response;
    this.trailer = trailer;
    this.nativeSections = nativeSections;
    this.json = json;
    this.summary = summary;
  }

  public String uniqueId() {
    return a.uniqueId();
  }

  /** The A line without its line ending: the input of the idempotency hash. */
  public String aLine() {
    return a.line();
  }

  /** native-2, native-3, json-2 or json-3. */
  public String format() {
    return format;
  }

  ALine a() {
    return a;
  }

  /** The request line and headers (from B, or from JSON). */
  HttpHead request() {
    return request;
  }

  /** The status line and headers (from F, or from JSON). */
  HttpHead response() {
    return response;
  }

  Trailer trailer() {
    return trailer;
  }

  Optional<NativeSections> nativeSections() {
    return nativeSections;
  }

  Optional<JsonNode> json() {
    return json;
  }

  /** The X-ForensicLog-Summary line that came with the entry. */
  Optional<String> summary() {
    return summary;
  }
}
