package dev.goalpost.bench.init;

import com.amazonaws.services.lambda.runtime.Context;
import dev.goalpost.local.functions.EventConversion;
import dev.goalpost.local.functions.LocalLambdaContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs in a fresh JVM, as a Lambda execution environment does: builds one handler and answers one event,
 * and prints how long each phase took. The function's variables come from the process environment (as in
 * Lambda); the event is read before any timing starts (Lambda's runtime hands it over already parsed).
 *
 * <p>Args: handlerClass method eventFile prime(true|false). With {@code prime}, the handler's SnapStart
 * priming hook runs between construction and the event (as if restored from a snapshot taken after it):
 * the "first response" then is what a SnapStart restore still pays.
 *
 * <p>Output, one line: {@code INIT constructMs=.. primeMs=.. firstResponseMs=.. sinceJvmStartMs=..}.
 */
public final class InitProbe {
  public static void main(String[] args) throws Exception {
    String handlerClass = args[0];
    String methodName = args[1];
    Object rawEvent = dev.goalpost.platform.Json.MAPPER.readValue(Files.readString(Path.of(args[2])), Object.class);
    boolean prime = Boolean.parseBoolean(args[3]);

    long t0 = System.nanoTime();
    Class<?> type = Class.forName(handlerClass);
    Object handler = type.getConstructor().newInstance();
    long t1 = System.nanoTime();
    if (prime) {
      dev.goalpost.platform.Priming.primeAll();
    }
    long t2 = System.nanoTime();
    Method m = Arrays.stream(type.getMethods())
        .filter(x -> x.getName().equals(methodName) && !x.isBridge() && !Modifier.isStatic(x.getModifiers())
            && x.getParameterCount() == 2 && Context.class.isAssignableFrom(x.getParameterTypes()[1]))
        .findFirst().orElseThrow();
    Object event = EventConversion.to(m.getParameterTypes()[0], rawEvent);
    long t3 = System.nanoTime();
    Object result = m.invoke(handler, event, new LocalLambdaContext("init-probe", handlerClass, "arn:probe", 1024,
        Instant.now().plusSeconds(30)));
    long t4 = System.nanoTime();
    long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.printf(java.util.Locale.ROOT, "INIT constructMs=%.1f primeMs=%.1f firstResponseMs=%.1f sinceJvmStartMs=%d status=%s%n",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6, uptime, status(result));
    System.exit(0);
  }

  private static String status(Object result) {
    if (result instanceof Map<?, ?> map && map.get("statusCode") != null) {
      return String.valueOf(map.get("statusCode"));
    }
    try {
      Method code = result.getClass().getMethod("getStatusCode");
      return String.valueOf(code.invoke(result));
    } catch (ReflectiveOperationException | NullPointerException e) {
      return result == null ? "null" : "ok";
    }
  }
}
