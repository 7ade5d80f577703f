package dev.goalpost.projections;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.counters.GoalStats;
import dev.goalpost.counters.GoalStats.Counter;
import dev.goalpost.goals.GoalResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The projection's rules, as plain functions of stream records (no I/O): which derived item each record changes
 * and how. Two hops, each idempotent on its own:
 * <ol>
 *   <li>a message INSERT (thread partition) → its goal RESULT (flags, first times, tallies: initial, reminder,
 *       segments, replies, per agent), the agents' conversation rows, and — outbound and QUEUED — the outbound
 *       queue; an inbound record INSERT that opted the phone out (STOP) → its goal RESULT {@code optedOut};</li>
 *   <li>an org opt-out item's change (put, take-over, delete) → every group's copy of the contact set to what the
 *       list says;</li>
 *   <li>a RESULT change (its old and new images) and a batch gaining {@code closedAt} (goal partition) → the goal's
 *       and agents' counters, by the difference.</li>
 * </ol>
 */
final class Derivations {
  private Derivations() {}

  /** One record's change to one derived item. */
  record Keyed(Map<String, AttributeValue> key, String lane, String sequenceNumber, Delta delta) {}

  /** What an inbound text needs from its thread item (read by the projection): who is on it, and whether it is unread. */
  record ThreadView(String holder, Set<String> agents, boolean unread) {
    static ThreadView of(Map<String, AttributeValue> item) {
      if (item == null || item.isEmpty()) {
        return new ThreadView(null, Set.of(), true);
      }
      Set<String> agents = item.get(ThreadRepository.A_AGENTS) == null ? Set.of() : Set.copyOf(item.get(ThreadRepository.A_AGENTS).ss());
      return new ThreadView(str(item, ThreadRepository.A_HOLDER), agents,
          !item.containsKey(ThreadRepository.A_UNREAD) || bool(item, ThreadRepository.A_UNREAD));
    }
  }

  /** A message INSERT, read from its new image. */
  record MessageInsert(StreamChange change, String orgId, String threadId, String groupId, String contactId,
                       Map<String, AttributeValue> item) {
    boolean outbound() {
      return Message.Direction.OUTBOUND.name().equals(str(item, "direction"));
    }

    String goalId() {
      return str(item, "goalId");
    }

    String agentId() {
      return str(item, "agentId");
    }

    String createdAt() {
      return str(item, "createdAt");
    }

    long createdAtMs() {
      return java.time.Instant.parse(createdAt()).toEpochMilli();
    }
  }

  /** The message INSERTs of a batch (thread partitions, {@code MSG#…}), in stream order. */
  static List<MessageInsert> messages(List<StreamChange> changes) {
    List<MessageInsert> out = new ArrayList<>();
    for (StreamChange c : changes) {
      String pk = c.pk();
      if (!c.insert() || pk == null || c.sk() == null || !c.sk().startsWith("MSG#") || !pk.startsWith("ORG#")) {
        continue;
      }
      int cut = pk.indexOf("#THREAD#");
      String threadId = str(c.newImage(), "threadId");
      if (cut < 0 || threadId == null || str(c.newImage(), "direction") == null) {
        continue;
      }
      ThreadIds.Parts parts = ThreadIds.parse(threadId);
      out.add(new MessageInsert(c, pk.substring("ORG#".length(), cut), threadId, parts.groupId(), parts.contactId(),
          c.newImage()));
    }
    return out;
  }

  /**
   * Hop 1: each goal message's change to its RESULT. Outbound: messaged, firstMessagedAt, and the tallies
   * (initial or reminder text, segments) for the goal and the sending agent. Inbound: responded,
   * firstRespondedAt, the reply tally, and the agent holding the thread (who the reply counts for).
   */
  static List<Keyed> resultChanges(List<MessageInsert> messages, Map<String, ThreadView> threads) {
    List<Keyed> out = new ArrayList<>();
    for (MessageInsert m : messages) {
      String goal = m.goalId();
      if (goal == null) {
        continue; // a confirmation, a text outside any goal
      }
      Delta d = new Delta().set(GoalResults.A_CONTACT_ID, s(m.contactId()));
      if (m.outbound()) {
        String wf = str(m.item(), "workflow");
        long segments = num(m.item(), "segments", 1);
        d.set(GoalResults.A_MESSAGED, AttributeValue.fromBool(true))
            .first(GoalResults.A_FIRST_MESSAGED, s(m.createdAt()))
            .add(GoalResults.T_SEGMENTS, segments);
        String tally = "initial".equals(wf) ? GoalResults.T_INITIAL : "reminders".equals(wf) ? GoalResults.T_REMINDERS : null;
        if (tally != null) {
          d.add(tally, 1);
        }
        if (m.agentId() != null) {
          d.add(GoalResults.byAgent(m.agentId(), GoalResults.T_SEGMENTS), segments);
          if (tally != null) {
            d.add(GoalResults.byAgent(m.agentId(), tally), 1);
          }
        }
      } else {
        ThreadView t = threads.getOrDefault(m.threadId(), ThreadView.of(null));
        d.set(GoalResults.A_RESPONDED, AttributeValue.fromBool(true))
            .first(GoalResults.A_FIRST_RESPONDED, s(m.createdAt()))
            .add(GoalResults.T_REPLIES, 1);
        if (t.holder() != null) {
          d.first(GoalResults.A_RESPONDED_AGENT, s(t.holder()));
          d.add(GoalResults.byAgent(t.holder(), GoalResults.T_REPLIES), 1);
        }
      }
      out.add(new Keyed(GoalResults.key(m.orgId(), goal, m.contactId()), m.change().lane(),
          m.change().sequenceNumber(), d));
    }
    return out;
  }

  /** An inbound record INSERT ({@code INBOUND#…}) whose STOP opted the phone out, on a thread with a goal. */
  record OptOut(StreamChange change, String orgId, String goalId, String contactId, String at) {}

  static List<OptOut> optOuts(List<StreamChange> changes) {
    List<OptOut> out = new ArrayList<>();
    for (StreamChange c : changes) {
      if (c.insert() && c.pk() != null && c.pk().startsWith("INBOUND#") && bool(c.newImage(), "optedOut")
          && str(c.newImage(), "goalId") != null && str(c.newImage(), "orgId") != null
          && str(c.newImage(), "contactId") != null) {
        out.add(new OptOut(c, str(c.newImage(), "orgId"), str(c.newImage(), "goalId"), str(c.newImage(), "contactId"),
            Objects.requireNonNullElse(str(c.newImage(), "at"), "")));
      }
    }
    return out;
  }

  /** A phone whose org opt-out item changed in this batch, with its first record's sequence number. */
  record ListChange(String sequenceNumber, dev.goalpost.contacts.OptOuts.Phone phone) {}

  /**
   * The phones whose opt-out item was put, changed or deleted, once each (in order of first appearance): the
   * copies are set from the list as it is when projected, so one run per phone per batch covers all its records.
   */
  static List<ListChange> listChanges(List<StreamChange> changes) {
    Map<dev.goalpost.contacts.OptOuts.Phone, ListChange> out = new LinkedHashMap<>();
    for (StreamChange c : changes) {
      dev.goalpost.contacts.OptOuts.phoneOf(c.pk(), c.sk())
          .ifPresent(p -> out.putIfAbsent(p, new ListChange(c.sequenceNumber(), p)));
    }
    return List.copyOf(out.values());
  }

  /** One agent's conversation row after a text (the latest per row in a batch is the one written). */
  record RowChange(StreamChange change, String orgId, String threadId, String agentId, String groupId,
                   String contactId, Message.Direction direction, long atMs, String at, String preview,
                   String contactName, boolean unread) {}

  /**
   * Outbound: the sending agent's row (read, preview, contact name). Inbound: every agent on the thread,
   * flagged unread unless the thread is not (a keyword the system answered) — only rows that exist.
   */
  static List<RowChange> rowChanges(List<MessageInsert> messages, Map<String, ThreadView> threads,
                                    Map<String, String> contactNames) {
    Map<String, RowChange> latest = new LinkedHashMap<>();
    for (MessageInsert m : messages) {
      String preview = Message.preview(str(m.item(), "body"));
      if (m.outbound()) {
        if (m.agentId() == null) {
          continue; // a system text (keyword confirmation) is nobody's conversation activity
        }
        String name = m.item().containsKey("contactName") ? str(m.item(), "contactName") : contactNames.get(m.threadId());
        keep(latest, new RowChange(m.change(), m.orgId(), m.threadId(), m.agentId(), m.groupId(), m.contactId(),
            Message.Direction.OUTBOUND, m.createdAtMs(), m.createdAt(), preview, name, false));
      } else {
        ThreadView t = threads.getOrDefault(m.threadId(), ThreadView.of(null));
        boolean unread = m.item().containsKey("unread") ? bool(m.item(), "unread") : t.unread();
        for (String agent : t.agents()) {
          keep(latest, new RowChange(m.change(), m.orgId(), m.threadId(), agent, m.groupId(), m.contactId(),
              Message.Direction.INBOUND, m.createdAtMs(), m.createdAt(), preview, null, unread));
        }
      }
    }
    return List.copyOf(latest.values());
  }

  private static void keep(Map<String, RowChange> latest, RowChange r) {
    latest.merge(r.orgId() + "|" + r.threadId() + "|" + r.agentId(), r, (a, b) -> b.atMs() >= a.atMs() ? b : a);
  }

  /**
   * Hop 2: the goal's and agents' counters from RESULT changes (new image minus old image) and from batches
   * gaining {@code closedAt}. An answer moved from one agent to another ({@code leadActionBy}) leaves the first
   * agent's Yes/No and joins the second's; the goal's counts move by the net change.
   */
  static List<Keyed> counterChanges(List<StreamChange> changes) {
    List<Keyed> out = new ArrayList<>();
    for (StreamChange c : changes) {
      String pk = c.pk();
      String sk = c.sk();
      if (pk == null || sk == null || !pk.startsWith("ORG#") || c.eventName().equals("REMOVE")) {
        continue;
      }
      int cut = pk.indexOf("#GOAL#");
      if (cut < 0) {
        continue;
      }
      String org = pk.substring("ORG#".length(), cut);
      String goal = pk.substring(cut + "#GOAL#".length());
      if (goal.contains("#")) {
        continue; // another partition under the goal (unread index, open batches)
      }
      Map<String, AttributeValue> was = c.oldImage();
      Map<String, AttributeValue> now = c.newImage();
      if (sk.startsWith("BATCH#")) {
        if (now.containsKey("closedAt") && !was.containsKey("closedAt")) {
          out.add(new Keyed(GoalStats.goalKey(org, goal), c.lane(), c.sequenceNumber(),
              new Delta().add(Counter.batchesDone.name(), 1)));
        }
        continue;
      }
      if (!sk.startsWith(GoalResults.SK_PREFIX)) {
        continue;
      }
      Delta g = new Delta();
      Map<String, Delta> agents = new LinkedHashMap<>();
      g.add(Counter.messaged.name(), diff(was, now, GoalResults.T_INITIAL));
      g.add(Counter.remindersSent.name(), diff(was, now, GoalResults.T_REMINDERS));
      g.add(Counter.segmentsSent.name(), diff(was, now, GoalResults.T_SEGMENTS));
      g.add(Counter.replies.name(), diff(was, now, GoalResults.T_REPLIES));
      if (became(was, now, GoalResults.A_RESPONDED)) {
        g.add(Counter.responders.name(), 1);
        String a = str(now, GoalResults.A_RESPONDED_AGENT);
        if (a != null) {
          agent(agents, a).add(Counter.responders.name(), 1);
        }
      }
      if (became(was, now, GoalResults.A_OPTED_OUT)) {
        g.add(Counter.optedOut.name(), 1);
      }
      long yesWas = bool(was, GoalResults.A_YES) ? 1 : 0;
      long yesNow = bool(now, GoalResults.A_YES) ? 1 : 0;
      long noWas = bool(was, GoalResults.A_NO) ? 1 : 0;
      long noNow = bool(now, GoalResults.A_NO) ? 1 : 0;
      g.add(Counter.yes.name(), yesNow - yesWas).add(Counter.no.name(), noNow - noWas);
      String byWas = str(was, GoalResults.A_LEAD_BY);
      String byNow = str(now, GoalResults.A_LEAD_BY);
      if (byWas != null) {
        agent(agents, byWas).add(Counter.yes.name(), -yesWas).add(Counter.no.name(), -noWas);
      }
      if (byNow != null) {
        agent(agents, byNow).add(Counter.yes.name(), yesNow).add(Counter.no.name(), noNow);
      }
      java.util.Set<String> names = new java.util.TreeSet<>(was.keySet());
      names.addAll(now.keySet());
      for (String name : names) {
        String[] at = GoalResults.agentTally(name);
        if (at == null) {
          continue;
        }
        Counter counter = switch (at[1]) {
          case GoalResults.T_INITIAL -> Counter.messaged;
          case GoalResults.T_REMINDERS -> Counter.remindersSent;
          case GoalResults.T_SEGMENTS -> Counter.segmentsSent;
          case GoalResults.T_REPLIES -> Counter.replies;
          default -> null;
        };
        if (counter != null) {
          agent(agents, at[0]).add(counter.name(), diff(was, now, name));
        }
      }
      if (!g.isEmpty()) {
        out.add(new Keyed(GoalStats.goalKey(org, goal), c.lane(), c.sequenceNumber(), g));
      }
      agents.forEach((a, d) -> {
        if (!d.isEmpty()) {
          out.add(new Keyed(GoalStats.agentKey(org, goal, a), c.lane(), c.sequenceNumber(),
              d.set(GoalStats.A_AGENT_ID, s(a))));
        }
      });
    }
    return out;
  }

  private static Delta agent(Map<String, Delta> agents, String agentId) {
    return agents.computeIfAbsent(agentId, a -> new Delta());
  }

  private static long diff(Map<String, AttributeValue> was, Map<String, AttributeValue> now, String attribute) {
    return num(now, attribute, 0) - num(was, attribute, 0);
  }

  private static boolean became(Map<String, AttributeValue> was, Map<String, AttributeValue> now, String flag) {
    return bool(now, flag) && !bool(was, flag);
  }
}
