package dev.goalpost.local.functions;

import dev.goalpost.local.iam.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Every function of the template, loaded or not. A handler class that is missing or whose constructor fails
 * does not stop the local cloud: it is logged with the reason and its routes and triggers answer as a broken
 * deployment would (HTTP 500), so the rest of the API stays usable while that function is being written.
 */
public final class FunctionRegistry {
  private static final Logger LOG = Logger.getLogger(FunctionRegistry.class.getName());

  private final Map<String, HostedFunction> loaded = new LinkedHashMap<>();
  private final Map<String, String> unavailable = new LinkedHashMap<>();
  private final Map<String, FunctionSpec> specs = new LinkedHashMap<>();

  public FunctionRegistry(List<FunctionSpec> all, ClassLoader loader) {
    this(all, loader, spec -> null);
  }

  /** {@code callers}: who each function's AWS calls are checked as (null: unchecked), see {@link Caller}. */
  public FunctionRegistry(List<FunctionSpec> all, ClassLoader loader, Function<FunctionSpec, Caller> callers) {
    for (FunctionSpec spec : all) {
      specs.put(spec.logicalId(), spec);
      Caller caller = callers.apply(spec); // a policy the template cannot deploy stops the start, as sam deploy stops
      try {
        loaded.put(spec.logicalId(), HostedFunction.load(spec, loader, caller));
      } catch (ClassNotFoundException e) {
        unavailable(spec, "handler class " + spec.handlerClass() + " is not on the class path");
      } catch (NoSuchMethodException e) {
        unavailable(spec, e.getMessage() + " (or no public no-arg constructor)");
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        unavailable(spec, "constructing " + spec.handlerClass() + " failed: " + cause);
      }
    }
  }

  private void unavailable(FunctionSpec spec, String reason) {
    unavailable.put(spec.logicalId(), reason);
    LOG.warning(() -> "Skipping function " + spec.logicalId() + ": " + reason);
  }

  public List<FunctionSpec> specs() {
    return List.copyOf(specs.values());
  }

  public Optional<HostedFunction> function(String logicalId) {
    return Optional.ofNullable(loaded.get(logicalId));
  }

  /** Why a function could not be loaded, if it could not. */
  public Optional<String> unavailableReason(String logicalId) {
    return Optional.ofNullable(unavailable.get(logicalId));
  }

  public List<HostedFunction> loaded() {
    return List.copyOf(loaded.values());
  }
}
