package dev.goalpost.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.contacts.OptOuts;
import dev.goalpost.platform.Table;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DerivationsTest {
  private static StreamChange change(String event, String seq, Map<String, AttributeValue> key) {
    return new StreamChange(event, seq, key, Map.of(), Map.of());
  }

  @Test
  void everyChangeOfAnOptOutItemNamesItsPhoneOncePerBatchFromItsFirstRecord() {
    var stop = change("INSERT", "100", OptOuts.key("org1", "+15125550100"));
    var start = change("REMOVE", "105", OptOuts.key("org1", "+15125550100"));
    var takeOver = change("MODIFY", "110", OptOuts.key("org2", "+15125550199"));
    var contactInGroup = change("MODIFY", "120", Table.key("ORG#org1#GROUP#g1", "OPTOUT#+15125550100"));
    var other = change("INSERT", "130", Table.key("ORG#org1", "GROUP#g1"));

    var phones = Derivations.listChanges(List.of(stop, start, takeOver, contactInGroup, other));

    assertThat(phones).containsExactly(
        new Derivations.ListChange("100", new OptOuts.Phone("org1", "+15125550100")),
        new Derivations.ListChange("110", new OptOuts.Phone("org2", "+15125550199")));
  }
}
