package io.auditlog.gateway.ingest;

import io.auditlog.gateway.GatewayConfig.ModsecIntake;
import io.auditlog.gateway.accounts.SensorAuth;
import io.auditlog.gateway.accounts.SensorAuth.Sensor;
import io.auditlog.gateway.limits.BodyBudget;
import io.auditlog.gateway.limits.ClientAddress;
import io.auditlog.model.ApiException;
import io.auditlog.modsecurity.Entry;
import io.auditlog.modsecurity.EntryParser;
import io.auditlog.modsecurity.EntryRejected;
import io.auditlog.modsecurity.Limits;
import io.auditlog.modsecurity.MappingOptions;
import io.auditlog.modsecurity.Source;
import io.auditlog.store.read.TenantTurns;
import io.auditlog.store.read.TenantWorkers;
import io.auditlog.web.Responses;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ModSecurity audit-log receiver, where mlogc and the jwall Collector deliver: {@code PUT|POST
 * /rpc/auditLogReceiver} takes one entry and answers 200 only once Kafka acknowledged its event (or it was stored
 * before), 409 for an entry that can never be accepted, and any other status for "later"; {@code GET} answers
 * {@code {"status":"ready"}} to a sensor's credentials; {@code POST /rpc/auditLogReceiver/bulk} takes a back-fill
 * ({@link BulkIntake}). Mounted before the body handler: bodies are read here, bounded, and parsed on the gateway's
 * threads for large bodies, in turns between tenants.
 * The reason phrase of every answer names its cause, since mlogc logs it.
 */
public final class ReceiverRoutes {

  public static final String PATH = "/rpc/auditLogReceiver";
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverRoutes.class);
  private static final Map<String, String> READY = Map.of("status", "ready");
  private static final String INVALID_SOURCE = "Sensor name, app, env or category breaks the event rules";

  private final BodyBudget budget;
  private final TenantWorkers largeBodies;
  private final Duration bodyTimeout;
  private final SensorAuth auth;
  private final SensorSource sources;
  private final Stamping stamping;
  private final EntryStore store;
  private final BulkIntake bulk;
  private final Limits limits;
  private final MappingOptions mapping;

  /** {@code largeBodies}: the threads that parse entries, in turns between tenants ({@code LargeBodyThreads}). */
  public ReceiverRoutes(Vertx vertx, BodyBudget budget, Duration bodyTimeout, TenantWorkers largeBodies,
      SensorAuth auth, ModsecIntake settings, Stamping stamping, IdempotencyKeys keys, EventPublisher publisher,
      MeterRegistry registry) {
    this.largeBodies = largeBodies;
    this.budget = budget;
    this.bodyTimeout = bodyTimeout;
    this.auth = auth;
    this.sources = new SensorSource(settings);
    this.stamping = stamping;
    this.store = new EntryStore(keys.scoped(EntryStore.KEY_PREFIX, settings.dedupRetention()), publisher, registry);
    this.limits = new Limits(settings.maxMessages(), settings.maxEntryBytes());
    this.mapping = new MappingOptions(settings.eventNameIsTransaction(), settings.sensorZone());
    this.bulk = new BulkIntake(stamping, store, limits, mapping, settings.bulk(),
        new TenantWorkers(vertx.createSharedWorkerExecutor("modsec-bulk", settings.bulk().threads()),
            new TenantTurns(settings.bulk().threads(), Math.max(1, settings.bulk().threads() - 1)),
            settings.bulk().duration()));
  }

  public void mount(Router router) {
    router.get(PATH).handler(ctx -> sensor(ctx, (sensor, source) -> Future.succeededFuture(READY)));
    router.put(PATH).handler(ctx -> sensor(ctx, (sensor, source) -> receive(ctx, sensor, source)));
    router.post(PATH).handler(ctx -> sensor(ctx, (sensor, source) -> receive(ctx, sensor, source)));
    router.post(PATH + "/bulk").handler(ctx -> sensor(ctx,
        (sensor, source) -> bulk.receive(ctx.vertx(), ctx.request(), sensor, source)));
  }

  /** Authenticates the sensor and derives the source of its entries, then answers {@code then}'s body as 200. */
  private void sensor(RoutingContext ctx, BiFunction<Sensor, Source, Future<?>> then) {
    HttpServerRequest request = ctx.request();
    request.pause();
    auth.authenticate(request.getHeader("Authorization"), ClientAddress.of(request))
        .compose(sensor -> then.apply(sensor, sources.of(sensor.name(), request)))
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(e -> fail(ctx, e, bodyTimeout));
  }

  private Future<Object> receive(RoutingContext ctx, Sensor sensor, Source source) {
    HttpServerRequest request = ctx.request();
    Optional<String> hash = Optional.ofNullable(request.getHeader("X-Content-Hash"));
    Optional<String> summary = Optional.ofNullable(request.getHeader("X-ForensicLog-Summary")).map(String::strip);
    String tenant = sensor.account().tenant();
    // Held by the context, not by the task: a connection that closes before its answer lets go of it (BodyBudget).
    return budget.read(ctx, limits.maxEntryBytes(), ReceivedEntry.refused("entry_too_large", ""), bodyTimeout)
        .compose(body -> {
          ((RoutingContextInternal) ctx).setBody(body);
          return largeBodies.execute(tenant, () -> parse(heldBody(ctx), hash, summary, source));
        })
        .compose(entry -> store.store(tenant, sensor.name(), entry, stamping.stamp(tenant, List.of(entry.event()))))
        .map(EntryStore.Stored::body);
  }

  /** The body the context holds, gone if its connection closed meanwhile. */
  private static byte[] heldBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null) {
      throw BodyBudget.CONNECTION_CLOSED;
    }
    return body.getBytes();
  }

  private ReceivedEntry parse(byte[] body, Optional<String> hash, Optional<String> summary, Source source) {
    ReceivedEntry.checkHash(hash, body);
    Entry entry;
    try {
      entry = EntryParser.parse(body, limits, summary);
    } catch (EntryRejected rejected) {
      throw ReceivedEntry.refused(rejected);
    }
    return ReceivedEntry.of(entry, source, mapping);
  }

  /**
   * Answers a failure through the failure handler, with a reason phrase that names the cause, the challenge on a 401,
   * and the connection closed once the body has come when it was not read to its end (refused with the sensor's
   * credentials, say, or a back-fill stopped halfway). Anything but an {@link ApiException} (PostgreSQL down, say) is a
   * 503, so that the sensor retries.
   */
  private static void fail(RoutingContext ctx, Throwable e, Duration bodyTimeout) {
    ApiException error;
    if (e instanceof ApiException api) {
      error = api;
    } else {
      LOG.warn("receiver request failed: the sensor will retry", e);
      error = ApiException.unavailable("storage_unavailable", "Storage is unavailable; retry later.", 5);
    }
    if (error.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", SensorAuth.CHALLENGE);
    }
    String message = error.getMessage();
    String phrase = error.isValidation() ? INVALID_SOURCE
        : message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    ctx.response().headersEndHandler(v -> ctx.response().setStatusMessage(phrase));
    if (!ctx.request().isEnded()) {
      BodyBudget.refusedUnread(ctx, bodyTimeout);
    }
    ctx.fail(error);
  }
}
