package dev.goalpost.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MotoServerTest {
  @Test
  void withoutMotoItStopsWithTheInstallHint() {
    assertThatThrownBy(() -> MotoServer.start("/nonexistent/python3", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("moto is missing: pip install \"moto[server]>=5.1\"");
  }

  @Test
  void busyPreferredPortFallsBackToTheNextFreeOne() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = MotoServer.choosePort(taken.getLocalPort());

      assertThat(port).isGreaterThan(taken.getLocalPort());
    }
  }
}
