package dev.goalpost.local.resources;

import dev.goalpost.local.template.ResourceRefs;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What each provisioned logical id became in the emulator: its {@code Ref} value and its attributes. */
public final class PhysicalResources implements ResourceRefs {
  private record Physical(String ref, Map<String, String> attributes) {}

  private final Map<String, Physical> byLogicalId = new ConcurrentHashMap<>();

  public void put(String logicalId, String ref, Map<String, String> attributes) {
    byLogicalId.put(logicalId, new Physical(ref, Map.copyOf(attributes)));
  }

  @Override
  public Optional<String> ref(String logicalId) {
    return Optional.ofNullable(byLogicalId.get(logicalId)).map(Physical::ref);
  }

  @Override
  public Optional<String> attribute(String logicalId, String attribute) {
    return Optional.ofNullable(byLogicalId.get(logicalId)).map(p -> p.attributes().get(attribute));
  }

  public boolean contains(String logicalId) {
    return byLogicalId.containsKey(logicalId);
  }
}
