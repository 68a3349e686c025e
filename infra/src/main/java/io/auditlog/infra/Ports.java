package io.auditlog.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, and waiting for a port to accept connections.
 *
 * <p>Ports are chosen below the system's ephemeral range ({@code net.ipv4.ip_local_port_range}), never by asking
 * the system for port 0: a port handed out from the ephemeral range can be taken, between the choice and the
 * server's bind, by the local end of any outgoing connection on the machine (a JDBC or HTTP client of another
 * service), and the server then fails with "Address already in use". Below that range only listeners bind.
 *
 * <p>A port is handed out at most once per JVM: a process given two ports before it binds either (a service's own
 * and its metrics port) must not be given the same one twice, which a random choice alone would allow.
 */
public final class Ports {

  /** The lowest port chosen: above the defaults of the services we run (5432, 8080, 8086, 9092). */
  static final int LOWEST = 20_000;

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final int ATTEMPTS = 1_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {
  }

  /** A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range. */
  public static int free() {
    return resolve(0)[0];
  }

  /** The configured port, or a free one when {@code configured} is 0. */
  public static int orFree(int configured) {
    return configured == 0 ? free() : configured;
  }

  /**
   * Resolves several ports at once: each 0 becomes a free port, all of them distinct (the probe sockets stay open
   * until every port is chosen, so no port is chosen twice).
   */
  public static int[] resolve(int... configured) {
    int[] ports = new int[configured.length];
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < configured.length; i++) {
        if (configured[i] != 0) {
          ports[i] = configured[i];
          continue;
        }
        ServerSocket probe = probe();
        probes.add(probe);
        ports[i] = probe.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket probe : probes) {
        try {
          probe.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  /** The first exclusive upper bound of chosen ports: the start of the ephemeral range. */
  static int ephemeralStart() {
    // read line by line: a /proc file reports size 0, and a read sized by it may stop after the first bytes
    try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String[] range = reader.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }

  private static ServerSocket probe() {
    int end = ephemeralStart();
    if (end - LOWEST < ATTEMPTS) {
      throw new IllegalStateException("the ephemeral port range starts at " + end + "; ports are chosen from "
          + LOWEST + " up to it, so it must start above " + (LOWEST + ATTEMPTS));
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
      if (HANDED_OUT.size() > (end - LOWEST) / 2) {
        HANDED_OUT.clear();
      }
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try {
        return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
      } catch (IOException taken) {
        // try another
      }
    }
    throw new UncheckedIOException(new IOException("no free loopback port between " + LOWEST + " and " + end
        + " after " + ATTEMPTS + " attempts"));
  }

  public static boolean isOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
