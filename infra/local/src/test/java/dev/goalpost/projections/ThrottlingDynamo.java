package dev.goalpost.projections;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A decorator of a real {@link DynamoDbClient}: every call goes to the real client (and so to the emulator),
 * except the next UpdateItem whose key matches a {@link #throttleNext} test, which is answered with the SDK's
 * {@link ProvisionedThroughputExceededException} without reaching the table. It counts the UpdateItem requests
 * it passed on. It implements none of DynamoDB's semantics.
 */
final class ThrottlingDynamo implements InvocationHandler {
  private final DynamoDbClient real;
  private final DynamoDbClient client;
  private final List<Predicate<Map<String, AttributeValue>>> throttles = new CopyOnWriteArrayList<>();
  private final AtomicInteger updates = new AtomicInteger();

  ThrottlingDynamo(DynamoDbClient real) {
    this.real = real;
    this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
        new Class<?>[] {DynamoDbClient.class}, this);
  }

  /** The decorated client, to hand to the code under test. */
  DynamoDbClient client() {
    return client;
  }

  /** The next UpdateItem on a key matching {@code keyTest} is throttled. */
  void throttleNext(Predicate<Map<String, AttributeValue>> keyTest) {
    throttles.add(keyTest);
  }

  /** UpdateItem requests passed on to the real client so far (conditional failures included). */
  int updates() {
    return updates.get();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (args != null && args.length == 1 && args[0] instanceof Consumer<?>) {
      // updateItem(b -> ...) and the like: the interface builds the request and calls the overload taking it
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      return null; // the real client is the local cloud's, shared
    }
    if (args != null && args.length == 1 && args[0] instanceof UpdateItemRequest r) {
      for (var t : throttles) {
        if (t.test(r.key()) && throttles.remove(t)) {
          throw ProvisionedThroughputExceededException.builder().message("throttled (test)").statusCode(400)
              .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                  .serviceName("DynamoDb").build())
              .build();
        }
      }
      updates.incrementAndGet();
    }
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
