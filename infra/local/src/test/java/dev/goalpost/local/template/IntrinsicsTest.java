package dev.goalpost.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.local.resources.PhysicalResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
  private static final String YAML = """
      Parameters:
        Origin: {Type: String, Default: http://localhost:5173}
        Stage: {Type: String, Default: dev}
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
        NotProd: !Not [!Condition IsProd]
      Resources:
        Table: {Type: AWS::DynamoDB::Table}
        Queue: {Type: AWS::SQS::Queue}
        Pool: {Type: AWS::Cognito::UserPool}
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Environment:
              Variables:
                TABLE: !Ref Table
                QUEUE_URL: !Ref Queue
                QUEUE_ARN: !GetAtt Queue.Arn
                LONG_ARN: {"Fn::GetAtt": [Queue, Arn]}
                ORIGIN: !Ref Origin
                REGION: !Ref AWS::Region
                ACCOUNT: !Ref AWS::AccountId
                STACK: !Ref AWS::StackName
                SUB: !Sub "${AWS::Region}/${Table}/${Queue.Arn}/${!Literal}"
                SUB_VARS: !Sub ["${Name}-x", {Name: !Ref Stage}]
                POOL: !Ref Pool
                IF: !If [IsProd, big, small]
                NOT: !If [NotProd, "yes", "no"]
                JOIN: !Join [",", [a, !Ref Stage]]
                SELECT: !Select [1, !Split ["/", "x/y/z"]]
                GONE: !Ref AWS::NoValue
      """;

  private final Template template = Template.parse(YAML);
  private final Stack stack = new Stack("t-", "eu-west-1", Stack.LOCAL_ACCOUNT);
  private final PhysicalResources refs = new PhysicalResources();

  private Map<String, String> resolve(Map<String, String> overrides) {
    refs.put("Table", "t-Table", Map.of("Arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/t-Table"));
    refs.put("Queue", "http://q/t-Queue", Map.of("Arn", "arn:aws:sqs:eu-west-1:123456789012:t-Queue"));
    Intrinsics in = new Intrinsics(template, stack, refs, overrides);
    Object vars = Yamls.at(template.resources().get("Fn").properties(), "Environment", "Variables");
    return in.resolveStrings(Yamls.map(vars));
  }

  @Test
  void refsOfProvisionedResourcesGiveWhatCloudFormationGives() {
    Map<String, String> env = resolve(Map.of());

    assertThat(env).containsEntry("TABLE", "t-Table")
        .containsEntry("QUEUE_URL", "http://q/t-Queue")
        .containsEntry("QUEUE_ARN", "arn:aws:sqs:eu-west-1:123456789012:t-Queue")
        .containsEntry("LONG_ARN", "arn:aws:sqs:eu-west-1:123456789012:t-Queue");
  }

  @Test
  void parametersAndPseudoParametersResolve() {
    Map<String, String> env = resolve(Map.of());

    assertThat(env).containsEntry("ORIGIN", "http://localhost:5173")
        .containsEntry("REGION", "eu-west-1")
        .containsEntry("ACCOUNT", "123456789012")
        .containsEntry("STACK", "t");
  }

  @Test
  void parameterOverrideWinsOverDefault() {
    assertThat(resolve(Map.of("Stage", "prod"))).containsEntry("IF", "big").containsEntry("NOT", "no");
    assertThat(resolve(Map.of())).containsEntry("IF", "small").containsEntry("NOT", "yes");
  }

  @Test
  void subReplacesRefsAttributesPseudoParametersAndKeepsEscapes() {
    Map<String, String> env = resolve(Map.of());

    assertThat(env.get("SUB")).isEqualTo("eu-west-1/t-Table/arn:aws:sqs:eu-west-1:123456789012:t-Queue/${Literal}");
    assertThat(env.get("SUB_VARS")).isEqualTo("dev-x");
  }

  @Test
  void resourcesWithoutLocalCounterpartResolveLeniently() {
    assertThat(resolve(Map.of()).get("POOL")).isEqualTo("t-Pool");
  }

  @Test
  void joinSelectSplitAndNoValue() {
    Map<String, String> env = resolve(Map.of());

    assertThat(env).containsEntry("JOIN", "a,dev").containsEntry("SELECT", "y").doesNotContainKey("GONE");
  }

  @Test
  void refToSomethingNotInTheTemplateIsAnError() {
    Intrinsics in = new Intrinsics(template, stack, refs, Map.of());

    assertThatThrownBy(() -> in.resolve(Map.of("Ref", "Nope"))).hasMessageContaining("Nope");
  }

  @Test
  void shortTagsReadAsTheirLongForms() {
    Map<String, Object> doc = CfnYaml.parse("a: !GetAtt Q.Arn\nb: !Sub x\nc: !If [C, 1, 2]\n");

    assertThat(doc.get("a")).isEqualTo(Map.of("Fn::GetAtt", List.of("Q", "Arn")));
    assertThat(doc.get("b")).isEqualTo(Map.of("Fn::Sub", "x"));
    assertThat(doc.get("c")).isEqualTo(Map.of("Fn::If", List.of("C", 1, 2)));
  }
}
