package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;

/** Creates (or finds) one kind of template resource in the emulator and records its physical identity. */
interface Provisioner {
  String type();

  void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out);
}
