package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import java.util.Map;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

/** {@code AWS::Scheduler::ScheduleGroup}, so functions can create their own schedules in it. */
final class ScheduleGroupProvisioner implements Provisioner {
  private final SchedulerClient scheduler;
  private final Stack stack;

  ScheduleGroupProvisioner(SchedulerClient scheduler, Stack stack) {
    this.scheduler = scheduler;
    this.stack = stack;
  }

  @Override
  public String type() {
    return "AWS::Scheduler::ScheduleGroup";
  }

  @Override
  public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
    String name = stack.physicalName(resource.logicalId());
    String arn;
    try {
      arn = scheduler.getScheduleGroup(r -> r.name(name)).arn();
    } catch (ResourceNotFoundException e) {
      arn = scheduler.createScheduleGroup(r -> r.name(name)).scheduleGroupArn();
    }
    out.put(resource.logicalId(), name, Map.of("Arn", arn));
  }
}
