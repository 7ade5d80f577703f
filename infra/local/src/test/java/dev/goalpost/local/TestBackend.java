package dev.goalpost.local;

import dev.goalpost.local.emulator.Emulator;
import dev.goalpost.local.emulator.MotoServer;
import dev.goalpost.local.faults.FaultPlan;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Which emulator the ITs run against: {@code AWS_ENDPOINT_URL} if set (any AWS-compatible endpoint, or a
 * real account's), else {@code -Dgoalpost.backend=localstack} (LocalStack in Docker through Testcontainers),
 * else a moto server on a free port.
 */
final class TestBackend {
  /** A LocalStack tag that runs without an auth token. */
  static final DockerImageName LOCALSTACK = DockerImageName.parse("localstack/localstack:3.8.1");

  private TestBackend() {}

  static Emulator start(LocalCloudOptions options) {
    String endpoint = System.getenv("AWS_ENDPOINT_URL");
    if (endpoint != null && !endpoint.isBlank()) {
      return new Emulator.External(endpoint);
    }
    if ("localstack".equalsIgnoreCase(System.getProperty("goalpost.backend", "moto"))) {
      return localStack();
    }
    return MotoServer.start("python3", 0, LocalCloud.launcherEnvironment(options));
  }

  private static Emulator localStack() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException("-Dgoalpost.backend=localstack needs a Docker engine; none is reachable");
    }
    LocalStackContainer container = new LocalStackContainer(LOCALSTACK)
        .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
            LocalStackContainer.EnabledService.named("events"), LocalStackContainer.EnabledService.named("scheduler"));
    container.start();
    return new LocalStackEmulator(container);
  }

  /** LocalStack as an external emulator whose container stops with the local cloud. */
  private record LocalStackEmulator(LocalStackContainer container) implements Emulator {
    @Override
    public String endpoint() {
      return container.getEndpoint().toString();
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
