package dev.goalpost.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagePreviewTest {
  @Test
  void shortTextIsItsOwnPreviewWithWhitespaceCollapsed() {
    assertThat(Message.preview("  Count me\n in!  ")).isEqualTo("Count me in!");
  }

  @Test
  void longTextIsCutAtTheLastWordWithinTheLimitAndMarked() {
    String body = "Hi Ben, it's Ari Romero with Austin. Can you join us on Sunday, December 20 at 6:00 PM CST? Reply STOP";

    String preview = Message.preview(body);

    assertThat(preview).isEqualTo("Hi Ben, it's Ari Romero with Austin. Can you join us on Sunday, December 20 at…");
    assertThat(preview.length()).isLessThanOrEqualTo(Message.PREVIEW_CHARS + 1);
  }

  @Test
  void oneLongWordIsCutAtTheLimitWithoutSplittingASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    String body = "a".repeat(Message.PREVIEW_CHARS - 1) + emoji + "tail";

    String preview = Message.preview(body);

    assertThat(preview).isEqualTo("a".repeat(Message.PREVIEW_CHARS - 1) + "…");
  }

  @Test
  void missingBodyPreviewsAsEmpty() {
    assertThat(Message.preview(null)).isEmpty();
  }
}
