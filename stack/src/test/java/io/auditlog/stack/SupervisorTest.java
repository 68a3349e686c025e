package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.Restartable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor against real processes: restart after SIGKILL, backoff, giving up on one that never ran stably but not
 * on one that did, and quiet while stopping.
 */
class SupervisorTest {

  private static final Supervisor.Policy FAST = new Supervisor.Policy(Duration.ofMillis(50), Duration.ofMillis(400),
      Duration.ofSeconds(5), 3);

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Supervisor supervisor = new Supervisor(FAST, lines::add);
  private Command unit;

  @AfterEach
  void stop() {
    supervisor.close();
    if (unit != null) {
      unit.process().stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void aKilledProcessIsStartedAgainAndTheExitStatusIsLogged() throws Exception {
    unit = new Command("sleeper", "sleep 60");
    unit.startAgain();
    supervisor.watch(unit);
    ChildProcess first = unit.process();
    first.kill();
    awaitTrue(() -> unit.process() != first && unit.process().isAlive() && unit.starts == 2);
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .startsWith("sleeper (pid " + first.pid() + ") exited with status 137; starting it again in 50 ms"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("sleeper is running again"));
    assertThat(supervisor.gaveUp()).isNotDone();
  }

  @Test
  void givesUpAfterRepeatedFastFailuresWithDoublingBackoff() throws Exception {
    unit = new Command("crasher", "exit 3");
    unit.startAgain();
    supervisor.watch(unit);
    String reason = supervisor.gaveUp().get(20, TimeUnit.SECONDS);
    assertThat(reason).startsWith("crasher failed 4 times in a row, each within 5 s of starting");
    assertThat(reason).contains("exited with status 3");
    assertThat(unit.starts).isEqualTo(4);
    assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("starting it again in 100 ms (attempt 2)"));
    assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("starting it again in 200 ms (attempt 3)"));
  }

  @Test
  void aProcessThatRanStablyIsStartedAgainPastTheFastFailures() throws Exception {
    Path ran = Files.createTempFile("supervisor-test-", ".ran");
    Files.delete(ran);
    ran.toFile().deleteOnExit();
    unit = new Command("poisoned", "if [ -e " + ran + " ]; then exit 3; fi; touch " + ran + "; sleep "
        + (FAST.stableAfter().toMillis() + 500) / 1000.0 + "; exit 1");
    unit.startAgain();
    supervisor.watch(unit);
    awaitTrue(() -> unit.starts > 2 * FAST.maxFastFailures() + 1, Duration.ofSeconds(20));
    assertThat(supervisor.gaveUp()).isNotDone();
    assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("starting it again in 400 ms (attempt 5)"));
  }

  @Test
  void anExitWhileStoppingIsNotRestarted() throws Exception {
    unit = new Command("sleeper", "sleep 60");
    unit.startAgain();
    supervisor.watch(unit);
    supervisor.close();
    unit.process().kill();
    Thread.sleep(500);
    assertThat(unit.starts).isEqualTo(1);
    assertThat(lines).isEmpty();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    awaitTrue(condition, Duration.ofSeconds(10));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** A shell command as a supervised process. */
  private static final class Command implements Restartable {
    private final String name;
    private final String script;
    private final Path log;
    private volatile ChildProcess process;
    private volatile int starts;

    Command(String name, String script) throws Exception {
      this.name = name;
      this.script = script;
      this.log = Files.createTempFile("supervisor-test-", ".log");
      log.toFile().deleteOnExit();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ChildProcess process() {
      return process;
    }

    @Override
    public void startAgain() {
      process = ChildProcess.start(name, List.of("bash", "-c", script), Map.of(), log, "TERM");
      starts++;
    }
  }
}
