package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

/** {@code AWS::Events::EventBus}; {@code Ref} is its name, as in CloudFormation. */
final class EventBusProvisioner implements Provisioner {
  private final EventBridgeClient events;
  private final Stack stack;

  EventBusProvisioner(EventBridgeClient events, Stack stack) {
    this.events = events;
    this.stack = stack;
  }

  @Override
  public String type() {
    return "AWS::Events::EventBus";
  }

  @Override
  public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
    String name = stack.physicalName(resource.logicalId());
    String arn;
    try {
      arn = events.describeEventBus(r -> r.name(name)).arn();
    } catch (ResourceNotFoundException e) {
      arn = events.createEventBus(r -> r.name(name)).eventBusArn();
    }
    out.put(resource.logicalId(), name, Map.of("Arn", arn, "Name", name));
  }
}
