package dev.goalpost.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DependenciesTest {
  @Test
  void referencedResourcesComeFirstWhateverTheDeclarationOrder() {
    Template t = Template.parse("""
        Resources:
          Rule:
            Type: AWS::Events::Rule
            Properties: {EventBusName: !Ref Bus, Targets: [{Id: q, Arn: !GetAtt Work.Arn}]}
          Work:
            Type: AWS::SQS::Queue
            Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}}
          Bus: {Type: AWS::Events::EventBus}
          Dlq: {Type: AWS::SQS::Queue}
          Alias:
            Type: AWS::SQS::Queue
            Properties: {Tags: [{Key: k, Value: !Sub "${Bus}-x"}]}
        """);

    List<String> order = Dependencies.order(List.copyOf(t.resources().values())).stream().map(Resource::logicalId).toList();

    assertThat(order.indexOf("Dlq")).isLessThan(order.indexOf("Work"));
    assertThat(order.indexOf("Work")).isLessThan(order.indexOf("Rule"));
    assertThat(order.indexOf("Bus")).isLessThan(order.indexOf("Rule"));
    assertThat(order.indexOf("Bus")).isLessThan(order.indexOf("Alias"));
    assertThat(order).hasSize(5);
  }
}
