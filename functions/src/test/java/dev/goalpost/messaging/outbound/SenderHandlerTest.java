package dev.goalpost.messaging.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenderHandlerTest {

  @ParameterizedTest(name = "delivery {0} -> retry in {1}s")
  @CsvSource({"1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "7, 640", "8, 900", "50, 900", "0, 10"})
  void retriesBackOffExponentiallyUpToSqsLimit(int receiveCount, int seconds) {
    assertThat(SenderHandler.retryDelaySeconds(receiveCount)).isEqualTo(seconds);
  }
}
