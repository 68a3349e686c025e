package io.auditlog.modsecurity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends an entry exactly as mlogc 2.9.7 does, over a raw socket: {@code PUT} with the query of the console URI,
 * {@code Authorization: Basic}, {@code Accept: *}{@code /*}, {@code X-Content-Hash: md5:<hex> } and
 * {@code X-ForensicLog-Summary: <line> } (each with mlogc's trailing space), {@code Content-Length}, and nothing
 * else: no User-Agent, Content-Type or Expect. One connection per entry.
 */
public final class MlogcClient {

  private final URI console;
  private final String authorization;

  /** {@code console}: the ConsoleURI, e.g. {@code http://127.0.0.1:8000/rpc/auditLogReceiver?env=staging}. */
  public MlogcClient(String console, String sensor, String token) {
    this(console, "Basic " + Base64.getEncoder().encodeToString((sensor + ":" + token)
        .getBytes(StandardCharsets.UTF_8)));
  }

  private MlogcClient(String console, String authorization) {
    this.console = URI.create(console);
    this.authorization = authorization;
  }

  /** The same client with another Authorization value (the bare base64 of the jwall Collector, say). */
  public MlogcClient withAuthorization(String value) {
    return new MlogcClient(console.toString(), value);
  }

  /** An answer: status, reason phrase, headers (names in lower case) and body. */
  public record Answer(int status, String reason, Map<String, String> headers, String body) {
  }

  public Answer put(byte[] entry, String summary) throws IOException {
    return send(request(entry, summary, md5(entry)), entry);
  }

  /** With a given X-Content-Hash value (without mlogc's trailing space). */
  public Answer put(byte[] entry, String summary, String contentHash) throws IOException {
    return send(request(entry, summary, contentHash), entry);
  }

  /** Sends the whole request, then closes the connection without reading the answer. */
  public void putAndDrop(byte[] entry, String summary) throws IOException {
    try (Socket socket = new Socket(console.getHost(), console.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(request(entry, summary, md5(entry)).getBytes(StandardCharsets.ISO_8859_1));
      out.write(entry);
      out.flush();
    }
  }

  private String request(byte[] entry, String summary, String contentHash) {
    String target = console.getRawPath() + (console.getRawQuery() == null ? "" : "?" + console.getRawQuery());
    StringBuilder head = new StringBuilder("PUT " + target + " HTTP/1.1\r\n")
        .append("Host: ").append(console.getHost()).append(':').append(console.getPort()).append("\r\n");
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append("Accept: */*\r\n")
        .append("X-Content-Hash: ").append(contentHash).append(" \r\n")
        .append("X-ForensicLog-Summary: ").append(summary).append(" \r\n")
        .append("Content-Length: ").append(entry.length).append("\r\n\r\n");
    return head.toString();
  }

  private Answer send(String head, byte[] entry) throws IOException {
    try (Socket socket = new Socket(console.getHost(), console.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(entry);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Answer(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers,
        new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed before the answer ended");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  public static String md5(byte[] entry) {
    try {
      return "md5:" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(entry));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
