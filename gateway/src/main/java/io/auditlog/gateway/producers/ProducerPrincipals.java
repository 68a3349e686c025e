package io.auditlog.gateway.producers;

import io.auditlog.gateway.ingest.KafkaAdmin;
import io.auditlog.model.Topics;
import io.vertx.core.Future;
import java.util.List;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Direct producers' principals in Kafka: a SCRAM-SHA-512 user allowed WRITE and DESCRIBE on the ingress topic and
 * nothing else, created and deleted through the Admin API with the admin credential.
 */
public final class ProducerPrincipals {

  private static final int ITERATIONS = 4096;

  private final KafkaAdmin admin;

  public ProducerPrincipals(KafkaAdmin admin) {
    this.admin = admin;
  }

  public Future<Void> create(String principal, String password) {
    return admin.call(a -> a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(principal,
            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password))).all())
        .compose(v -> admin.call(a -> a.createAcls(List.of(
            allowOnIngress(principal, AclOperation.WRITE), allowOnIngress(principal, AclOperation.DESCRIBE))).all()));
  }

  /** Deletes every ACL of the principal, then its user: a connected producer is refused at its next request. */
  public Future<Void> delete(String principal) {
    AclBindingFilter everything = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
        "User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY));
    return admin.call(a -> a.deleteAcls(List.of(everything)).all())
        .compose(v -> admin.call(a -> a.alterUserScramCredentials(List.of(
            new UserScramCredentialDeletion(principal, ScramMechanism.SCRAM_SHA_512))).all()))
        .recover(e -> KafkaAdmin.rootCause(e) instanceof ResourceNotFoundException ? Future.succeededFuture()
            : Future.failedFuture(e));
  }

  private static AclBinding allowOnIngress(String principal, AclOperation operation) {
    return new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.INGRESS, PatternType.LITERAL),
        new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
  }
}
