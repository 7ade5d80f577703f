package dev.goalpost.local.template;

import java.util.List;
import java.util.Map;

/** One entry of a template's {@code Resources}, unresolved (intrinsics still in place). */
public record Resource(String logicalId, String type, Map<String, Object> properties, List<String> dependsOn) {
  public Resource {
    properties = properties == null ? Map.of() : properties;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  public boolean is(String resourceType) {
    return type.equals(resourceType);
  }
}
