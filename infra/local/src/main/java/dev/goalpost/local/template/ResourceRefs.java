package dev.goalpost.local.template;

import java.util.Optional;

/** What {@code !Ref} and {@code !GetAtt} of a resource resolve to once it exists in the emulator. */
public interface ResourceRefs {
  Optional<String> ref(String logicalId);

  Optional<String> attribute(String logicalId, String attribute);
}
