package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

  /** A range of {@link Ports#ROOM} ports somewhere below the ephemeral range, for one test. */
  private final int lowest = Ports.LOWEST + ThreadLocalRandom.current().nextInt(10) * Ports.ROOM;
  private final Ports ports = new Ports(lowest, lowest + Ports.ROOM);

  @Test
  void theMachinesPortsLieBelowItsEphemeralRangeAndCanBeBound() throws IOException {
    int end = Ports.ephemeralStart(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertThat(port).isBetween(Ports.LOWEST, end - 1);
      try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(server.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void theEphemeralRangeIsReadAsTheKernelWritesItAndDefaultsWhenUnreadable(@TempDir Path dir) throws IOException {
    Path range = Files.writeString(dir.resolve("range"), "40000\t60999\n");
    assertThat(Ports.ephemeralStart(range)).isEqualTo(40_000);
    assertThat(Ports.ephemeralStart(Files.writeString(dir.resolve("garbage"), "x\n"))).isEqualTo(32_768);
    assertThat(Ports.ephemeralStart(dir.resolve("missing"))).isEqualTo(32_768);
  }

  @Test
  void aPortHeldByAListenerIsNeverChosen() throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    Set<Integer> heldPorts = new HashSet<>();
    try {
      for (int port = lowest; port < lowest + Ports.ROOM; port += 3) {
        try {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
          heldPorts.add(port);
        } catch (IOException elsewhere) {
          // another process holds it: held all the same
        }
      }
      for (int i = 0; i < Ports.ROOM; i++) {
        assertThat(ports.resolvePorts(0)[0]).isNotIn(heldPorts);
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    assertThat(heldPorts).hasSizeGreaterThan(Ports.ROOM / 4);
  }

  @Test
  void noPortIsHandedOutTwiceNotEvenOnceTheRangeIsUsedUp() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < Ports.ROOM * 3 / 2; i++) {
      int port = ports.resolvePorts(0)[0];
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
    }
    assertThat(seen).as("once the range is used up, the system chooses")
        .anySatisfy(port -> assertThat(port < lowest || port >= lowest + Ports.ROOM).isTrue());
  }

  @Test
  void aConfiguredPortIsNeverChosenForAnother() {
    int configured = lowest + Ports.ROOM / 2;
    int[] resolved = ports.resolvePorts(0, configured, 0, 0);
    assertThat(resolved[1]).isEqualTo(configured);
    assertThat(Arrays.stream(resolved).distinct().count()).isEqualTo(resolved.length);
    for (int i = 0; i < Ports.ROOM; i++) {
      assertThat(ports.resolvePorts(0)[0]).isNotEqualTo(configured);
    }
  }

  @Test
  void aRangeWithoutRoomLeavesTheChoiceToTheSystem() {
    Ports narrow = new Ports(lowest, lowest + Ports.ROOM - 1);
    for (int i = 0; i < 20; i++) {
      int port = narrow.resolvePorts(0)[0];
      assertThat(port < lowest || port >= lowest + Ports.ROOM).as("port %d", port).isTrue();
    }
  }

  @Test
  void threadsChoosingAtOnceAreNeverGivenTheSamePort() throws Exception {
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> distinct = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        distinct.add(threads.submit(() -> {
          boolean all = true;
          for (int i = 0; i < 100; i++) {
            all &= seen.add(ports.resolvePorts(0)[0]);
          }
          return all;
        }));
      }
      for (Future<Boolean> each : distinct) {
        assertThat(each.get()).isTrue();
      }
    } finally {
      threads.shutdown();
    }
    assertThat(seen).hasSize(800);
  }
}
