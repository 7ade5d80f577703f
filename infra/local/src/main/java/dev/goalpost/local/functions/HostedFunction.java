package dev.goalpost.local.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.faults.Faults;
import dev.goalpost.local.faults.Invocations;
import dev.goalpost.local.iam.Caller;
import dev.goalpost.platform.Env;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One function's handler, run the way Lambda runs it: each instance serves one invocation at a time, and a
 * new instance is built (a "cold start", its constructor inside {@link Env#with} so it sees the function's
 * variables) only when every existing one is busy. Handlers therefore need no thread safety here either.
 *
 * <p>With a {@link Caller} (IAM enforced), construction and every invocation run as that caller, so each AWS
 * call the handler makes is checked against the function's own policy ({@link dev.goalpost.local.iam}).
 */
public final class HostedFunction {
  private final FunctionSpec spec;
  private final Class<?> handlerClass;
  private final Method method;
  private final Deque<Object> idle = new ConcurrentLinkedDeque<>();
  private final Caller caller;

  private HostedFunction(FunctionSpec spec, Class<?> handlerClass, Method method, Caller caller) {
    this.spec = spec;
    this.handlerClass = handlerClass;
    this.method = method;
    this.caller = caller;
  }

  /** Loads the handler class and builds a first instance, so a broken constructor shows at start. */
  public static HostedFunction load(FunctionSpec spec, ClassLoader loader) throws ReflectiveOperationException {
    return load(spec, loader, null);
  }

  /** As {@link #load(FunctionSpec, ClassLoader)}, its AWS calls checked as {@code caller} (null: unchecked). */
  public static HostedFunction load(FunctionSpec spec, ClassLoader loader, Caller caller)
      throws ReflectiveOperationException {
    Class<?> type = Class.forName(spec.handlerClass(), true, loader);
    Method m = handlerMethod(type, spec.handlerMethod());
    HostedFunction f = new HostedFunction(spec, type, m, caller);
    f.idle.push(f.newInstance());
    return f;
  }

  /**
   * The handler method: for a {@code RequestHandler<I, O>} the typed {@code handleRequest(I, Context)}, not
   * the erased bridge, so the event can be given in the type the function declares.
   */
  static Method handlerMethod(Class<?> type, String name) throws NoSuchMethodException {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && !m.isBridge() && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 2 && Context.class.isAssignableFrom(m.getParameterTypes()[1])
            || m.getParameterCount() == 1)
        .min(Comparator.comparing((Method m) -> m.getParameterTypes()[0] == Object.class)
            .thenComparing(m -> -m.getParameterCount()))
        .orElseThrow(() -> new NoSuchMethodException(type.getName() + " has no public " + name + "(event[, Context])"));
  }

  private Object newInstance() throws ReflectiveOperationException {
    try {
      return Caller.runAs(caller, () -> Env.with(spec.environment(), () -> {
        try {
          return handlerClass.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
          throw new ConstructionFailed(e);
        }
      }));
    } catch (ConstructionFailed e) {
      throw e.reflective;
    }
  }

  /** The type the handler takes its event as (APIGatewayV2HTTPEvent, SQSEvent, Map, …). */
  public Class<?> inputType() {
    return method.getParameterTypes()[0];
  }

  /**
   * Invokes the handler with {@code event} (converted to its input type); handler exceptions propagate. Its
   * AWS calls carry the invocation's identity ({@link Invocations}). In fault mode ({@code crash}) a handler
   * that returned may still fail, as a Lambda that times out after its writes committed: the caller (the
   * HTTP API, a queue trigger) sees a failure although the work was done, and retries or redelivers it.
   */
  public Object invoke(Object event) {
    Object result = Invocations.within(spec.logicalId(), () -> invokeHandler(event));
    if (Faults.shared().inject(FaultPlan.Kind.CRASH, spec.logicalId())) {
      throw new Faults.InjectedFault(spec.logicalId() + ": Task timed out after its handler returned");
    }
    return result;
  }

  private Object invokeHandler(Object event) {
    Object converted = EventConversion.to(inputType(), event);
    Object instance = idle.poll();
    try {
      if (instance == null) {
        instance = newInstance();
      }
      Context ctx = new LocalLambdaContext(UUID.randomUUID().toString(), spec.functionName(), spec.functionArn(),
          spec.memoryMb(), Instant.now().plus(Duration.ofSeconds(spec.timeoutSeconds())));
      Object target = instance;
      return Caller.runAs(caller, () -> method.getParameterCount() == 2
          ? method.invoke(target, converted, ctx) : method.invoke(target, converted));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new FunctionFailed(spec.logicalId(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new FunctionFailed(spec.logicalId(), e);
    } finally {
      if (instance != null) {
        idle.push(instance);
      }
    }
  }

  public FunctionSpec spec() {
    return spec;
  }

  /** Who this function's AWS calls are checked as; null when IAM is not enforced. */
  public Caller caller() {
    return caller;
  }

  /** A handler failure that is not a RuntimeException (checked exception or Error). */
  public static final class FunctionFailed extends RuntimeException {
    FunctionFailed(String function, Throwable cause) {
      super(function + " failed: " + cause, cause);
    }
  }

  private static final class ConstructionFailed extends RuntimeException {
    final ReflectiveOperationException reflective;

    ConstructionFailed(ReflectiveOperationException e) {
      super(e);
      this.reflective = e;
    }
  }
}
