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
 * <p>Ports are chosen outside the system's ephemeral range ({@code net.ipv4.ip_local_port_range}) where there is room,
 * not by asking the system for port 0: a port handed out from the ephemeral range can be taken, between the choice and
 * the server's bind, by the local end of any outgoing connection on the machine (a JDBC or HTTP client of another
 * service), and the server then fails with "Address already in use". Outside that range only listeners bind. A port is
 * handed out at most once per JVM: a process given two ports before it binds either (a service's own and its metrics
 * port) must not be given the same one twice, which a random choice alone would allow. When the range leaves no room
 * (it starts below {@link #LOWEST} plus {@link #ROOM}) or every port of the room has been handed out, the system's
 * choice (port 0) is the fallback.
 */
public final class Ports {

  /** The lowest port chosen: above the defaults of the services we run (5432, 8080, 8086, 9092). */
  static final int LOWEST = 20_000;
  /** The fewest ports below the ephemeral range that are worth choosing from. */
  static final int ROOM = 1_000;

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final Ports MACHINE = new Ports(LOWEST, ephemeralStart(EPHEMERAL_RANGE));

  private final int lowest;
  private final int end;
  private final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  /** Chooses from {@code [lowest, end)}, or lets the system choose when that holds fewer than {@link #ROOM}. */
  Ports(int lowest, int end) {
    this.lowest = lowest;
    this.end = end;
  }

  /** A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range where there is room. */
  public static int free() {
    return MACHINE.resolvePorts(0)[0];
  }

  /** The configured port, or a free one when {@code configured} is 0. */
  public static int orFree(int configured) {
    return configured == 0 ? free() : configured;
  }

  /**
   * Resolves several ports at once: each 0 becomes a free port, all of them distinct from each other and from the
   * configured ones (the probe sockets stay open until every port is chosen, so no port is chosen twice).
   */
  public static int[] resolve(int... configured) {
    return MACHINE.resolvePorts(configured);
  }

  int[] resolvePorts(int... configured) {
    int[] ports = configured.clone();
    for (int port : configured) {
      if (port != 0) {
        handedOut.add(port);
      }
    }
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < ports.length; i++) {
        if (ports[i] == 0) {
          ServerSocket probe = probe();
          probes.add(probe);
          ports[i] = probe.getLocalPort();
        }
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

  /** The start of the ephemeral range as {@code file} gives it (two numbers), or 32768 when it cannot be read. */
  static int ephemeralStart(Path file) {
    // read line by line: a /proc file reports size 0, and a read sized by it may stop after the first bytes
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String[] range = reader.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }

  /** A bound socket on a port never handed out before: from the range, at a random start, else the system's. */
  private ServerSocket probe() {
    int size = end - lowest;
    if (size >= ROOM) {
      int start = ThreadLocalRandom.current().nextInt(size);
      for (int step = 0; step < size; step++) {
        int port = lowest + (start + step) % size;
        if (!handedOut.add(port)) {
          continue;
        }
        try {
          return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException taken) {
          // held by a listener: try the next
        }
      }
    }
    while (true) {
      try {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        if (handedOut.add(socket.getLocalPort())) {
          return socket;
        }
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
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
