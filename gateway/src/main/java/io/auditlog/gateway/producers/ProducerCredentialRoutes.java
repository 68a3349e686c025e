package io.auditlog.gateway.producers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.GatewayConfig.KafkaAccess;
import io.auditlog.gateway.accounts.BearerAuth;
import io.auditlog.gateway.producers.KafkaCredentials.KafkaCredential;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.Topics;
import io.auditlog.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /users/kafka-credentials}, {@code GET /users/kafka-credentials},
 * {@code DELETE /users/kafka-credentials/{name}}: an account's credentials for producing straight to Kafka.
 */
public final class ProducerCredentialRoutes {

  private final ProducerCredentials credentials;
  private final BearerAuth bearer;
  private final KafkaAccess kafka;

  public ProducerCredentialRoutes(ProducerCredentials credentials, BearerAuth bearer, KafkaAccess kafka) {
    this.credentials = credentials;
    this.bearer = bearer;
    this.kafka = kafka;
  }

  public void mount(Router router) {
    router.post("/users/kafka-credentials").handler(bearer).handler(this::issue);
    router.get("/users/kafka-credentials").handler(bearer).handler(this::list);
    router.delete("/users/kafka-credentials/:name").handler(bearer).handler(this::revoke);
  }

  private void issue(RoutingContext ctx) {
    credentials.issue(BearerAuth.account(ctx).id())
        .onSuccess(issued -> {
          ObjectNode json = toJson(issued.credential());
          json.put("password", issued.password());
          json.put("bootstrap_servers", kafka.producerBootstrap());
          json.put("security_protocol", kafka.producerProtocol());
          json.put("sasl_mechanism", KafkaLogin.MECHANISM);
          json.put("topic", Topics.INGRESS);
          Responses.json(ctx, 201, json);
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    credentials.list(BearerAuth.account(ctx).id())
        .onSuccess(list -> Responses.json(ctx, 200, list.stream().map(ProducerCredentialRoutes::toJson).toList()))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    credentials.revoke(BearerAuth.account(ctx).id(), ctx.pathParam("name"))
        .onSuccess(revoked -> {
          if (revoked) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(ApiException.notFound("Kafka credential not found."));
          }
        })
        .onFailure(ctx::fail);
  }

  private static ObjectNode toJson(KafkaCredential credential) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("username", credential.principal());
    json.put("created_at", credential.createdAt().toInstant().toString());
    return json;
  }
}
