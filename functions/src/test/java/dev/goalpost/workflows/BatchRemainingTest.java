package dev.goalpost.workflows;

import static org.junit.jupiter.api.Assertions.*;

import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadRepository;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who is left in a batch, from its members' threads' refs (the send never writes the batch). */
class BatchRemainingTest {
  static Thread thread(String contactId, Map<String, String> refs) {
    return new Thread("th_" + contactId, "org", "grp", contactId, null, null, false, null, null, null, null, null,
        Set.of(), null, refs, List.of(), 0);
  }

  @Test
  void messagedMovedAndTakenOutContactsAreNotLeft() {
    Batch b = new Batch("goal_1", WorkflowKind.INITIAL, "00000-001", "ANY", List.of(
        new Batch.Entry("c1", null, null), new Batch.Entry("c2", null, null), new Batch.Entry("c3", null, null),
        new Batch.Entry("c4", null, null), new Batch.Entry("c5", null, null)), Set.of("c5"), "ari", null, 1);
    var threads = Map.of(
        "c1", thread("c1", Map.of("goal_1#I", "00000-001")),                             // waiting
        "c2", thread("c2", Map.of("goal_1#I", ThreadRepository.REF_DONE + "00000-001")), // messaged
        "c3", thread("c3", Map.of("goal_1#I", "t0001")));                                // moved
    // c4: no thread yet (never texted, ref not written yet): left. c5: taken out by a reassignment.
    assertEquals(List.of("c1", "c4"), b.remaining(threads).stream().map(Batch.Entry::contactId).toList());
    assertEquals(4, b.members().size());
  }

  @Test
  void aRefDoneInAnotherWorkflowOrGoalDoesNotCount() {
    Batch b = new Batch("goal_1", WorkflowKind.REMINDERS, "00000-000", "ANY",
        List.of(new Batch.Entry("c1", null, null)), Set.of(), null, null);
    var threads = Map.of("c1", thread("c1", Map.of("goal_1#I", ThreadRepository.REF_DONE + "00000-000",
        "goal_2#R", ThreadRepository.REF_DONE + "00000-000")));
    assertEquals(1, b.remaining(threads).size());
    assertEquals(0, b.claims());
  }
}
