package dev.goalpost.local.emulator;

/**
 * The AWS-compatible endpoint the local cloud and its functions talk to: a moto process it started, one
 * someone else runs, or (in tests) a LocalStack container.
 */
public interface Emulator extends AutoCloseable {
  String endpoint();

  @Override
  void close();

  /** An emulator someone else runs ({@code AWS_ENDPOINT_URL}, a LocalStack container): never stopped by us. */
  record External(String endpoint) implements Emulator {
    @Override
    public void close() {}
  }
}
