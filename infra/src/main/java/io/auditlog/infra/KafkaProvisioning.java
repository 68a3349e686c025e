package io.auditlog.infra;

import io.auditlog.model.KafkaLogin;
import io.auditlog.model.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The operator's provisioning step after the broker is up: the services' SCRAM users (created, or their passwords
 * set again, so a restart with the same secrets changes nothing) and their {@link ServiceAcls}. Idempotent.
 */
public final class KafkaProvisioning {

  /** The ingest workers' consumer group (the worker's default {@code AUDIT_GROUP_ID}). */
  public static final String WORKER_GROUP = "auditlog-ingest";

  private KafkaProvisioning() {
  }

  /** Users and ACLs of the gateway and the ingest worker, on the default topic names and group. */
  public static void provisionServices(KafkaBroker broker, KafkaUsers users) {
    try (Admin admin = operatorAdmin(broker, users)) {
      upsertUser(admin, users.gateway());
      upsertUser(admin, users.worker());
      grant(admin, ServiceAcls.gateway(KafkaUsers.GATEWAY, Topics.EVENTS, Topics.INGRESS, WORKER_GROUP));
      grant(admin, ServiceAcls.worker(KafkaUsers.WORKER, Topics.EVENTS, Topics.INGRESS, Topics.DEAD_LETTERS,
          WORKER_GROUP));
    }
  }

  /** An Admin client logged in as the operator on the services' listener. */
  public static Admin operatorAdmin(KafkaBroker broker, KafkaUsers users) {
    return Admin.create(clientProperties(broker.bootstrapServers(), users.operator()));
  }

  /** Bootstrap servers plus the login's SASL properties, for any Kafka client. */
  public static Map<String, Object> clientProperties(String bootstrap, KafkaLogin login) {
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return properties;
  }

  /** Grants ACLs as the operator (tests grant their own topics and groups this way). */
  public static void grant(KafkaBroker broker, Collection<AclBinding> acls) {
    try (Admin admin = operatorAdmin(broker, broker.users())) {
      grant(admin, acls);
    }
  }

  public static void upsertUser(Admin admin, KafkaLogin login) {
    await(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(login.user(),
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), login.password()))).all().get());
  }

  public static void grant(Admin admin, Collection<AclBinding> acls) {
    await(() -> admin.createAcls(acls).all().get());
  }

  private interface Call {
    void run() throws InterruptedException, ExecutionException;
  }

  private static void await(Call call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka provisioning failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
