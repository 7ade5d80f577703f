package dev.goalpost.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.local.iam.Policy.Decision;
import dev.goalpost.local.resources.PhysicalResources;
import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionPoliciesTest {
  private static final String YAML = """
      Parameters:
        AppId: {Type: String, Default: app-1}
        Secret: {Type: String, Default: /p/secret}
        Stage: {Type: String, Default: dev}
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
      Resources:
        Table: {Type: AWS::DynamoDB::Table}
        Queue: {Type: AWS::SQS::Queue}
        Bus: {Type: AWS::Events::EventBus}
        Inline:
          Type: AWS::Serverless::Function
          Properties:
            Policies:
              - Statement:
                  - Effect: Allow
                    Action: [dynamodb:GetItem, dynamodb:Query]
                    Resource: !GetAtt Table.Arn
                  - Effect: Allow
                    Action: dynamodb:Query
                    Resource: !Sub ${Table.Arn}/index/GSI1
                  - Effect: Allow
                    Action: [events:PutEvents]
                    Resource: !GetAtt Bus.Arn
                  - Effect: Allow
                    Action: [mobiletargeting:SendMessages]
                    Resource: !Sub arn:${AWS::Partition}:mobiletargeting:${AWS::Region}:${AWS::AccountId}:apps/${AppId}/messages
                  - Effect: Allow
                    Action: ssm:GetParameter
                    Resource: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${Secret}
        Templates:
          Type: AWS::Serverless::Function
          Properties:
            Policies:
              - DynamoDBCrudPolicy: {TableName: !Ref Table}
              - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
              - EventBridgePutEventsPolicy: {EventBusName: !Ref Bus}
              - Statement:
                  Effect: Deny
                  Action: dynamodb:DeleteItem
                  Resource: "*"
            Events:
              Work: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
        Nothing:
          Type: AWS::Serverless::Function
          Properties: {}
        Streamer:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Changes:
                Type: DynamoDB
                Properties:
                  Stream: !GetAtt Table.StreamArn
                  StartingPosition: TRIM_HORIZON
                  DestinationConfig: {OnFailure: {Type: SQS, Destination: !GetAtt Queue.Arn}}
        Conditional:
          Type: AWS::Serverless::Function
          Properties:
            Policies:
              - !If [IsProd, {DynamoDBReadPolicy: {TableName: !Ref Table}}, !Ref AWS::NoValue]
              - !If [IsProd, !Ref AWS::NoValue, {DynamoDBWritePolicy: {TableName: !Ref Table}}]
      """;

  private static final String T = "arn:aws:dynamodb:eu-west-1:123456789012:table/t-Table";
  private final Stack stack = new Stack("t-", "eu-west-1", Stack.LOCAL_ACCOUNT);

  private FunctionPolicies policies(String yaml) {
    PhysicalResources refs = new PhysicalResources();
    refs.put("Table", "t-Table", Map.of("Arn", T, "StreamArn", T + "/stream/2026"));
    refs.put("Queue", "http://q/123456789012/t-Queue", Map.of("Arn", "arn:aws:sqs:eu-west-1:123456789012:t-Queue", "QueueName", "t-Queue"));
    refs.put("Bus", "t-Bus", Map.of("Arn", "arn:aws:events:eu-west-1:123456789012:event-bus/t-Bus"));
    Template template = Template.parse(yaml);
    return new FunctionPolicies(template, new Intrinsics(template, stack, refs, Map.of()), stack);
  }

  @Test
  void inlineStatementsResolveToTheStacksArns() {
    Caller c = policies(YAML).callerOf("Inline");
    Policy p = c.policy();

    assertThat(c.principalArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/t-InlineRole/t-Inline");
    assertThat(p.evaluate("dynamodb:GetItem", T)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:UpdateItem", T)).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:Query", T + "/index/GSI1")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:GetItem", T + "/index/GSI1")).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/t-Bus")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/default")).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("mobiletargeting:SendMessages", "arn:aws:mobiletargeting:eu-west-1:123456789012:apps/app-1/messages"))
        .isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/p/secret")).isEqualTo(Decision.ALLOW);
    // what SAM attaches to every execution role: logs only
    assertThat(p.evaluate("logs:PutLogEvents", "arn:aws:logs:eu-west-1:123456789012:log-group:x")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("sqs:DeleteMessage", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void samPolicyTemplatesExpandAsSamExpandsThemAndDenyWins() {
    Policy p = policies(YAML).callerOf("Templates").policy();

    assertThat(p.evaluate("dynamodb:UpdateItem", T)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:ConditionCheckItem", T)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:Query", T + "/index/GSI1")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:DeleteItem", T)).isEqualTo(Decision.EXPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:GetRecords", T + "/stream/x")).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/t-Bus")).isEqualTo(Decision.ALLOW);
    // an SQS event source: SAM attaches AWSLambdaSQSQueueExecutionRole
    assertThat(p.evaluate("sqs:DeleteMessage", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("sqs:ChangeMessageVisibility", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void aStreamEventGetsSamsStreamReadsAndItsOnFailureQueue() {
    Policy p = policies(YAML).callerOf("Streamer").policy();

    // SAM attaches AWSLambdaDynamoDBExecutionRole, and SendMessage on an OnFailure destination of Type SQS
    for (String read : List.of("dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords",
        "dynamodb:ListStreams")) {
      assertThat(p.evaluate(read, T + "/stream/2026")).as(read).isEqualTo(Decision.ALLOW);
    }
    assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:GetItem", T)).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void conditionalPolicyItemsCountOnlyWhenTheirConditionHolds() {
    Policy p = policies(YAML).callerOf("Conditional").policy();

    assertThat(p.evaluate("dynamodb:PutItem", T)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:GetItem", T)).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void aFunctionWithoutPoliciesMayCallNothing() {
    Policy p = policies(YAML).callerOf("Nothing").policy();

    assertThat(p.evaluate("dynamodb:GetItem", T)).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void unknownPolicyTemplatesAndPoliciesInGlobalsAreRefusedAsSamRefusesThem() {
    String unknown = """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Policies:
                - NoSuchPolicy: {}
        """;
    assertThatThrownBy(() -> policies(unknown).callerOf("Fn")).hasMessageContaining("NoSuchPolicy");

    String globals = """
        Globals:
          Function:
            Policies: [AWSLambdaBasicExecutionRole]
        Resources:
          Fn: {Type: AWS::Serverless::Function, Properties: {}}
        """;
    assertThatThrownBy(() -> policies(globals)).hasMessageContaining("Globals");
  }
}
